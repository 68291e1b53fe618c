import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SubmitFailed, type FalQueue, type QueueStatus } from "../src/run/fal-queue.js";
import { estimatePlan } from "../src/estimate/estimate.js";
import { parseManifest } from "../src/manifest/load.js";
import { buildPlan } from "../src/plan/expand.js";
import { indexCatalog } from "../src/pricing/catalog.js";
import { resolvePrices } from "../src/pricing/prices.js";
import { executePlan } from "../src/run/executor.js";
import { billedCostOf } from "../src/billing/reconcile.js";
import { BudgetLedger } from "../src/run/ledger.js";
import { costNano, toNano } from "../src/util/money.js";

const emptyCatalog = indexCatalog({ as_of: "2026-11-01", currency: "USD", notes: [], entries: [{ endpoint_id: "x/y", category: "other", unit: "requests", unit_price: 0, price_params: [], defaults: {}, source: { url: "https://fal.ai", kind: "fal-docs", checked: "2026-11-01" } }] });

/**
 * An in-memory queue that bills each request `multiplier` × its estimated units
 * through the same channel fal uses (billable units on the result).
 */
function billingQueue(unitsFor: (input: Record<string, unknown>) => number, delayMs: () => number) {
  const submitted: string[] = [];
  const billed = new Map<string, number>();
  let n = 0;
  const queue: FalQueue = {
    async submit(_model, input) {
      const id = `req-${++n}`;
      submitted.push(String(input.run));
      billed.set(id, unitsFor(input));
      await new Promise((r) => setTimeout(r, delayMs()));
      return id;
    },
    async waitForCompletion(): Promise<QueueStatus> {
      await new Promise((r) => setTimeout(r, delayMs()));
      return { status: "COMPLETED" };
    },
    async result(_m, id) {
      return { data: { ok: true }, requestId: id };
    },
    async cancel() {},
    billableUnits: (id) => billed.get(id),
  };
  return { queue, submitted };
}

describe("hard budget cap while running", () => {
  const price = 0.01;
  const run = async (yaml: string, limitUnits: number, over: (input: Record<string, unknown>) => number) => {
    const m = parseManifest(yaml);
    const plan = buildPlan(m);
    const estimate = estimatePlan(plan, resolvePrices(plan.jobs.map((j) => j.model), m.pricing, { status: "skipped", reason: "test" }, emptyCatalog));
    const limit = toNano(limitUnits * price);
    const ledger = new BudgetLedger(limit);
    const { queue, submitted } = billingQueue((input) => Math.ceil(Number(input.num_images) * over(input)), () => Math.floor(Math.random() * 3));
    const records = await executePlan({ plan, estimate, queue, ledger, signal: new AbortController().signal });
    const started = new Set(ledger.decisions.filter((d) => d.started).map((d) => d.runId));
    // Every decision: a run starts exactly when committed + its estimate fits.
    for (const d of ledger.decisions) expect(d.started).toBe(d.committedBefore + d.estimateNano <= limit);
    for (const rec of records) {
      expect(["succeeded", "skipped-budget"]).toContain(rec.status);
      expect(rec.status === "succeeded").toBe(started.has(rec.id));
    }
    expect(submitted.length).toBe(started.size);
    const billedTotal = records.filter((r) => r.submitted).reduce((s, r) => s + costNano(r.header_units!, price), 0);
    // Every started run ends settled at what it billed.
    expect(ledger.committedNano).toBe(billedTotal);
    return { records, limit, billedTotal };
  };

  it("spends at most the budget plus the overruns of the runs already in flight (one job, concurrency c)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.double({ min: 0.5, max: 3, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 300 }),
        async (units, overs, concurrency, limitUnits) => {
          const yaml = `version: 1
pricing: {a/b: {unit: images, unit_price: ${price}}}
jobs:
  - id: batch
    model: a/b
    concurrency: ${concurrency}
    matrix: {i: [${overs.map((_, i) => i).join(", ")}]}
    input: {num_images: ${units}, run: "\${{ matrix.i }}"}
`;
          const { records, limit, billedTotal } = await run(yaml, limitUnits, (input) => overs[Number(input.run)]!);
          const overruns = records.filter((r) => r.submitted).map((r) => Math.max(0, costNano(r.header_units!, price) - r.estimate_nano)).sort((a, b) => b - a);
          expect(billedTotal).toBeLessThanOrEqual(limit + overruns.slice(0, concurrency).reduce((s, x) => s + x, 0));
          // With nothing billed above its estimate, the budget holds exactly.
          if (overruns.every((o) => o === 0)) expect(billedTotal).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("keeps the start rule across jobs running side by side with different estimates", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ units: fc.integer({ min: 1, max: 20 }), over: fc.double({ min: 0.5, max: 3, noNaN: true }) }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 200 }),
        async (jobs, limitUnits) => {
          const yaml = `version: 1
pricing: {a/b: {unit: images, unit_price: ${price}}}
jobs:
${jobs.map((r, i) => `  - {id: r${i}, model: a/b, repeat: 2, input: {num_images: ${r.units}, run: ${i}}}`).join("\n")}
`;
          await run(yaml, limitUnits, (input) => jobs[Number(input.run)]!.over);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("never has more than `concurrency` runs whose billed units are still unknown", async () => {
    // Billed units arrive with the result; a result that is slow to fetch must keep its run's slot taken.
    let unsettled = 0;
    let most = 0;
    let n = 0;
    const queue: FalQueue = {
      async submit() {
        unsettled++;
        most = Math.max(most, unsettled);
        return `req-${++n}`;
      },
      async waitForCompletion(): Promise<QueueStatus> {
        await new Promise((r) => setTimeout(r, 2));
        return { status: "COMPLETED" };
      },
      async result(_m, id) {
        await new Promise((r) => setTimeout(r, 10));
        unsettled--;
        return { data: { ok: true }, requestId: id };
      },
      async cancel() {},
      billableUnits: () => 2,
    };
    const m = parseManifest(`version: 1\npricing: {a/b: {unit: images, unit_price: ${price}}}\njobs:\n  - {id: j, model: a/b, concurrency: 3, repeat: 12, input: {num_images: 1}}\n`);
    const plan = buildPlan(m);
    const estimate = estimatePlan(plan, resolvePrices(["a/b"], m.pricing, { status: "skipped", reason: "test" }, emptyCatalog));
    const records = await executePlan({ plan, estimate, queue, ledger: new BudgetLedger(toNano(1)), signal: new AbortController().signal });
    expect(records.every((r) => r.status === "succeeded")).toBe(true);
    expect(most).toBe(3);
  });

  it("releases the money of a submit fal rejected, and keeps it for one that may exist", () => {
    const ledger = new BudgetLedger(100);
    expect(ledger.tryStart("a", 60)).toBe(true);
    expect(ledger.tryStart("b", 60)).toBe(false);
    ledger.release("a");
    expect(ledger.tryStart("b", 60)).toBe(true);
    ledger.settle("b", 90);
    expect(ledger.committedNano).toBe(90);
    expect(ledger.tryStart("c", 11)).toBe(false);
    expect(ledger.tryStart("c", 10)).toBe(true);
  });
});

describe("hard budget cap, whatever channel the billed units arrive by", () => {
  const price = 0.01;
  type Channel = "header" | "outputs" | "events" | "none";

  /**
   * A queue whose runs bill `over` × their estimated units, told through one
   * channel: fal's header, the result's outputs, billing records that arrive
   * later, or nothing at all. Some submits are accepted (and billed) while their
   * answer is lost.
   */
  async function scenario(channel: Channel, overs: number[], units: number, concurrency: number, limitUnits: number, lost: boolean[]) {
    const yaml = `version: 1
pricing: {a/b: {unit: images, unit_price: ${price}}}
jobs:
  - id: batch
    model: a/b
    concurrency: ${concurrency}
    matrix: {i: [${overs.map((_, i) => i).join(", ")}]}
    input: {num_images: ${units}, run: "\${{ matrix.i }}"}
`;
    const m = parseManifest(yaml);
    const plan = buildPlan(m);
    const estimate = estimatePlan(plan, resolvePrices(["a/b"], m.pricing, { status: "skipped", reason: "test" }, emptyCatalog));
    const limit = toNano(limitUnits * price);
    const ledger = new BudgetLedger(limit);
    const trueUnits = new Map<string, number>();
    /** What fal bills, by run index: every request it accepted, whether or not its answer came back. */
    const spent = new Map<number, number>();
    let sends = 0;
    let n = 0;
    const tick = () => new Promise((r) => setTimeout(r, Math.floor(Math.random() * 3)));
    const queue: FalQueue = {
      async submit(_model, input) {
        sends++;
        const i = Number(input.run);
        const billedUnits = Math.ceil(units * overs[i]!);
        spent.set(i, costNano(billedUnits, price));
        await tick();
        if (lost[i]) throw new SubmitFailed("HTTP 504: Gateway Timeout; fal may have accepted the request", "unknown", 504);
        const id = `req-${++n}`;
        trueUnits.set(id, billedUnits);
        return id;
      },
      async waitForCompletion(): Promise<QueueStatus> {
        await tick();
        return { status: "COMPLETED" };
      },
      async result(_m, id) {
        return { data: channel === "outputs" ? { units: trueUnits.get(id) } : {}, requestId: id };
      },
      async cancel() {},
      billableUnits: (id) => (channel === "header" ? trueUnits.get(id) : undefined),
    };
    const records = await executePlan({
      plan,
      estimate,
      queue,
      ledger,
      signal: new AbortController().signal,
      retryBaseMs: 1,
      observeUnits: channel === "outputs" ? (_run, _rec, data) => (data as { units?: number }).units ?? null : undefined,
      awaitBilledCost:
        channel === "events"
          ? async (rec) => {
              await tick();
              return costNano(trueUnits.get(rec.request_id!)!, price);
            }
          : undefined,
    });
    return { records, ledger, limit, spent, sends, estimateNano: estimate.jobs[0]!.variants[0]!.costPerRunNano! };
  }

  for (const channel of ["header", "outputs", "events"] as const) {
    it(`${channel}: spends at most the budget plus the overruns of runs in flight, and of runs whose submit answer was lost`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 10 }),
          fc.array(fc.record({ over: fc.double({ min: 0.5, max: 4, noNaN: true }), lost: fc.integer({ min: 0, max: 5 }).map((n) => n === 0) }), { minLength: 1, maxLength: 60 }),
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 1, max: 250 }),
          async (units, runs, concurrency, limitUnits) => {
            const { records, ledger, limit, spent, sends, estimateNano } = await scenario(channel, runs.map((r) => r.over), units, concurrency, limitUnits, runs.map((r) => r.lost));
            for (const d of ledger.decisions) expect(d.started).toBe(d.committedBefore + d.estimateNano <= limit);
            // Each started run was sent exactly once: a lost answer is never sent again.
            expect(sends).toBe(ledger.decisions.filter((d) => d.started).length);
            const overrun = (c: number) => Math.max(0, c - estimateNano);
            const lostRuns = records.map((r, i) => ({ r, i })).filter(({ r }) => r.submit_outcome === "unknown");
            expect(lostRuns.map(({ i }) => i)).toEqual([...spent.keys()].filter((i) => runs[i]!.lost).sort((a, b) => a - b));
            // A lost answer keeps its estimate committed and is billed "unknown", never $0.
            for (const { r } of lostRuns) expect(billedCostOf(r, undefined)).toMatchObject({ source: "unknown", cost_nano: null });
            // Settled runs can overrun only while unsettled (at most `concurrency` at once); lost ones are never settled.
            const settledOverruns = records.map((r, i) => (r.submitted ? overrun(spent.get(i)!) : 0)).sort((a, b) => b - a);
            const lostOverruns = lostRuns.reduce((s, { i }) => s + overrun(spent.get(i)!), 0);
            const total = [...spent.values()].reduce((s, x) => s + x, 0);
            expect(total).toBeLessThanOrEqual(limit + settledOverruns.slice(0, concurrency).reduce((s, x) => s + x, 0) + lostOverruns);
            if ([...spent.values()].every((c) => overrun(c) === 0)) expect(total).toBeLessThanOrEqual(limit);
          },
        ),
        {
          numRuns: 40,
          // The review's case: every run bills 4× its estimate and the budget fits all of them at their estimates.
          examples: [[1, Array.from({ length: 40 }, () => ({ over: 4, lost: false })), 4, 40]],
        },
      );
    });
  }

  it("none: with no billed units from any source, the estimates committed never pass the budget and every run's cost is unknown", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 250 }), async (units, count, concurrency, limitUnits) => {
        const { records, ledger, limit, estimateNano } = await scenario("none", Array(count).fill(2), units, concurrency, limitUnits, Array(count).fill(false));
        expect(ledger.committedNano).toBeLessThanOrEqual(limit);
        const started = records.filter((r) => r.status !== "skipped-budget");
        expect(ledger.committedNano).toBe(started.length * estimateNano);
        for (const r of started) expect(billedCostOf(r, undefined).cost_nano).toBeNull();
      }),
      { numRuns: 30 },
    );
  });
});

describe("per-job limit while running", () => {
  it("a job whose runs bill above their estimates stops at its own limit; the other job goes on", async () => {
    const m = parseManifest(`version: 1
budget: {limit: 100, per_job_limit: 0.1}
pricing: {a/b: {unit: images, unit_price: 0.01}}
jobs:
  - {id: greedy, model: a/b, concurrency: 1, repeat: 10, input: {num_images: 1, run: greedy}}
  - {id: modest, model: a/b, concurrency: 1, repeat: 10, input: {num_images: 1, run: modest}}
`);
    const plan = buildPlan(m);
    const estimate = estimatePlan(plan, resolvePrices(["a/b"], m.pricing, { status: "skipped", reason: "test" }, emptyCatalog));
    // greedy bills 3 images per run (estimated 1); modest bills what it was estimated at.
    const units = new Map<string, number>();
    let n = 0;
    const queue: FalQueue = {
      async submit(_m, input) {
        const id = `req-${++n}`;
        units.set(id, input.run === "greedy" ? 3 : 1);
        return id;
      },
      async waitForCompletion(): Promise<QueueStatus> {
        return { status: "COMPLETED" };
      },
      async result(_m, id) {
        return { data: {}, requestId: id };
      },
      async cancel() {},
      billableUnits: (id) => units.get(id),
    };
    const ledger = new BudgetLedger(toNano(100), toNano(0.1));
    const records = await executePlan({ plan, estimate, queue, ledger, signal: new AbortController().signal });
    const greedy = records.filter((r) => r.job === "greedy");
    // $0.03 per run against a $0.10 limit: the 4th run (0.09 + 0.01 ≤ 0.10) is the last that may start.
    expect(greedy.filter((r) => r.status === "succeeded")).toHaveLength(4);
    expect(greedy.filter((r) => r.status === "skipped-budget")).toHaveLength(6);
    expect(records.filter((r) => r.job === "modest").every((r) => r.status === "succeeded")).toBe(true);
    expect(ledger.jobCommittedNano("greedy")).toBe(toNano(0.12));
  });
});
