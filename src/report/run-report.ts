import { summarizeCosts, type CostSummary, type Reconciliation, type RunCost } from "../billing/reconcile.js";
import type { RunVerdict } from "../estimate/run-verdict.js";
import { formatUsd } from "../util/money.js";
import type { ExecutionReport, JobRunSummary, Report, RunReport } from "./model.js";

/**
 * Adds what happened to an estimate report, as JSON: every run with its
 * status, error, files and billed cost, the per-job and overall
 * reconciliation (billing/reconcile.ts) and the run's verdict
 * (estimate/run-verdict.ts). Nothing is decided here.
 */

export interface RunReportInput {
  estimate: Report;
  reconciliation: Reconciliation;
  verdict: RunVerdict;
  billingSource: ExecutionReport["billing"]["source"];
  startedAt: Date;
  finishedAt: Date;
  cancelReason: string | null;
  outputDir: string;
}

export function buildRunReport(r: RunReportInput): Report {
  const { perRun, perJob, totals } = r.reconciliation;
  const runs = perRun.map(runReport);
  const errors = firstErrorsByJob(perRun);
  const jobs = r.estimate.jobs.map((j) => ({ ...j, run: jobRunSummary(perJob.get(j.id) ?? summarizeCosts([]), errors.get(j.id) ?? []) }));
  const execution: ExecutionReport = {
    started_at: r.startedAt.toISOString(),
    finished_at: r.finishedAt.toISOString(),
    duration_ms: r.finishedAt.getTime() - r.startedAt.getTime(),
    cancelled: r.cancelReason !== null,
    cancel_reason: r.cancelReason,
    counts: totals.counts,
    billing: { source: r.billingSource, ...r.reconciliation.billing },
    // A total shown while some runs are pending or unknown would look complete and be too low.
    billed: totals.complete ? formatUsd(totals.billedNano) : null,
    billed_nano: totals.billedNano,
    billed_runs: totals.billedRuns,
    pending_runs: totals.pendingRuns,
    unknown_runs: totals.unknownRuns,
    delta_nano: totals.deltaNano,
    error_pct: totals.errorPct,
    over_estimate_runs: totals.overEstimateRuns,
    // The artifact is uploaded after the report is written: main.ts fills these in.
    artifact: null,
    artifact_error: null,
    output_dir: r.outputDir,
  };
  const { pass, reasons, warnings } = r.verdict;
  return { ...r.estimate, mode: "run", pass, reasons, warnings, jobs, runs, execution, generated_at: r.finishedAt.toISOString() };
}

function runReport({ record: rec, billed, overEstimate }: RunCost): RunReport {
  return {
    id: rec.id,
    job: rec.job,
    model: rec.model,
    variant: rec.variant,
    repeat: rec.repeat,
    status: rec.status,
    submitted: rec.submitted,
    submit_outcome: rec.submit_outcome,
    request_id: rec.request_id,
    error: rec.error,
    timings: rec.timings,
    estimated: formatUsd(rec.estimate_nano),
    estimated_nano: rec.estimate_nano,
    billed: { ...billed, cost: billed.cost_nano === null ? null : formatUsd(billed.cost_nano) },
    over_estimate: overEstimate,
    dir: rec.dir,
    outputs: rec.outputs,
  };
}

function jobRunSummary(s: CostSummary, errors: string[]): JobRunSummary {
  return {
    counts: s.counts,
    billed_nano: s.billedNano,
    billed_runs: s.billedRuns,
    pending_runs: s.pendingRuns,
    unknown_runs: s.unknownRuns,
    delta_nano: s.deltaNano,
    error_pct: s.errorPct,
    over_estimate_runs: s.overEstimateRuns,
    billed_sources: s.sources,
    errors,
  };
}

/** A few distinct messages per job are enough for a table cell; every run's error is in `runs`. */
function firstErrorsByJob(runs: readonly RunCost[]): Map<string, string[]> {
  const byJob = new Map<string, string[]>();
  for (const { record } of runs) {
    if (!record.error) continue;
    const errors = byJob.get(record.job) ?? byJob.set(record.job, []).get(record.job)!;
    if (errors.length < 5 && !errors.includes(record.error.message)) errors.push(record.error.message);
  }
  return byJob;
}
