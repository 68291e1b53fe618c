import type { Reconciliation } from "../billing/reconcile.js";
import { displayUsd } from "../util/money.js";
import type { EffectiveBudget, GateResult } from "./estimate-gate.js";
import { inShell } from "../util/shell.js";

/**
 * The real run's gate, the counterpart of applyGate: the step fails when any
 * run did not succeed, spend went over the budget, a submit's fate is unknown
 * (fal may have billed it), or outputs paid for were not kept. Costs that are
 * not known yet are warnings, never counted as $0.
 */

export interface RunVerdictInput {
  /** The estimate gate's outcome: a real run only adds to its reasons and warnings. */
  gate: Pick<GateResult, "reasons" | "warnings">;
  budget: Pick<EffectiveBudget, "limitNano" | "perJobLimitNano">;
  reconciliation: Reconciliation;
  cancelReason: string | null;
}

export interface RunVerdict {
  pass: boolean;
  /** Why the step fails; empty when it passes. */
  reasons: string[];
  warnings: string[];
}

export function runVerdict(r: RunVerdictInput): RunVerdict {
  const all = r.reconciliation.totals;
  const reasons = [...r.gate.reasons];
  const warnings = [...r.gate.warnings];
  if (r.cancelReason) {
    const left = r.reconciliation.perRun.filter((run) => run.record.uncollected).length;
    reasons.push(`the run was cancelled (${r.cancelReason}); queued fal requests were cancelled${left > 0 ? `, ${left} ${inShell({ action: "running one(s) left to finish for a re-run to collect", cli: "could not be cancelled and may run on at fal (and bill)" })}` : ""}`);
  }
  if (all.counts.failed + all.counts["timed-out"] > 0) reasons.push(`${all.counts.failed} run(s) failed and ${all.counts["timed-out"]} timed out`);
  if (all.counts["skipped-budget"] > 0) reasons.push(`${all.counts["skipped-budget"]} run(s) were not started because the budget would have been exceeded`);
  const limit = r.budget.limitNano;
  // Known spend alone over the limit fails; pending and unknown runs can only add to it.
  if (limit !== undefined && all.billedNano > limit) reasons.push(`billed ${displayUsd(all.billedNano)} is over the ${displayUsd(limit)} budget`);
  const jobLimit = r.budget.perJobLimitNano;
  if (jobLimit !== undefined) {
    for (const [job, cost] of r.reconciliation.perJob) {
      if (cost.billedNano > jobLimit) reasons.push(`job ${job} billed ${displayUsd(cost.billedNano)}, over the per-job limit of ${displayUsd(jobLimit)}`);
    }
  }
  if (all.overEstimateRuns > 0) warnings.push(`${all.overEstimateRuns} run(s) billed more than estimated`);
  if (all.pendingRuns > 0) warnings.push(`${all.pendingRuns} run(s) have no billing record yet (fal's billing can lag); their cost is pending`);
  if (all.unknownSubmits > 0) {
    reasons.push(
      `${all.unknownSubmits} submit(s) got no definite answer from fal (a lost response, a gateway error, or a timeout or cancellation in flight): fal may have accepted and billed them, so their cost is unknown. They were not sent again; check fal's dashboard for requests of this run`,
    );
  }
  const unpriced = all.unknownRuns - all.unknownSubmits;
  if (unpriced > 0) warnings.push(`billed cost of ${unpriced} run(s) is unknown: fal sent no billable units, the outputs do not show them, and there is no ADMIN key for billing events`);
  // fal bills by its header, but a header below what the outputs prove deserves a look (the review found one that hid 15×).
  const underHeader = r.reconciliation.perRun.filter(({ record: rec, billed }) => billed.source === "header" && rec.header_units !== null && rec.observed_units !== null && rec.header_units < rec.observed_units);
  if (underHeader.length > 0) {
    const first = underHeader[0]!.record;
    warnings.push(
      `${underHeader.length} run(s) were billed by fal's billable-units header at fewer units than their outputs and input show (e.g. ${first.id}: header ${first.header_units}, outputs ${first.observed_units}); the header was used, as fal bills by it — check fal's billing for these runs`,
    );
  }
  const missing = r.reconciliation.perRun.reduce((n, run) => n + run.record.outputs.filter((o) => o.error).length, 0);
  if (missing > 0) reasons.push(`${missing} output file(s) could not be downloaded (their fal URLs are in the report)`);
  return { pass: reasons.length === 0, reasons, warnings };
}
