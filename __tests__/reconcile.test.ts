import { describe, expect, it } from "vitest";
import { billedCostOf } from "../src/billing/reconcile.js";
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
