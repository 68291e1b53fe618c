import { z } from "zod";
import { parseDurationMs } from "../util/duration.js";

// Each schema is used a handful of times per process: compiling zod's generated fast paths costs more than it saves at startup.
z.config({ jitless: true });

/**
 * fal-jobs.yaml, version 1. Every object is strict: an unknown key is an error,
 * because a typo (`num_image`, `repeats`) must never silently change what runs
 * or what it costs.
 */

export const MAX_RUNS_PER_MANIFEST = 1_000_000;

const money = z.number().nonnegative().finite();

const duration = z.union([
  z.number().positive().finite(),
  z.string().refine((s) => {
    try {
      parseDurationMs(s);
      return true;
    } catch {
      return false;
    }
  }, "not a duration: use seconds (600) or a unit (30s, 10m, 1h30m)"),
]);

const settings = {
  concurrency: z.int().min(1).max(500).optional().describe("How many runs of a job are in flight at once."),
  timeout: duration.optional().describe("Per-run limit, from submit to result (e.g. 10m). The fal request is cancelled when it passes."),
  retries: z.int().min(0).max(10).optional().describe("Retries of transient failures (network, 429, 5xx) of our own calls. Model errors are never retried."),
};

export const BudgetSchema = z.union([
  money.describe("Total budget in USD."),
  z.strictObject({
    limit: money.describe("Total budget in USD."),
    per_job_limit: money.optional().describe("No single job may be estimated above this (USD)."),
    warn_at: z.number().gt(0).lte(1).optional().describe("Warn when the estimate passes this fraction of the limit (e.g. 0.8)."),
    unknown_price: z.enum(["fail", "warn"]).optional().describe("What a run whose cost cannot be known does to the gate: fail (default) or warn."),
  }),
]);

export const PriceOverrideSchema = z.strictObject({
  unit: z.string().min(1).describe("fal's billing unit: megapixels, images, seconds, videos, 1000 characters, compute seconds …"),
  unit_price: money.describe("USD per unit."),
  currency: z.literal("USD").optional(),
});

const endpointId = z
  .string()
  .regex(/^[A-Za-z0-9][\w.-]*(\/[\w.-]+)+$/, "a fal endpoint id looks like owner/model[/path], e.g. fal-ai/flux/dev");

const matrixName = z.string().regex(/^[A-Za-z_][\w-]*$/, "matrix names use letters, digits, - and _");

export const JobSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9][\w-]{0,63}$/, "a job id is a slug: letters, digits, - and _, at most 64 characters"),
  model: endpointId.describe("The fal endpoint id, e.g. fal-ai/flux/dev."),
  description: z.string().optional(),
  input: z.record(z.string(), z.unknown()).default({}).describe("The model input. Strings may use ${{ matrix.<name> }}."),
  repeat: z.int().min(1).max(MAX_RUNS_PER_MANIFEST).default(1).describe("Run every matrix combination this many times."),
  matrix: z
    .record(matrixName, z.array(z.unknown()).min(1, "a matrix axis needs at least one value"))
    .optional()
    .describe("Cartesian product of these values; each combination is one run (times repeat)."),
  units: z.number().positive().finite().optional().describe("Billing units per run, for models whose units cannot be known from the input."),
  max_cost: money.optional().describe("Upper bound in USD per run, for models whose units cannot be known from the input."),
  ...settings,
});

export const ManifestSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1, "set `version: 1`"),
  budget: BudgetSchema.optional(),
  defaults: z.strictObject(settings).optional(),
  pricing: z.record(endpointId, PriceOverrideSchema).optional().describe("Price overrides; they win over every other source."),
  jobs: z.array(JobSchema).min(1, "add at least one job"),
});

export type ManifestInput = z.input<typeof ManifestSchema>;
export type Manifest = z.output<typeof ManifestSchema>;
export type Job = z.output<typeof JobSchema>;
export type BudgetSpec = z.output<typeof BudgetSchema>;
export type PriceOverride = z.output<typeof PriceOverrideSchema>;

export const DEFAULT_SETTINGS = { concurrency: 4, timeout: "10m", retries: 2 } as const;

/** JSON Schema for editors (yaml-language-server), generated from the zod schema. */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ManifestSchema, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
  return {
    ...schema,
    title: "fal-jobs.yaml",
    description: "A list of fal.ai model jobs with a budget, read by fal-jobs-action.",
  };
}
