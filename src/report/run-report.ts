import { summarizeCosts, type CostSummary, type Reconciliation, type RunCost } from "../billing/reconcile.js";
import type { RunVerdict } from "../gate/run-verdict.js";
import type { OutputFile, ResumedRequest, RunError, RunStatus } from "../run/types.js";
import { formatUsd } from "../util/money.js";
import type { EstimateReport, ExecutionReport, JobRunSummary, RunEntry, RunModeReport } from "./model.js";
import type { LockedRunEntry, Same } from "./schema.js";
import type { LockedRun } from "../lock/diff.js";

/**
 * Adds what happened to an estimate report, as JSON: every run with its
 * status, error, files and billed cost, the per-job and overall
 * reconciliation (billing/reconcile.ts) and the run's verdict
 * (estimate/run-verdict.ts). Nothing is decided here. Internal records are
 * copied field by field into the schema's shapes, so a field added to or
 * renamed in RunRecord cannot reach the published JSON unnoticed.
 */

export interface RunReportInput {
  estimate: EstimateReport;
  reconciliation: Reconciliation;
  verdict: RunVerdict;
  billingSource: ExecutionReport["billing"]["source"];
  startedAt: Date;
  finishedAt: Date;
  cancelReason: string | null;
  outputDir: string;
  /** Runs the lock held, not submitted. */
  locked: LockedRun[];
  /** Artifact URLs of the lock's stores, by store id. */
  storeUrls: ReadonlyMap<string, string>;
}

export function buildRunReport(r: RunReportInput): RunModeReport {
  const { perRun, perJob, totals } = r.reconciliation;
  const runs = perRun.map(runEntry);
  const errors = firstErrorsByJob(perRun);
  const jobs = r.estimate.jobs.map((j) => ({ ...j, run: jobRunSummary(perJob.get(j.id) ?? summarizeCosts([]), errors.get(j.id) ?? []) }));
  const execution: ExecutionReport = {
    started_at: r.startedAt.toISOString(),
    finished_at: r.finishedAt.toISOString(),
    duration_ms: r.finishedAt.getTime() - r.startedAt.getTime(),
    cancelled: r.cancelReason !== null,
    cancel_reason: r.cancelReason,
    counts: totals.counts,
    billing: { source: r.billingSource, status: r.reconciliation.billing.status, detail: r.reconciliation.billing.detail },
    // A total shown while some runs are pending or unknown would look complete and be too low.
    billed: totals.complete ? formatUsd(totals.billedNano) : null,
    billed_nano: totals.billedNano,
    billed_runs: totals.billedRuns,
    pending_runs: totals.pendingRuns,
    unknown_runs: totals.unknownRuns,
    delta_nano: totals.deltaNano,
    error_pct: totals.errorPct,
    over_estimate_runs: totals.overEstimateRuns,
    // The artifact is uploaded after the report is written: action/modes/real-run.ts fills these in.
    artifact: null,
    artifact_error: null,
    output_dir: r.outputDir,
  };
  const { pass, reasons, warnings } = r.verdict;
  const locked = r.locked.map((l) => lockedEntry(l, r.storeUrls));
  return { ...r.estimate, mode: "run", pass, reasons, warnings, jobs, runs, locked, execution, generated_at: r.finishedAt.toISOString() };
}

function lockedEntry({ key, runId, entry }: LockedRun, storeUrls: ReadonlyMap<string, string>): LockedRunEntry {
  return {
    id: runId,
    job: entry.job,
    key,
    request_id: entry.request_id,
    finished_at: entry.finished_at,
    billed: entry.billed,
    billed_nano: entry.billed_nano,
    billed_source: entry.billed_source,
    outputs: entry.outputs.length,
    artifact_url: entry.stored_in === null ? null : (storeUrls.get(entry.stored_in) ?? null),
  };
}

function runEntry({ record: rec, billed, overEstimate }: RunCost): RunEntry {
  const t = rec.timings;
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
    error: rec.error && runError(rec.error),
    timings: { started_at: t.started_at, submitted_at: t.submitted_at, completed_at: t.completed_at, finished_at: t.finished_at, total_ms: t.total_ms },
    estimated: formatUsd(rec.estimate_nano),
    estimated_nano: rec.estimate_nano,
    billed: { source: billed.source, units: billed.units, unit_price: billed.unit_price, cost_nano: billed.cost_nano, cost: billed.cost_nano === null ? null : formatUsd(billed.cost_nano) },
    over_estimate: overEstimate,
    dir: rec.dir,
    outputs: rec.outputs.map(outputEntry),
    ...(rec.uncollected && { uncollected: true }),
    ...(rec.resumed && { resumed: resumedEntry(rec.resumed) }),
  };
}

function resumedEntry({ attempt, request_id, outcome, detail }: ResumedRequest): NonNullable<RunEntry["resumed"]> {
  return { attempt, request_id, outcome, ...(detail !== undefined && { detail }) };
}

function runError({ message, status, type, stage }: RunError): NonNullable<RunEntry["error"]> {
  // Absent, not undefined: the in-memory report equals the JSON it is written as.
  return { message, ...(status !== undefined && { status }), ...(type !== undefined && { type }), stage };
}

function outputEntry({ source, url, content_type, path, bytes, sha256, error }: OutputFile): RunEntry["outputs"][number] {
  return { source, url, content_type, path, bytes, sha256, error };
}

/** Compile-time: `counts` passes through keyed by RunStatus, so the schema lists exactly the statuses a run can have. */
const COUNTS_MATCH_RUN_STATUS: Same<keyof ExecutionReport["counts"], RunStatus> = true;
void COUNTS_MATCH_RUN_STATUS;

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
