import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import { REPORT_SCHEMA, type Report } from "./model.js";

/**
 * The report JSON as data to check: post-only mode renders a report that an
 * untrusted run wrote, so every field must be what src/report/model.ts says
 * before the renderer, the outputs or the log see it. Unknown keys are
 * dropped. The type check at the bottom keeps this and the model in step.
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
const confidence = z.enum(["exact", "manual", "upper-bound", "unknown"]);
const billedSource = z.enum(["billing-events", "header", "observed", "not-submitted", "pending", "unknown"]);
const priceSource = z.enum(["override", "live", "catalog"]);
const manifestFigures = z.array(z.enum(["units", "unit_price", "max_cost"]));
const unitKind = z.enum([
  "megapixels", "images", "videos", "audios", "requests", "seconds", "five_seconds", "minutes",
  "kilo_characters", "characters", "tokens", "million_tokens", "compute_seconds", "opaque",
]);

const variant = z.object({
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
});

const jobRun = z.object({
  counts,
  billed_nano: nano,
  billed_runs: count,
  pending_runs: count,
  unknown_runs: count,
  delta_nano: nanoDelta,
  error_pct: nullable(z.number()),
  over_estimate_runs: count,
  billed_sources: z.array(billedSource),
  errors: z.array(text),
});

const job = z.object({
  id: text,
  model: text,
  runs: count,
  unit: nullable(text),
  unit_kind: nullable(unitKind),
  unit_price: nullable(amount),
  units_total: nullable(amount),
  estimated: usd,
  estimated_nano: nano,
  unknown_runs: count,
  source: z.enum(["override", "live", "catalog", "none"]),
  source_detail: text,
  from_manifest: manifestFigures,
  confidence,
  variants: z.array(variant),
  run: z.optional(jobRun),
});

const execution = z.object({
  started_at: text,
  finished_at: text,
  duration_ms: z.number(),
  cancelled: z.boolean(),
  cancel_reason: nullable(text),
  counts,
  billing: z.object({ source: z.enum(["billing-events", "header-and-outputs"]), status: text, detail: nullable(text) }),
  billed: nullable(usd),
  billed_nano: nano,
  billed_runs: count,
  pending_runs: count,
  unknown_runs: count,
  delta_nano: nanoDelta,
  error_pct: nullable(z.number()),
  over_estimate_runs: count,
  artifact: nullable(z.object({ name: text, id: count, url: text })),
  artifact_error: nullable(text),
  output_dir: text,
});

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

export const ReportSchema = z
  .object({
    schema: z.literal(REPORT_SCHEMA),
    tool: z.object({ name: text, version: text }),
    generated_at: text,
    mode: z.enum(["estimate", "run"]),
    manifest: z.object({ path: text, jobs: count, runs: count }),
    currency: z.literal("USD"),
    budget: z.object({
      effective: nullable(usd),
      effective_nano: nullable(nano),
      source: z.enum(["input", "manifest", "both", "none"]),
      input: nullable(usd),
      manifest: nullable(usd),
      per_job_limit: nullable(usd),
      warn_at: nullable(z.number()),
      unknown_price: z.enum(["fail", "warn"]),
    }),
    prices: z.object({
      catalog_as_of: text,
      live: z.enum(["ok", "failed", "skipped"]),
      live_detail: nullable(text),
      by_source: z.object({ override: count, live: count, catalog: count, none: count }),
    }),
    verdict: z.enum(["within-budget", "over-budget", "unknown-cost", "no-budget"]),
    pass: z.boolean(),
    reasons: z.array(text),
    warnings: z.array(text),
    totals: z.object({ runs: count, estimated: usd, estimated_nano: nano, unknown_runs: count }),
    jobs: z.array(job),
    execution: z.optional(execution),
    runs: z.optional(z.array(run)),
    context: z.optional(context),
  })
  .check(
    // A run report renders its execution and every job's run summary.
    z.refine((r) => r.mode !== "run" || r.execution !== undefined, { message: "required when mode is run", path: ["execution"] }),
    z.refine((r) => r.mode !== "run" || r.runs !== undefined, { message: "required when mode is run", path: ["runs"] }),
    z.superRefine((r, ctx) => {
      if (r.mode !== "run") return;
      const i = r.jobs.findIndex((j) => j.run === undefined);
      if (i >= 0) ctx.addIssue({ code: "custom", message: "required when mode is run", path: ["jobs", i, "run"], input: r.jobs[i] });
    }),
  );

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
export function parseReport(data: unknown): Report {
  const parsed = ReportSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ReportSchemaError(fieldPath(issue.path), issue.message);
}

/** JSON Schema of the report (what a consumer of `fal-jobs-report/v1` may rely on), generated from the same schema. */
export function reportJsonSchema(): Record<string, unknown> {
  // "input": what the parser accepts; fields a later v1 adds do not make an older consumer's validation fail.
  const schema = z.toJSONSchema(ReportSchema, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
  return {
    ...schema,
    title: "fal-jobs report",
    description: `The report JSON written by fal-jobs-action (${REPORT_SCHEMA}): estimate, gate, and after a real run every run with its billed cost. Money is given as decimal USD strings and as integer nano-USD.`,
  };
}

/** `jobs[0].variants[2].label` */
export function fieldPath(parts: ReadonlyArray<PropertyKey>): string {
  return parts.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}

// The schema's output is a Report, and every Report passes the schema: neither may drift from model.ts.
type Parsed = z.infer<typeof ReportSchema>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const SCHEMA_MATCHES_MODEL: Same<Parsed, Report> = true;
