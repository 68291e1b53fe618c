import type { BillingLookup } from "../billing/types.js";
import { billedCostOf, type BilledSource } from "../billing/reconcile.js";
import type { RunRecord, RunStatus } from "../run/types.js";
import { displayUsd, formatUsd, type Nano } from "../util/money.js";
import type { ExecutionReport, JobRunSummary, Report, RunReport } from "./model.js";

/**
 * Adds what happened to an estimate report: every run with its status,
 * error, files and billed cost, per-job and overall reconciliation, and the
 * reasons the step fails (any run that did not succeed, or spend over budget).
 */

export interface RunReportInput {
  estimate: Report;
  records: RunRecord[];
  billing: BillingLookup | undefined;
  billingSource: ExecutionReport["billing"]["source"];
  startedAt: Date;
  finishedAt: Date;
  cancelReason: string | null;
  artifact: ExecutionReport["artifact"];
  artifactError: string | null;
  outputDir: string;
}

const STATUSES: RunStatus[] = ["succeeded", "failed", "timed-out", "cancelled", "skipped-budget"];
const emptyCounts = (): Record<RunStatus, number> => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;

export function buildRunReport(r: RunReportInput): Report {
  const runs: RunReport[] = r.records.map((rec) => {
    const billed = billedCostOf(rec, r.billing);
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
      over_estimate: billed.cost_nano !== null && billed.cost_nano > rec.estimate_nano,
      dir: rec.dir,
      outputs: rec.outputs,
    };
  });

  const byJob = new Map<string, RunReport[]>();
  for (const run of runs) (byJob.get(run.job) ?? byJob.set(run.job, []).get(run.job)!).push(run);
  const jobs = r.estimate.jobs.map((j) => ({ ...j, run: summarize(byJob.get(j.id) ?? []) }));
  const all = summarize(runs);

  const reasons = [...r.estimate.reasons];
  const warnings = [...r.estimate.warnings];
  if (r.cancelReason) reasons.push(`the run was cancelled (${r.cancelReason}); unfinished fal requests were cancelled`);
  if (all.counts.failed + all.counts["timed-out"] > 0) reasons.push(`${all.counts.failed} run(s) failed and ${all.counts["timed-out"]} timed out`);
  if (all.counts["skipped-budget"] > 0) reasons.push(`${all.counts["skipped-budget"]} run(s) were not started because the budget would have been exceeded`);
  const limit = r.estimate.budget.effective_nano;
  if (limit !== null && all.billed_nano > limit) reasons.push(`billed ${displayUsd(all.billed_nano)} is over the ${displayUsd(limit)} budget`);
  if (all.over_estimate_runs > 0) warnings.push(`${all.over_estimate_runs} run(s) billed more than estimated`);
  if (all.pending_runs > 0) warnings.push(`${all.pending_runs} run(s) have no billing record yet (fal's billing can lag); their cost is pending`);
  const unsure = runs.filter((run) => run.submit_outcome === "unknown").length;
  if (unsure > 0) {
    reasons.push(
      `${unsure} submit(s) got no definite answer from fal (a lost response, a gateway error, or a timeout or cancellation in flight): fal may have accepted and billed them, so their cost is unknown. They were not sent again; check fal's dashboard for requests of this run`,
    );
  }
  if (all.unknown_runs > unsure) warnings.push(`billed cost of ${all.unknown_runs - unsure} run(s) is unknown: fal sent no billable units, the outputs do not show them, and there is no ADMIN key for billing events`);
  const missing = runs.reduce((n, run) => n + run.outputs.filter((o) => o.error).length, 0);
  if (missing > 0) reasons.push(`${missing} output file(s) could not be downloaded (their fal URLs are in the report)`);
  if (r.artifactError) warnings.push(`outputs were not uploaded as an artifact: ${r.artifactError}; the files are in ${r.outputDir}`);

  const complete = all.pending_runs === 0 && all.unknown_runs === 0;
  const execution: ExecutionReport = {
    started_at: r.startedAt.toISOString(),
    finished_at: r.finishedAt.toISOString(),
    duration_ms: r.finishedAt.getTime() - r.startedAt.getTime(),
    cancelled: r.cancelReason !== null,
    cancel_reason: r.cancelReason,
    counts: all.counts,
    billing: {
      source: r.billingSource,
      status: r.billing?.status ?? "not-used",
      detail: r.billing && r.billing.status !== "ok" ? r.billing.message : null,
    },
    billed: complete ? formatUsd(all.billed_nano) : null,
    billed_nano: all.billed_nano,
    billed_runs: all.billed_runs,
    pending_runs: all.pending_runs,
    unknown_runs: all.unknown_runs,
    delta_nano: all.delta_nano,
    error_pct: all.error_pct,
    over_estimate_runs: all.over_estimate_runs,
    artifact: r.artifact,
    artifact_error: r.artifactError,
    output_dir: r.outputDir,
  };
  return { ...r.estimate, mode: "run", pass: reasons.length === 0, reasons, warnings, jobs, runs, execution, generated_at: r.finishedAt.toISOString() };
}

function summarize(runs: RunReport[]): JobRunSummary {
  const counts = emptyCounts();
  let billed = 0;
  let billedRuns = 0;
  let pending = 0;
  let unknown = 0;
  let estOfBilled: Nano = 0;
  let over = 0;
  const sources = new Set<BilledSource>();
  const errors: string[] = [];
  for (const run of runs) {
    counts[run.status]++;
    if (run.error && errors.length < 5 && !errors.includes(run.error.message)) errors.push(run.error.message);
    const b = run.billed;
    if (b.source === "pending") pending++;
    else if (b.source === "unknown") unknown++;
    else if (b.cost_nano !== null) {
      billed += b.cost_nano;
      if (b.source !== "not-submitted") {
        billedRuns++;
        estOfBilled += run.estimated_nano;
        sources.add(b.source);
      }
    }
    if (run.over_estimate) over++;
  }
  // not-submitted runs cost nothing, and are left out of the accuracy figures.
  const delta = billed - estOfBilled;
  return {
    counts,
    billed_nano: billed,
    billed_runs: billedRuns,
    pending_runs: pending,
    unknown_runs: unknown,
    delta_nano: delta,
    error_pct: estOfBilled > 0 ? Math.round((delta / estOfBilled) * 1000) / 10 : null,
    over_estimate_runs: over,
    billed_sources: [...sources],
    errors,
  };
}
