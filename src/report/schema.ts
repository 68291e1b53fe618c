import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import { REPORT_SCHEMA } from "./model.js";
import { plainRunEntry } from "./quick-run.js";

/**
 * The report, `fal-jobs-report/v1`: one schema that gives the report its
 * types (below), the published JSON Schema (reportJsonSchema) and the check
 * post-only mode runs on a report that an untrusted run wrote, so every field
 * is what it says before the renderer, the outputs or the log see it. Unknown
 * keys are dropped. The types are `import type`d elsewhere: only post-only
 * mode and the CLI's `schema report` load zod's schema at run time.
 */

z.config({ ...en(), jitless: true });

const text = z.string();
const usd = z.string().check(z.regex(/^\d{1,15}\.\d{2,9}$/, "expected a USD amount such as 1.25"));
// Amounts in nano-USD are never negative; only differences (delta_nano) may be.
const nano = z.int().check(z.nonnegative());
const nanoDelta = z.int();
const count = z.int().check(z.nonnegative());
const amount = z.number().check(z.nonnegative());
const nullable = <T extends z.ZodMiniType>(t: T) => z.nullable(t);

const runStatus = z.enum(["succeeded", "failed", "cancelled", "skipped-budget", "timed-out"]);
const counts = z.object({ succeeded: count, failed: count, cancelled: count, "skipped-budget": count, "timed-out": count });
const confidence = z.enum(["exact", "manual", "history", "upper-bound", "unknown"]);
const billedSource = z.enum(["billing-events", "header", "observed", "not-submitted", "pending", "unknown"]);
// `history`: the cost per run came from what the job (or model) was billed before, by the lock.
const priceSource = z.enum(["override", "live", "repository", "catalog", "history"]);
const manifestFigures = z.array(z.enum(["units", "unit_price", "max_cost"]));
const unitKind = z.enum([
  "megapixels", "images", "videos", "audios", "requests", "seconds", "five_seconds", "minutes",
  "kilo_characters", "characters", "tokens", "million_tokens", "compute_seconds", "opaque",
]);

/** Billed cost per run over past runs (the lock's entries): of the same job, else of any job of the same model. */
const historyFigure = z.object({ scope: z.enum(["job", "model"]), runs: count, p50: usd, p50_nano: nano, p95: usd, p95_nano: nano });

/** A job's past runs, by the lock: what they were estimated at against what fal billed. */
const pastRuns = z.object({
  runs: count,
  estimated: usd,
  estimated_nano: nano,
  billed: usd,
  billed_nano: nano,
  /** Billed minus estimated, as a % of the estimate; null when it was $0. */
  error_pct: nullable(z.number()),
  over_estimate_runs: count,
  billed_per_run: historyFigure,
});

const variant = z.object({
  /** The first variant's label; `variants` says how many share this cost. */
  label: text,
  variants: count,
  runs: count,
  units_per_run: nullable(amount),
  unit_price: nullable(amount),
  cost_per_run: nullable(usd),
  cost_per_run_nano: nullable(nano),
  basis: text,
  confidence,
  problem: nullable(z.object({ reason: text, fix: text })),
  price_source: nullable(priceSource),
  from_manifest: manifestFigures,
  /** Where the units cannot be known from the input: what such runs were billed before. */
  history: z.optional(nullable(historyFigure)),
});

// The reconciliation's figures, for one job and for the whole run.
const reconciled = {
  counts,
  billed_nano: nano,
  billed_runs: count,
  pending_runs: count,
  unknown_runs: count,
  /** Billed minus estimated, over the runs fal accepted whose billed cost is known. */
  delta_nano: nanoDelta,
  error_pct: nullable(z.number()),
  over_estimate_runs: count,
};

// The whole manifest's figures, as if nothing were locked.
const fullFigures = z.object({ runs: count, estimated: usd, estimated_nano: nano, unknown_runs: count });

const job = z.object({
  id: text,
  model: text,
  /** Runs to submit: those the lock does not hold. `estimated` and `unknown_runs` are over these. */
  runs: count,
  /** Runs the lock holds: generated and paid for before, not submitted again. */
  locked_runs: count,
  /** What fal billed for the locked runs, by the lock (over those whose billed cost it knows). */
  locked_billed_nano: nano,
  full: fullFigures,
  unit: nullable(text),
  unit_kind: nullable(unitKind),
  /** Base unit price; variants may differ by tier. */
  unit_price: nullable(amount),
  units_total: nullable(amount),
  estimated: usd,
  estimated_nano: nano,
  unknown_runs: count,
  source: z.enum(["override", "live", "repository", "catalog", "history", "none"]),
  source_detail: text,
  /** The account's discount (the workflow's `discount-percent`) in this job's price: catalog prices only; absent or null when none. */
  discount_percent: z.optional(nullable(amount)),
  /** Figures of this job's estimate that the manifest supplied (pull-request content), not fal or the input. */
  from_manifest: manifestFigures,
  confidence,
  variants: z.array(variant),
  /** This job's past runs in the lock whose bills are known: how far its estimates were from them. Absent or null: none. */
  past: z.optional(nullable(pastRuns)),
});

// A run report's own parts: when one is missing, say so rather than "expected object, received undefined".
const inRun = { error: (issue: { input?: unknown }) => (issue.input === undefined ? "required when mode is run" : undefined) };

const jobRun = z.object({ ...reconciled, billed_sources: z.array(billedSource), errors: z.array(text) }, inRun);

const runJob = z.extend(job, { run: jobRun });

const execution = z.object(
  {
    started_at: text,
    finished_at: text,
    duration_ms: z.number(),
    cancelled: z.boolean(),
    cancel_reason: nullable(text),
    billing: z.object({ source: z.enum(["billing-events", "header-and-outputs"]), status: text, detail: nullable(text) }),
    billed: nullable(usd),
    ...reconciled,
    artifact: nullable(z.object({ name: text, id: count, url: text })),
    artifact_error: nullable(text),
    output_dir: text,
    /**
     * The small artifact a re-run of this workflow run reads (its journal, lock and this report); absent before
     * it is uploaded. Uploaded even when the outputs artifact fails.
     */
    state_artifact: z.optional(nullable(z.object({ name: text, id: count, url: text }))),
    state_artifact_error: z.optional(nullable(text)),
    /** Runs left running at fal when the run was cancelled, for a re-run to collect by request id. */
    uncollected_runs: z.optional(count),
    /** On a re-run (GITHUB_RUN_ATTEMPT > 1): what earlier attempts left, and what this one did with it. */
    resume: z.optional(
      z.object({
        attempt: text,
        /** Attempts whose state was read. */
        from_attempts: z.array(text),
        /** Runs whose earlier request's result was fetched: nothing submitted for them. */
        collected_runs: count,
        /** Runs whose earlier request fal no longer had, or that failed there: submitted again. */
        resubmitted_runs: count,
      }),
    ),
  },
  inRun,
);

const run = z.object({
  id: text,
  job: text,
  model: text,
  variant: text,
  repeat: count,
  status: runStatus,
  submitted: z.boolean(),
  submit_outcome: z.enum(["not-attempted", "accepted", "rejected", "unknown"]),
  request_id: nullable(text),
  error: nullable(
    z.object({ message: text, status: z.optional(z.number()), type: z.optional(text), stage: z.enum(["submit", "status", "result", "timeout", "cancel"]) }),
  ),
  timings: z.object({
    started_at: nullable(text),
    submitted_at: nullable(text),
    completed_at: nullable(text),
    finished_at: nullable(text),
    total_ms: nullable(z.number()),
  }),
  estimated: usd,
  estimated_nano: nano,
  billed: z.object({ source: billedSource, units: nullable(z.number()), unit_price: nullable(z.number()), cost_nano: nullable(nano), cost: nullable(usd) }),
  over_estimate: z.boolean(),
  dir: nullable(text),
  outputs: z.array(
    z.object({
      source: text,
      url: text,
      content_type: nullable(text),
      path: nullable(text),
      bytes: nullable(z.number()),
      sha256: nullable(text),
      error: nullable(text),
    }),
  ),
  /** Cancelled while fal ran it: left to finish (fal bills it either way), for a re-run to collect by request id. */
  uncollected: z.optional(z.boolean()),
  /** The request an earlier attempt of this workflow run submitted for this run, and what became of it. */
  resumed: z.optional(
    z.object({
      attempt: text,
      request_id: text,
      outcome: z.enum(["collected", "gone", "failed"]),
      detail: z.optional(text),
    }),
  ),
});

const context = z.object({
  repository: z.optional(text),
  event: z.optional(text),
  pr_number: z.optional(z.int().check(z.positive())),
  sha: z.optional(text),
  run_id: z.optional(text),
  run_attempt: z.optional(text),
  server_url: z.optional(text),
});

const budget = z.object({
  effective: nullable(usd),
  effective_nano: nullable(nano),
  source: z.enum(["input", "manifest", "both", "none"]),
  input: nullable(usd),
  manifest: nullable(usd),
  per_job_limit: nullable(usd),
  warn_at: nullable(z.number()),
  unknown_price: z.enum(["fail", "warn"]),
  /** What the gate compared with the budget: the runs to submit (new), or the whole manifest (full). */
  scope: z.enum(["new", "full"]),
});

// Later steps interpolate the lock-path output into shell commands (`git add …`): the same characters the lock
// input allows (lock/read.ts), nothing a shell or Markdown reads as syntax.
const lockPath = z.string().check(z.regex(/^[\w./@+-]{1,4096}$/, "expected a path of letters, digits and ._/@+-"));

const lock = z.object({
  path: nullable(lockPath),
  status: z.enum(["off", "missing", "read"]),
  /** Entries in the lock as read. */
  entries: count,
  /** Lock entries no planned run has any more, by the job that made them. */
  removed: z.array(z.object({ job: text, runs: count, billed_nano: nano })),
  /** After a real run: whether the lock written differs from the one read; null before. */
  changed: nullable(z.boolean()),
  /** After a real run: where the updated lock was written; null before, or when the lock is off. */
  written: nullable(lockPath),
  /** With `lock-save: commit`: where the lock was saved (a commit on the branch, or a pull request); null otherwise. */
  saved: nullable(z.object({ to: z.enum(["branch", "pull-request", "unchanged"]), ref: text, url: nullable(text) })),
});

const prices = z.object({
  catalog_as_of: text,
  live: z.enum(["ok", "failed", "skipped"]),
  live_detail: nullable(text),
  by_source: z.object({ override: count, live: count, catalog: count, history: z.optional(count), none: count, repository: z.optional(count) }),
  /** The workflow's `discount-percent`: taken off catalog prices (live prices are already the account's own); absent or null when none. */
  discount_percent: z.optional(nullable(amount)),
  /** The repository catalog (`fal-jobs.catalog.json`) the estimate read; absent or null when there was none. */
  repository_catalog: z.optional(nullable(z.object({ path: text, updated: text }))),
});

/**
 * What was checked before anything was estimated: each job's model id, and its inputs against the model's input
 * schema where one is known. `unchecked` lists the jobs whose inputs nothing could check (no schema known).
 */
const checks = z.object({
  inputs_checked: z.array(text),
  inputs_unchecked: z.array(z.object({ job: text, model: text })),
});

/**
 * On a pull request: the manifest and its lock as they are at the base commit, estimated with the same prices, so
 * the comment can say what the pull request changes. `fullFigures` per job and in total: what the base would spend
 * on the runs its lock does not hold (`to_spend`) and what its whole manifest costs (`full`).
 */
const base = z.object({
  /** The base commit; null when the base was given as files (the CLI's --base-manifest). */
  sha: nullable(text),
  /** Where the base manifest was read; `absent`: it did not exist there (an empty manifest, $0); `unavailable`: it could not be read or estimated (`detail` says why). */
  source: z.enum(["git", "api", "file", "absent", "unavailable"]),
  detail: nullable(text),
  /** Null when the base is unavailable. */
  totals: nullable(z.object({ to_spend: fullFigures, full: fullFigures })),
  jobs: z.array(z.object({ id: text, to_spend: fullFigures, full: fullFigures })),
  /** The `fail-on-increase` limit the estimates were checked against: a USD amount or a percentage of the base; null when none. */
  fail_on_increase: nullable(z.object({ usd_nano: nullable(nano), percent: nullable(amount) })),
});

/** Before a real run: the account's prepaid credits against the most the run can commit (gate/credit-check.ts). */
const account = z.object({
  credit_check: z.enum(["covered", "short", "skipped", "failed"]),
  /** What fal reported (may be negative); null when not read. */
  balance: nullable(z.string().check(z.regex(/^-?\d{1,15}\.\d{2,9}$/, "expected a USD amount such as 1.25"))),
  balance_nano: nullable(z.int()),
  currency: nullable(text),
  /** The smaller of the budget and the estimate of the runs to submit. */
  needed: usd,
  needed_nano: nano,
  detail: text,
});

const totals = z.object({
  runs: count,
  estimated: usd,
  estimated_nano: nano,
  unknown_runs: count,
  locked_runs: count,
  removed_runs: count,
  full: fullFigures,
});

// What both modes' reports hold, split where `mode` and the run's own parts go so the fields keep their order.
const head = {
  schema: z.literal(REPORT_SCHEMA),
  tool: z.object({ name: text, version: text }),
  generated_at: text,
};
const gate = {
  manifest: z.object({ path: text, jobs: count, runs: count }),
  currency: z.literal("USD"),
  budget,
  prices,
  verdict: z.enum(["within-budget", "over-budget", "unknown-cost", "no-budget"]),
  pass: z.boolean(),
  reasons: z.array(text),
  warnings: z.array(text),
  totals,
  lock,
  base: z.optional(base),
  /** Real runs only: the credit check made before anything was submitted. */
  account: z.optional(account),
  checks: z.optional(checks),
};

const estimateReport = z.object({ ...head, mode: z.literal("estimate"), ...gate, jobs: z.array(job), context: z.optional(context) });

/**
 * A shard of a batch split across an Actions matrix (`shard: i/N`): which
 * part of the plan this run was, what every shard's part is (each shard
 * computes them all, alone), and what the merge checks that the reports
 * belong together by.
 */
const artifactRef = z.object({ name: text, id: count, url: text });
const shardShare = z.object({ index: count, runs: count, estimated_nano: nano, budget_nano: nullable(nano) });
const shard = z.object({
  /** 1-based. */
  index: count,
  total: count,
  /** sha256 of the manifest file's bytes. */
  manifest_sha256: text,
  /** Digest of the partition (every run to submit, its estimate and its shard): equal in shards of one plan. */
  partition: text,
  /** This shard's runs and their estimate. */
  runs: count,
  estimated_nano: nano,
  /** This shard's hard cap: its share of the budget in proportion to its share of the estimate. */
  budget_nano: nullable(nano),
  /** Every shard's part, this one's included, by index. */
  shares: z.array(shardShare),
  /** The lock this shard made (its runs added), beside the report, for the merge to combine; null when the lock is off. */
  lock_file: nullable(text),
});

/** After `merge`: one report made of the shards' reports. */
const merged = z.object({
  total: count,
  shards: z.array(
    z.object({
      index: count,
      /** complete: ran to the end; partial: cancelled or out of time, what it did is here; missing: no report. */
      status: z.enum(["complete", "partial", "missing"]),
      attempt: nullable(text),
      runs: count,
      estimated_nano: nano,
      budget_nano: nullable(nano),
      billed_nano: nano,
      unknown_runs: count,
      skipped_budget_runs: count,
      /** Its cap minus what it billed (or committed, while not known); null when it has no cap or is missing. */
      unused_budget_nano: nullable(nano),
      artifact: nullable(artifactRef),
    }),
  ),
  /** Runs of missing shards: their cost is unknown (never $0), and counted in `execution.unknown_runs`. */
  missing_runs: count,
  missing_estimated_nano: nano,
  /** Budget the shards left unused, summed: what a shard that stopped at its cap could not borrow. */
  unused_budget_nano: nano,
});

/**
 * After a real run: the execution, every run and every job's run summary are required. Issues come in field
 * order and parseReport names the first, so the execution (what the outputs and the log line read) goes first.
 */
const runModeReport = z.object({
  ...head,
  mode: z.literal("run"),
  ...gate,
  execution,
  runs: z.array(run, inRun),
  /** Runs the lock held: not submitted, their files are where the lock says. */
  locked: z.array(
    z.object({
      id: text,
      job: text,
      key: text,
      request_id: text,
      finished_at: text,
      billed: nullable(usd),
      billed_nano: nullable(nano),
      billed_source: text,
      outputs: count,
      artifact_url: nullable(text),
    }),
    inRun,
  ),
  jobs: z.array(runJob),
  context: z.optional(context),
  /** Set in a shard's report (`shard: i/N`). */
  shard: z.optional(shard),
  /** Set in the report `merge` made of the shards'. */
  merge: z.optional(merged),
});

/**
 * When nothing could be estimated (an invalid manifest or lock, a run that could not start, an internal error):
 * what went wrong, where, and how to fix it, so the job summary, the PR comment and the fork-safe upload step
 * (which needs `report-path`) still have a report to show. Nothing was submitted.
 */
const errorReport = z.object({
  ...head,
  mode: z.literal("error"),
  manifest: z.object({ path: text }),
  pass: z.literal(false),
  error: z.object({
    kind: z.enum(["invalid-manifest", "invalid-lock", "could-not-start", "internal-error"]),
    message: text,
    /** Each problem at its place in the file (invalid-manifest, invalid-lock); empty otherwise. */
    issues: z.array(z.object({ file: text, line: count, column: count, path: text, message: text })),
  }),
  context: z.optional(context),
});

const ReportSchema = z.discriminatedUnion("mode", [estimateReport, runModeReport, errorReport]);

// The report's types are the schema's: the published contract is written down once, here, and the builders
// (model.ts, run-report.ts) must map internal values into it.
export type Report = EstimateReport | RunModeReport;
/** Any report the action writes: an estimate, a run, or why neither could be made. */
export type AnyReport = z.output<typeof ReportSchema>;
export type ErrorReport = z.output<typeof errorReport>;
export type EstimateReport = z.output<typeof estimateReport>;
export type RunModeReport = z.output<typeof runModeReport>;
export type JobReport = z.output<typeof job>;
/** Matrix variants that cost the same per run, as one entry: a 100,000-run matrix must not make a 30 MB report. */
export type VariantReport = z.output<typeof variant>;
export type JobRunSummary = z.output<typeof jobRun>;
export type ExecutionReport = z.output<typeof execution>;
/** One run of a run report. */
export type RunEntry = z.output<typeof run>;
export type LockedRunEntry = RunModeReport["locked"][number];
export type ReportContext = z.output<typeof context>;
export type BaseReport = z.output<typeof base>;
export type AccountReport = z.output<typeof account>;
export type ShardReport = z.output<typeof shard>;
/** One run entry's schema, for the tests of its quick check (quick-run.ts). */
export const runEntrySchema = run;
export type MergeReport = z.output<typeof merged>;

export class ReportSchemaError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field || "(top level)"}: ${detail}`);
    this.name = "ReportSchemaError";
  }
}

/** The report if `data` is one; otherwise a ReportSchemaError naming the first bad field. */
export function parseReport(data: unknown): AnyReport {
  // A run report whose runs are all of the plain shape: the schema checks the rest, and the runs stand as they are.
  const plain = isRunReportWithPlainRuns(data);
  const parsed = ReportSchema.safeParse(plain ? { ...data, runs: [] } : data);
  if (plain && parsed.success && parsed.data.mode === "run") parsed.data.runs = data.runs as RunModeReport["runs"];
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ReportSchemaError(fieldPath(issue.path), issue.message);
  }
  const disagreement = inconsistency(parsed.data);
  if (disagreement) throw new ReportSchemaError(disagreement.field, disagreement.detail);
  return parsed.data;
}

/**
 * Fields that are each well formed can still disagree, and the outputs are
 * set from the totals: a total must be its parts, and a billed total is
 * stated only when no run's cost is pending or unknown.
 */
function inconsistency(r: AnyReport): { field: string; detail: string } | undefined {
  if (r.mode === "error") return undefined;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  if (r.totals.estimated_nano !== sum(r.jobs.map((j) => j.estimated_nano))) return { field: "totals.estimated_nano", detail: "is not the sum of the jobs' estimates" };
  if (r.totals.unknown_runs !== sum(r.jobs.map((j) => j.unknown_runs))) return { field: "totals.unknown_runs", detail: "is not the sum of the jobs' unknown runs" };
  if (r.totals.full.estimated_nano !== sum(r.jobs.map((j) => j.full.estimated_nano))) return { field: "totals.full.estimated_nano", detail: "is not the sum of the jobs' full estimates" };
  if (r.jobs.some((j) => j.runs + j.locked_runs !== j.full.runs || j.estimated_nano > j.full.estimated_nano)) {
    return { field: "jobs", detail: "a job's runs to submit and locked runs do not add up to its full runs" };
  }
  const base = r.base;
  if (base && (base.totals === null ? base.jobs.length > 0 : base.totals.to_spend.estimated_nano !== sum(base.jobs.map((j) => j.to_spend.estimated_nano)) || base.totals.full.estimated_nano !== sum(base.jobs.map((j) => j.full.estimated_nano)))) {
    return { field: "base.totals", detail: "are not the sums of the base's jobs" };
  }
  if (r.mode !== "run") return undefined;
  const e = r.execution;
  // One pass over the runs: a merge checks 100,000 of them.
  let pending = 0;
  let unknown = 0;
  let billed = 0;
  for (const run of r.runs) {
    if (run.billed.source === "pending") pending++;
    else if (run.billed.source === "unknown") unknown++;
    billed += run.billed.cost_nano ?? 0;
  }
  // A merged report counts the runs of missing shards as unknown: they are in no shard's `runs`.
  if (e.pending_runs !== pending || e.unknown_runs !== unknown + (r.merge?.missing_runs ?? 0)) return { field: "execution.pending_runs", detail: "does not match the runs whose cost is pending or unknown" };
  if (e.billed !== null && pending + unknown > 0) return { field: "execution.billed", detail: "states a billed total while some runs' cost is pending or unknown" };
  if (e.billed_nano !== billed) return { field: "execution.billed_nano", detail: "is not the sum of the runs' billed costs" };
  return undefined;
}

function isRunReportWithPlainRuns(data: unknown): data is Record<string, unknown> {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return false;
  const d = data as Record<string, unknown>;
  return d.mode === "run" && Array.isArray(d.runs) && (d.runs as unknown[]).every(plainRunEntry);
}

/** JSON Schema of the report (what a consumer of `fal-jobs-report/v1` may rely on), generated from the same schema. */
export function reportJsonSchema(): Record<string, unknown> {
  // "input": what the parser accepts; fields a later v1 adds do not make an older consumer's validation fail.
  // The parts both modes share are written once, under names a reader can follow.
  const defs = z.registry<{ id: string }>();
  for (const [id, part] of Object.entries({ budget, prices, totals, variant, counts, context, lock, fullFigures, base, account, historyFigure, pastRuns, shard, merged })) defs.add(part, { id });
  const schema = z.toJSONSchema(ReportSchema, { io: "input", target: "draft-2020-12", metadata: defs }) as Record<string, unknown>;
  return {
    ...schema,
    title: "fal-jobs report",
    description: `The report JSON written by fal-jobs-action (${REPORT_SCHEMA}): estimate, gate, and after a real run every run with its billed cost; or, when neither could be made, the error (mode 'error'). Money is given as decimal USD strings and as integer nano-USD.`,
  };
}

/** `jobs[0].variants[2].label` */
function fieldPath(parts: ReadonlyArray<PropertyKey>): string {
  return parts.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}

export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time: the JSON Schema (made from what the parser accepts) and the types (what it returns) describe one document. */
const JSON_SCHEMA_MATCHES_TYPES: Same<z.input<typeof ReportSchema>, AnyReport> = true;
void JSON_SCHEMA_MATCHES_TYPES;
