import { describe, expect, it } from "vitest";
import { billedCostOf, reconcile } from "../src/billing/reconcile.js";
import type { RunRecord } from "../src/run/types.js";
import { toNano } from "../src/util/money.js";

const base: RunRecord = {
  id: "a#1", job: "a", model: "fal-ai/flux/dev", variant: "", repeat: 1, status: "succeeded", submitted: true,
    submit_outcome: "accepted", request_id: "r1", error: null,
  timings: { started_at: null, submitted_at: null, completed_at: null, finished_at: null, total_ms: null },
  estimate_nano: toNano(0.05), unit_price: 0.025, header_units: null, observed_units: null,
    input_units: null, dir: null, outputs: [],
};

describe("billed cost per run", () => {
  it("prefers fal's billing events, then the header, then observed units", () => {
    const events = new Map([["r1", { request_id: "r1", endpoint_id: "x", output_units: 2, unit_price: 0.025, cost_total: 0.045, cost_estimate_nano_usd: 45_000_000, percent_discount: 10 }]]);
    expect(billedCostOf({ ...base, header_units: 3, observed_units: 4 }, { status: "ok", events })).toMatchObject({ source: "billing-events", cost_nano: 45_000_000 });
    expect(billedCostOf({ ...base, header_units: 3, observed_units: 4 }, { status: "refused", message: "403" })).toMatchObject({ source: "header", units: 3, cost_nano: toNano(0.075) });
    expect(billedCostOf({ ...base, observed_units: 4 }, undefined)).toMatchObject({ source: "observed", cost_nano: toNano(0.1) });
  });
  it("says pending when billing works but the event has not arrived, unknown otherwise — never $0", () => {
    expect(billedCostOf(base, { status: "ok", events: new Map() })).toMatchObject({ source: "pending", cost_nano: null });
    expect(billedCostOf(base, undefined)).toMatchObject({ source: "unknown", cost_nano: null });
    expect(billedCostOf({ ...base, status: "failed", observed_units: 2 }, undefined)).toMatchObject({ source: "unknown" });
  });
  it("knows a run fal never accepted cost nothing", () => {
    expect(billedCostOf({ ...base, submitted: false, request_id: null, status: "skipped-budget" }, undefined)).toMatchObject({ source: "not-submitted", cost_nano: 0 });
  });
  it("reconciles failed runs too (fal may bill a 422)", () => {
    expect(billedCostOf({ ...base, status: "failed", header_units: 0 }, undefined)).toMatchObject({ source: "header", cost_nano: 0 });
    const events = new Map([["r1", { request_id: "r1", endpoint_id: "x", output_units: 1, unit_price: 0.025, cost_total: 0.025, cost_estimate_nano_usd: null, percent_discount: null }]]);
    expect(billedCostOf({ ...base, status: "failed" }, { status: "ok", events })).toMatchObject({ source: "billing-events", cost_nano: toNano(0.025) });
  });
});

describe("reconcile: per job and in total", () => {
  const run = (id: string, job: string, extra: Partial<RunRecord>): RunRecord => ({ ...base, id, job, request_id: `req-${id}`, ...extra });

  it("adds up known costs, and counts pending and unknown runs apart instead of as $0", () => {
    const events = new Map([["req-a1", { request_id: "req-a1", endpoint_id: "x", output_units: 4, unit_price: 0.025, cost_total: null, cost_estimate_nano_usd: null, percent_discount: null }]]);
    const r = reconcile(
      [
        run("a1", "a", {}), // billing event: $0.10
        run("a2", "a", { header_units: 1 }), // header: $0.025
        run("a3", "a", {}), // no event yet: pending
        run("b1", "b", { header_units: 2, submit_outcome: "unknown" }), // fal may have billed it: unknown, whatever the header said
      ],
      { status: "ok", events },
    );
    expect(r.totals).toMatchObject({ billedNano: toNano(0.125), billedRuns: 2, pendingRuns: 1, unknownRuns: 1, unknownSubmits: 1, complete: false, sources: ["billing-events", "header"] });
    expect(r.perJob.get("a")).toMatchObject({ billedNano: toNano(0.125), billedRuns: 2, pendingRuns: 1, unknownRuns: 0, complete: false });
    expect(r.perJob.get("b")).toMatchObject({ billedNano: 0, billedRuns: 0, unknownRuns: 1, unknownSubmits: 1, complete: false, sources: [] });
    expect(r.perRun.map((c) => c.billed.source)).toEqual(["billing-events", "header", "pending", "unknown"]);
    expect(r.perRun.map((c) => c.record.id)).toEqual(["a1", "a2", "a3", "b1"]);
  });

  it("is complete only when every run's cost is known; a run never submitted counts $0 and stays out of the accuracy figures", () => {
    const r = reconcile([run("a1", "a", { header_units: 3 }), run("a2", "a", { submitted: false, submit_outcome: "rejected", request_id: null, status: "failed" })], undefined);
    expect(r.totals).toMatchObject({ complete: true, billedNano: toNano(0.075), billedRuns: 1, sources: ["header"] });
    // 0.075 billed against the 0.05 estimate of the one billed run; the unsubmitted run's estimate is not in it.
    expect(r.totals).toMatchObject({ deltaNano: toNano(0.025), errorPct: 50 });
    expect(reconcile([run("a1", "a", {})], undefined).totals).toMatchObject({ complete: false, unknownRuns: 1, billedNano: 0 });
  });

  it("gives the error % to one decimal, and none when the billed runs were estimated at $0", () => {
    expect(reconcile([run("a1", "a", { estimate_nano: 3, unit_price: 1e-9, header_units: 4 })], undefined).totals).toMatchObject({ deltaNano: 1, errorPct: 33.3 });
    expect(reconcile([run("a1", "a", { estimate_nano: 0, header_units: 1 })], undefined).totals).toMatchObject({ deltaNano: toNano(0.025), errorPct: null });
  });

  it("flags a run over its estimate only when its billed cost is known", () => {
    const r = reconcile([run("a1", "a", { header_units: 3 }), run("a2", "a", { header_units: 2 }), run("a3", "a", { observed_units: 9, status: "failed" })], undefined);
    expect(r.perRun.map((c) => c.overEstimate)).toEqual([true, false, false]);
    expect(r.totals.overEstimateRuns).toBe(1);
  });

  it("counts runs by status, every status present, and says how billing was looked up", () => {
    const r = reconcile([run("a1", "a", { status: "timed-out" }), run("a2", "a", { status: "cancelled", submitted: false, submit_outcome: "not-attempted" })], { status: "refused", message: "billing API answered 403" });
    expect(r.totals.counts).toEqual({ succeeded: 0, failed: 0, "timed-out": 1, cancelled: 1, "skipped-budget": 0 });
    expect(r.billing).toEqual({ status: "refused", detail: "billing API answered 403" });
    expect(reconcile([], undefined).billing).toEqual({ status: "not-used", detail: null });
    expect(reconcile([], { status: "ok", events: new Map() }).billing).toEqual({ status: "ok", detail: null });
  });
});
