import { displayUsd, formatUsd, type Nano } from "../util/money.js";
import type { ExecutionReport, JobRunSummary, RunModeReport } from "./model.js";
import type { MergeReport } from "./schema.js";

/**
 * One report made of the reports of a batch's shards (`shard: i/N`), as if
 * one job had run it. Nothing is re-estimated: the shards' reports say it
 * all, and checking that they belong together comes first.
 *
 * - Together: the same manifest (content hash), the same N, the same workflow
 *   run, and the same partition (the shards read the same lock and prices,
 *   so their parts are disjoint). Anything else is refused, naming the files.
 * - Each shard once: of a shard reported by several attempts of the workflow
 *   run (a re-run of a failed shard), the latest counts; two reports of one
 *   shard from the same attempt are refused.
 * - A shard with no report is missing: its runs (every shard records every
 *   shard's part) are counted as of unknown cost, never $0, and the merge fails.
 */

export interface ShardFile {
  file: string;
  report: RunModeReport;
}

export class MergeRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MergeRefused";
  }
}

export interface MergeOutcome {
  report: RunModeReport;
  /** The reports used, by shard (the latest attempt of each), in shard order. */
  used: ShardFile[];
}

export function mergeShardReports(files: readonly ShardFile[], now = new Date()): MergeOutcome {
  if (files.length === 0) throw new MergeRefused("no shard reports to merge");
  const first = files[0]!;
  for (const f of files) {
    if (!f.report.shard) throw new MergeRefused(`${f.file} is not a shard's report (it has no \`shard\`): merge combines the reports of runs with the \`shard\` input`);
  }
  const head = first.report.shard!;
  const runOf = (r: RunModeReport) => r.context?.run_id ?? null;
  for (const f of files.slice(1)) {
    const s = f.report.shard!;
    if (s.manifest_sha256 !== head.manifest_sha256) {
      throw new MergeRefused(`${f.file} is the report of another manifest than ${first.file} (manifest sha256 ${s.manifest_sha256.slice(0, 12)}… against ${head.manifest_sha256.slice(0, 12)}…): merge only the shards of one run of one manifest`);
    }
    if (s.total !== head.total) throw new MergeRefused(`${f.file} is shard ${s.index} of ${s.total}, ${first.file} shard ${head.index} of ${head.total}: every shard must be of the same N`);
    if (runOf(f.report) !== runOf(first.report)) {
      throw new MergeRefused(`${f.file} is from workflow run ${runOf(f.report) ?? "(none)"}, ${first.file} from ${runOf(first.report) ?? "(none)"}: merge the shards of one workflow run (download only this run's artifacts)`);
    }
    if (s.partition !== head.partition) {
      throw new MergeRefused(`${f.file} and ${first.file} split different plans (partition ${s.partition.slice(0, 12)}… against ${head.partition.slice(0, 12)}…): the shards read different locks or prices, so their runs may overlap; check the report of each`);
    }
  }
  const byShard = new Map<number, ShardFile>();
  for (const f of files) {
    const index = f.report.shard!.index;
    const other = byShard.get(index);
    if (!other) {
      byShard.set(index, f);
      continue;
    }
    const a = attemptOf(other.report);
    const b = attemptOf(f.report);
    if (a === b) throw new MergeRefused(`shard ${index} of ${head.total} is there twice, from the same attempt: ${other.file} and ${f.file}; each shard must be merged once`);
    if (b > a) byShard.set(index, f);
  }
  const used = [...byShard.values()].sort((x, y) => x.report.shard!.index - y.report.shard!.index);
  return { report: combine(used, head.total, now), used };
}

function attemptOf(r: RunModeReport): number {
  return Number(r.context?.run_attempt ?? "1") || 1;
}

function combine(used: ShardFile[], total: number, now: Date): RunModeReport {
  const base = used[0]!.report;
  const shares = base.shard!.shares;
  const present = new Map(used.map((f) => [f.report.shard!.index, f.report]));
  const shards: MergeReport["shards"] = [];
  const reasons: string[] = [];
  const warnings: string[] = [];
  let missingRuns = 0;
  let missingNano: Nano = 0;
  for (let index = 1; index <= total; index++) {
    const share = shares[index - 1]!;
    const r = present.get(index);
    if (!r) {
      missingRuns += share.runs;
      missingNano += share.estimated_nano;
      reasons.push(`shard ${index} of ${total} has no report (it failed before writing one, or its report was not downloaded): its ${share.runs} run(s), estimated ${displayUsd(share.estimated_nano)}, are of unknown cost`);
      shards.push({ index, status: "missing", attempt: null, runs: share.runs, estimated_nano: share.estimated_nano, budget_nano: share.budget_nano, billed_nano: 0, unknown_runs: share.runs, skipped_budget_runs: 0, unused_budget_nano: null, artifact: null });
      continue;
    }
    const e = r.execution;
    for (const reason of r.reasons) reasons.push(`shard ${index}: ${reason}`);
    for (const w of r.warnings) warnings.push(`shard ${index}: ${w}`);
    // While some runs' cost is not known, the shard's commitment is at least their estimates.
    const unsettled = r.runs.filter((run) => run.billed.cost_nano === null && run.submitted).reduce((n, run) => n + run.estimated_nano, 0);
    const cap = r.shard!.budget_nano;
    shards.push({
      index,
      status: e.cancelled ? "partial" : "complete",
      attempt: r.context?.run_attempt ?? null,
      runs: r.runs.length,
      estimated_nano: r.shard!.estimated_nano,
      budget_nano: cap,
      billed_nano: e.billed_nano,
      unknown_runs: e.unknown_runs,
      skipped_budget_runs: e.counts["skipped-budget"],
      unused_budget_nano: cap === null ? null : Math.max(0, cap - e.billed_nano - unsettled),
      artifact: e.artifact,
    });
  }
  const reports = used.map((f) => f.report);
  const runs = reports.flatMap((r) => r.runs);
  const unusedNano = shards.reduce((n, s) => n + (s.unused_budget_nano ?? 0), 0);
  const skipped = shards.reduce((n, s) => n + s.skipped_budget_runs, 0);
  if (skipped > 0 && unusedNano > 0) {
    warnings.push(`${skipped} run(s) were skipped at their shard's cap while other shards left ${displayUsd(unusedNano)} of the budget unused: shards cannot lend each other budget (each may spend only its share)`);
  }
  const merge: MergeReport = { total, shards, missing_runs: missingRuns, missing_estimated_nano: missingNano, unused_budget_nano: unusedNano };
  const execution = mergeExecutions(reports.map((r) => r.execution), missingRuns);
  const jobs = base.jobs.map((job, j) => ({ ...job, run: mergeJobRuns(reports.map((r) => r.jobs[j]!.run)) }));
  const { shard: _shard, ...rest } = base;
  void _shard;
  return {
    ...rest,
    generated_at: now.toISOString(),
    pass: reasons.length === 0,
    reasons,
    warnings: [...new Set(warnings)],
    runs,
    jobs,
    execution,
    lock: { ...base.lock, changed: null, written: null, saved: null },
    merge,
  };
}

const STATUSES = ["succeeded", "failed", "cancelled", "skipped-budget", "timed-out"] as const;

function sumCounts(all: ReadonlyArray<ExecutionReport["counts"]>): ExecutionReport["counts"] {
  const counts = { succeeded: 0, failed: 0, cancelled: 0, "skipped-budget": 0, "timed-out": 0 };
  for (const c of all) for (const s of STATUSES) counts[s] += c[s];
  return counts;
}

/** The accuracy figures over the runs whose billed cost is known: billed − delta is what those runs were estimated at. */
function sumReconciled(all: ReadonlyArray<Pick<JobRunSummary, "counts" | "billed_nano" | "billed_runs" | "pending_runs" | "unknown_runs" | "delta_nano" | "over_estimate_runs">>) {
  const sum = (f: (x: (typeof all)[number]) => number) => all.reduce((n, x) => n + f(x), 0);
  const billed = sum((x) => x.billed_nano);
  const delta = sum((x) => x.delta_nano);
  const estOfBilled = billed - delta;
  return {
    counts: sumCounts(all.map((x) => x.counts)),
    billed_nano: billed,
    billed_runs: sum((x) => x.billed_runs),
    pending_runs: sum((x) => x.pending_runs),
    unknown_runs: sum((x) => x.unknown_runs),
    delta_nano: delta,
    error_pct: estOfBilled > 0 ? Math.round((delta / estOfBilled) * 1000) / 10 : null,
    over_estimate_runs: sum((x) => x.over_estimate_runs),
  };
}

function mergeJobRuns(all: JobRunSummary[]): JobRunSummary {
  const errors = [...new Set(all.flatMap((x) => x.errors))].slice(0, 5);
  return { ...sumReconciled(all), billed_sources: [...new Set(all.flatMap((x) => x.billed_sources))], errors };
}

function mergeExecutions(all: ExecutionReport[], missingRuns: number): ExecutionReport {
  const figures = sumReconciled(all);
  const started = all.map((e) => e.started_at).sort()[0]!;
  const finished = all.map((e) => e.finished_at).sort().at(-1)!;
  const cancelled = all.filter((e) => e.cancelled);
  const unknown = figures.unknown_runs + missingRuns;
  const billing = all.find((e) => e.billing.status !== "ok") ?? all[0]!;
  return {
    started_at: started,
    finished_at: finished,
    duration_ms: Date.parse(finished) - Date.parse(started),
    cancelled: cancelled.length > 0,
    cancel_reason: cancelled.length ? [...new Set(cancelled.map((e) => e.cancel_reason ?? "cancelled"))].join("; ") : null,
    billing: billing.billing,
    // A total is stated only when every run's cost is known, the missing shards' included.
    billed: figures.pending_runs + unknown === 0 ? formatUsd(figures.billed_nano) : null,
    ...figures,
    unknown_runs: unknown,
    // Each shard has its own artifact: they are listed in `merge.shards`.
    artifact: null,
    artifact_error: null,
    output_dir: all[0]!.output_dir,
    uncollected_runs: all.reduce((n, e) => n + (e.uncollected_runs ?? 0), 0),
  };
}
