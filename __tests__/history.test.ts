import { describe, expect, it } from "vitest";
import { parseManifest } from "../src/manifest/load.js";
import { buildPlan } from "../src/plan/expand.js";
import { indexCatalog } from "../src/pricing/catalog.js";
import type { Catalog } from "../src/pricing/catalog-schema.js";
import { resolvePrices } from "../src/pricing/prices.js";
import { estimatePlan } from "../src/estimate/estimate.js";
import { BillingHistory } from "../src/estimate/history.js";
import { historyFromLock } from "../src/lock/history.js";
import { emptyLock, type Lock, type LockEntry } from "../src/lock/schema.js";
import { diffLock } from "../src/lock/diff.js";
import { applyGate, effectiveBudget } from "../src/gate/estimate-gate.js";
import { buildEstimateReport } from "../src/report/model.js";
import { parseReport } from "../src/report/schema.js";
import { renderMarkdown } from "../src/report/markdown.js";
import { renderText } from "../src/report/text.js";
import { costNano, displayUsd, toNano } from "../src/util/money.js";

const src = { url: "https://fal.ai/models/x", kind: "fal-docs" as const, checked: "2026-11-01" };
const PRICE = { whisper: 0.00111, flux: 0.025 };
const catalog = indexCatalog({
  as_of: "2026-11-01",
  currency: "USD",
  notes: [],
  entries: [
    { endpoint_id: "fal-ai/flux/dev", category: "image", unit: "megapixels", unit_price: PRICE.flux, price_params: ["image_size", "num_images"], defaults: { image_size: "landscape_4_3", num_images: 1 }, source: src },
    { endpoint_id: "fal-ai/whisper", category: "audio", unit: "compute seconds", unit_price: PRICE.whisper, price_params: [], defaults: {}, source: src },
    { endpoint_id: "openrouter/router", category: "llm", unit: "tokens", unit_price: null, price_params: [], defaults: {}, source: src },
  ],
} satisfies Catalog);

/** Nearest-rank percentile, written out independently of the module under test. */
const nearestRank = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.ceil((p / 100) * xs.length) - 1]!;

let seq = 0;
function entry(job: string, model: string, estimated: number, billed: number | null, source: LockEntry["billed_source"] = "billing-events"): [string, LockEntry] {
  const key = (++seq).toString(16).padStart(64, "0");
  const billedNano = billed === null ? null : toNano(billed);
  return [key, { job, run: `${job}#${seq}`, model, request_id: `req-${seq}`, finished_at: "2026-11-01T00:00:00Z", estimated_nano: toNano(estimated), billed: billed === null ? null : billed.toFixed(2), billed_nano: billedNano, billed_source: billed === null ? "pending" : source, outputs: [], stored_in: null }];
}

function lockOf(...entries: Array<[string, LockEntry]>): Lock {
  return { ...emptyLock(), runs: Object.fromEntries(entries) };
}

function estimateWith(yaml: string, lock: Lock) {
  const m = parseManifest(yaml);
  const plan = buildPlan(m);
  const prices = resolvePrices(plan.jobs.map((j) => j.model), m.pricing, { status: "skipped", reason: "test" }, catalog);
  const history = historyFromLock(lock);
  const est = estimatePlan(plan, prices, undefined, history);
  const budget = effectiveBudget(100, undefined);
  const diff = diffLock(plan, lock, { listLocked: false });
  const report = buildEstimateReport({ manifestPath: "fal-jobs.yaml", plan, prices, estimate: est, full: est, lock: { path: "fal-jobs.lock.json", status: "read", entries: Object.keys(lock.runs).length, diff }, budgetScope: "full", budget, gate: applyGate(est, budget), history });
  return { est, report };
}

describe("billing history: percentiles and scope", () => {
  it("p50 and p95 by nearest rank; with few runs, p95 is the most billed", () => {
    const bills = [5, 1, 9, 3, 7, 2, 8, 4, 6, 10, 11, 20, 13, 12, 15, 14, 16, 18, 17, 19];
    const h = new BillingHistory();
    for (const b of bills) h.add("a", "m/x", 1, b);
    expect(h.figureFor("a", "m/x")).toEqual({ scope: "job", runs: bills.length, p50Nano: nearestRank(bills, 50), p95Nano: nearestRank(bills, 95) });
    const few = new BillingHistory();
    for (const b of [3, 1, 2]) few.add("a", "m/x", 1, b);
    expect(few.figureFor("a", "m/x")).toMatchObject({ p50Nano: 2, p95Nano: 3 });
  });

  it("the same job's bills first, else any job of the model; none for a model never billed", () => {
    const h = new BillingHistory();
    h.add("a", "m/x", 1, 10);
    h.add("b", "m/x", 1, 30);
    expect(h.figureFor("a", "m/x")).toMatchObject({ scope: "job", runs: 1, p95Nano: 10 });
    expect(h.figureFor("c", "m/x")).toMatchObject({ scope: "model", runs: 2, p95Nano: 30 });
    // A job id reused for another model does not lend it its bills.
    expect(h.figureFor("a", "m/y")).toBeUndefined();
  });

  it("from the lock: only bills that are known (billing events, header, outputs), never a pending one as $0", () => {
    const h = historyFromLock(lockOf(entry("a", "m/x", 0.01, 0.02), entry("a", "m/x", 0.01, 0.04, "header"), entry("a", "m/x", 0.01, null)));
    expect(h.figureFor("a", "m/x")).toMatchObject({ runs: 2, p50Nano: toNano(0.02), p95Nano: toNano(0.04) });
    expect(h.accuracyOf("a", "m/x")).toMatchObject({ runs: 2, estimatedNano: toNano(0.02), billedNano: toNano(0.06), errorPct: 200, overEstimateRuns: 2 });
  });
});

describe("the history price source: models billed by what they do", () => {
  const bills = [0.012, 0.018, 0.015, 0.03];
  const past = () => lockOf(...bills.map((b) => entry("transcribe", "fal-ai/whisper", 0.05, b)));

  it("runs of unknown cost are estimated at the p95 of the same job's bills, with the spread and the count", () => {
    const yaml = `version: 1\njobs:\n  - {id: transcribe, model: fal-ai/whisper, repeat: 2, input: {audio_url: "https://example.com/new.mp3"}}\n`;
    expect(estimateWith(yaml, emptyLock()).est.jobs[0]!.unknownRuns).toBe(2);
    const { est, report } = estimateWith(yaml, past());
    const job = est.jobs[0]!;
    const p95 = toNano(nearestRank(bills, 95));
    expect(job).toMatchObject({ unknownRuns: 0, totalNano: 2 * p95, confidence: "history" });
    expect(job.variants[0]).toMatchObject({ priceSource: "history", costPerRunNano: p95, history: { scope: "job", runs: bills.length, p50Nano: toNano(nearestRank(bills, 50)), p95Nano: p95 } });
    expect(job.variants[0]!.basis).toBe(`p95 of ${bills.length} billed runs of job transcribe in the lock (p50 ${displayUsd(toNano(nearestRank(bills, 50)))})`);
    // The unit price stays fal's: billed units from a header are still priced at it.
    expect(job.variants[0]!.billingUnitPrice).toBe(PRICE.whisper);
    expect(report.jobs[0]).toMatchObject({ confidence: "history", variants: [{ price_source: "history", history: { runs: bills.length, p95_nano: p95 } }] });
    expect(report.jobs[0]!.source_detail).toMatch(/past bills in the lock \(p95 of 4 run\(s\) of this job\)/);
    expect(() => parseReport(JSON.parse(JSON.stringify(report)))).not.toThrow();
  });

  it("a model with no price at all (tokens) is estimated from another job's bills of it", () => {
    const lock = lockOf(entry("chat-a", "openrouter/router", 0.1, 0.004), entry("chat-a", "openrouter/router", 0.1, 0.006));
    const { est, report } = estimateWith(`version: 1\njobs:\n  - {id: chat-b, model: openrouter/router, input: {prompt: "hi"}}\n`, lock);
    expect(est.jobs[0]).toMatchObject({ unknownRuns: 0, totalNano: toNano(0.006), confidence: "history" });
    expect(est.jobs[0]!.variants[0]!.history!.scope).toBe("model");
    expect(report.jobs[0]!.source).toBe("history");
    expect(report.prices.by_source.history).toBe(1);
  });

  it("max_cost stays the bound the run is estimated and capped at; the bills are shown beside it", () => {
    const { est, report } = estimateWith(`version: 1\njobs:\n  - {id: transcribe, model: fal-ai/whisper, max_cost: 0.05, input: {audio_url: "https://example.com/a.mp3"}}\n`, past());
    expect(est.jobs[0]).toMatchObject({ totalNano: toNano(0.05), confidence: "upper-bound" });
    expect(est.jobs[0]!.variants[0]!.history).toMatchObject({ runs: bills.length });
    expect(report.jobs[0]!.source_detail).toContain(`past bills ${displayUsd(toNano(nearestRank(bills, 50)))}–${displayUsd(toNano(nearestRank(bills, 95)))} per run (p50–p95 of 4 run(s) of this job)`);
  });

  it("units: stands when the bills are lower, and gives way when they are higher", () => {
    const yaml = (units: number) => `version: 1\njobs:\n  - {id: transcribe, model: fal-ai/whisper, units: ${units}, input: {audio_url: "https://example.com/a.mp3"}}\n`;
    const high = estimateWith(yaml(100), past()).est.jobs[0]!;
    expect(high).toMatchObject({ totalNano: costNano(100, PRICE.whisper), confidence: "manual" });
    const low = estimateWith(yaml(1), past()).est.jobs[0]!;
    expect(low).toMatchObject({ totalNano: toNano(nearestRank(bills, 95)), confidence: "history" });
    expect(low.notes.join("\n")).toMatch(/job transcribe: its past bills \(p95 \$0\.03 over 4 run\(s\)\) are above what `units:` gives/);
  });

  it("never a guess of $0, and never over a measurement: bills of $0 are not used, and measurable models ignore bills", () => {
    const zero = lockOf(entry("transcribe", "fal-ai/whisper", 0.05, 0));
    expect(estimateWith(`version: 1\njobs:\n  - {id: transcribe, model: fal-ai/whisper, input: {audio_url: "https://example.com/a.mp3"}}\n`, zero).est.jobs[0]!.unknownRuns).toBe(1);
    const flux = lockOf(entry("hero", "fal-ai/flux/dev", 0.025, 0.5));
    const measured = estimateWith(`version: 1\njobs:\n  - {id: hero, model: fal-ai/flux/dev, input: {prompt: "new", image_size: square_hd}}\n`, flux).est.jobs[0]!;
    expect(measured).toMatchObject({ totalNano: costNano(1, PRICE.flux), confidence: "exact" });
    // A size the model picks cannot be measured, but the model is priced per megapixel: still unknown, not a bill.
    const auto = estimateWith(`version: 1\njobs:\n  - {id: hero, model: fal-ai/flux/dev, input: {prompt: "new", image_size: auto}}\n`, flux).est.jobs[0]!;
    expect(auto.unknownRuns).toBe(1);
  });
});

describe("estimated against billed over past runs, per job", () => {
  const lock = lockOf(
    entry("hero", "fal-ai/flux/dev", 0.025, 0.025),
    entry("hero", "fal-ai/flux/dev", 0.025, 0.025),
    entry("transcribe", "fal-ai/whisper", 0.05, 0.06),
    entry("transcribe", "fal-ai/whisper", 0.05, 0.02),
    entry("transcribe", "fal-ai/whisper", 0.05, 0.09),
  );
  const yaml = `version: 1
jobs:
  - {id: hero, model: fal-ai/flux/dev, input: {prompt: "x", image_size: square_hd}}
  - {id: transcribe, model: fal-ai/whisper, max_cost: 0.05, input: {audio_url: "https://example.com/a.mp3"}}
  - {id: fresh, model: fal-ai/flux/dev, input: {prompt: "y", image_size: square_hd}}
`;

  it("in the report: runs, sums, error and runs billed above the estimate, from the lock's entries", () => {
    const { report } = estimateWith(yaml, lock);
    const [hero, transcribe, fresh] = report.jobs;
    expect(hero!.past).toMatchObject({ runs: 2, estimated_nano: toNano(0.05), billed_nano: toNano(0.05), error_pct: 0, over_estimate_runs: 0 });
    const est = toNano(0.15);
    const billed = toNano(0.06 + 0.02 + 0.09);
    expect(transcribe!.past).toMatchObject({ runs: 3, estimated_nano: est, billed_nano: billed, error_pct: Math.round(((billed - est) / est) * 1000) / 10, over_estimate_runs: 2 });
    expect(transcribe!.past!.billed_per_run).toMatchObject({ p50_nano: toNano(0.06), p95_nano: toNano(0.09) });
    expect(fresh!.past).toBeNull();
    expect(() => parseReport(JSON.parse(JSON.stringify(report)))).not.toThrow();
  });

  it("in the text, and compactly in the summary and comment, the furthest off first", () => {
    const { report } = estimateWith(yaml, lock);
    const text = renderText(report);
    expect(text).toContain("past runs in the lock, billed against estimated:");
    expect(text).toMatch(/ {2}transcribe: 3 run\(s\), billed \$0\.17 against \$0\.15 \(\+13\.3%\), 2 billed above the estimate; per run \$0\.06 p50, \$0\.09 p95/);
    expect(renderMarkdown(report)).toContain("📈 Billed against estimated, past runs in the lock: transcribe +13.3% (3 run(s), 2 above) · hero ±0% (2 run(s)).");
    expect(renderMarkdown(estimateWith(yaml, emptyLock()).report)).not.toContain("📈");
  });
});
