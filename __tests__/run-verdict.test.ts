import { describe, expect, it } from "vitest";
import { reconcile } from "../src/billing/reconcile.js";
import type { BillingLookup } from "../src/billing/types.js";
import { runVerdict, type RunVerdictInput } from "../src/gate/run-verdict.js";
import type { RunRecord } from "../src/run/types.js";
import { toNano } from "../src/util/money.js";

/** A run fal accepted and billed at its estimate ($0.05), unless `extra` says otherwise. */
function run(id: string, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    id, job: "a", model: "fal-ai/flux/dev", variant: "", repeat: 1, status: "succeeded", submitted: true, submit_outcome: "accepted", request_id: `req-${id}`, error: null,
    timings: { started_at: null, submitted_at: null, completed_at: null, finished_at: null, total_ms: null },
    estimate_nano: toNano(0.05), unit_price: 0.025, header_units: 2, observed_units: null, input_units: null, dir: null, outputs: [],
    ...extra,
  };
}

const NO_UNITS: Partial<RunRecord> = { header_units: null };

function verdict(records: RunRecord[], opts: Partial<Omit<RunVerdictInput, "reconciliation">> & { billing?: BillingLookup } = {}) {
  return runVerdict({
    gate: opts.gate ?? { reasons: [], warnings: [] },
    budget: opts.budget ?? { limitNano: toNano(1) },
    reconciliation: reconcile(records, opts.billing),
    cancelReason: opts.cancelReason ?? null,
  });
}

describe("the run's verdict", () => {
  it("passes when every run succeeded at a known cost within the budget, keeping the estimate's warnings", () => {
    const gate = { reasons: [], warnings: ["estimated $0.10 is 90% of the $0.11 budget (warn_at 0.8)"] };
    expect(verdict([run("1"), run("2")], { gate })).toEqual({ pass: true, reasons: [], warnings: gate.warnings });
  });

  it("adds to the estimate gate's reasons and warnings without changing them", () => {
    const gate = { reasons: ["from the estimate"], warnings: ["estimate warning"] };
    const v = verdict([run("1", { status: "failed" })], { gate });
    expect(v.reasons).toEqual(["from the estimate", "1 run(s) failed and 0 timed out"]);
    expect(v.pass).toBe(false);
    expect(gate).toEqual({ reasons: ["from the estimate"], warnings: ["estimate warning"] });
  });

  it("fails on cancellation, failed or timed-out runs, and runs the budget kept from starting", () => {
    expect(verdict([run("1")], { cancelReason: "received SIGTERM" }).reasons).toEqual(["the run was cancelled (received SIGTERM); queued fal requests were cancelled"]);
    const left = [run("1", { status: "cancelled", uncollected: true }), run("2", { status: "cancelled" })];
    expect(verdict(left, { cancelReason: "received SIGTERM" }).reasons[0]).toBe("the run was cancelled (received SIGTERM); queued fal requests were cancelled, 1 running one(s) left to finish for a re-run to collect");
    expect(verdict([run("1", { status: "failed" }), run("2", { status: "timed-out" }), run("3", { status: "timed-out" })]).reasons).toEqual(["1 run(s) failed and 2 timed out"]);
    const skipped = run("1", { status: "skipped-budget", submitted: false, submit_outcome: "not-attempted", request_id: null });
    expect(verdict([skipped]).reasons).toEqual(["1 run(s) were not started because the budget would have been exceeded"]);
  });

  it("fails when the known billed cost alone is over the budget, not when it reaches it", () => {
    expect(verdict([run("1"), run("2")], { budget: { limitNano: toNano(0.1) } }).pass).toBe(true);
    expect(verdict([run("1"), run("2", { header_units: 3 })], { budget: { limitNano: toNano(0.1) } }).reasons).toEqual(["billed $0.13 is over the $0.10 budget"]);
    expect(verdict([run("1", { header_units: 1000 })], { budget: { limitNano: undefined } }).reasons).toEqual([]);
  });

  it("warns, without failing, about runs billed over their estimate and costs still pending", () => {
    const v = verdict([run("1", { header_units: 3 }), run("2", NO_UNITS)], { billing: { status: "ok", events: new Map() } });
    expect(v).toEqual({ pass: true, reasons: [], warnings: ["1 run(s) billed more than estimated", "1 run(s) have no billing record yet (fal's billing can lag); their cost is pending"] });
  });

  it("fails on a submit with no definite answer, and warns about other unknown costs, never counting either as $0", () => {
    const unsure = run("1", { submit_outcome: "unknown", request_id: null, status: "failed" });
    const v = verdict([unsure, run("2", NO_UNITS), run("3", NO_UNITS)]);
    expect(v.pass).toBe(false);
    expect(v.reasons).toHaveLength(2);
    expect(v.reasons[0]).toBe("1 run(s) failed and 0 timed out");
    expect(v.reasons[1]).toMatch(/^1 submit\(s\) got no definite answer from fal .* their cost is unknown/);
    // The unsure submit is a reason already; only the other two are in the warning.
    expect(v.warnings).toEqual(["billed cost of 2 run(s) is unknown: fal sent no billable units, the outputs do not show them, and there is no ADMIN key for billing events"]);
  });

  it("warns when fal's header bills fewer units than the outputs prove, and uses the header", () => {
    const v = verdict([run("1", { header_units: 1, observed_units: 16 }), run("2", { header_units: 2, observed_units: 2 })]);
    expect(v.pass).toBe(true);
    expect(v.warnings).toEqual([expect.stringMatching(/^1 run\(s\) were billed by fal's billable-units header at fewer units than their outputs and input show \(e\.g\. 1: header 1, outputs 16\)/)]);
  });

  it("fails when a job's billed cost is over the per-job limit", () => {
    const records = [run("1"), run("2", { job: "b", header_units: 8 })];
    const v = verdict(records, { budget: { limitNano: toNano(10), perJobLimitNano: toNano(0.1) } });
    expect(v.reasons).toEqual(["job b billed $0.20, over the per-job limit of $0.10"]);
  });

  it("fails when outputs paid for could not be downloaded, counting every missing file", () => {
    const file = (error: string | null) => ({ source: "images[0]", url: "https://v3.fal.media/x.png", content_type: null, path: null, bytes: null, sha256: null, error });
    const v = verdict([run("1", { outputs: [file("HTTP 404"), file(null)] }), run("2", { outputs: [file("too big")] })]);
    expect(v).toMatchObject({ pass: false, reasons: ["2 output file(s) could not be downloaded (their fal URLs are in the report)"] });
  });
});
