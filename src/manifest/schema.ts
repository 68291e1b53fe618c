import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import { parseDurationMs } from "../util/duration.js";
import { MAX_TOTAL_USD } from "../util/money.js";

// zod/mini, not the classic API: a classic schema attaches some fifty methods to every instance, which slows a
// dry run's start (BENCHMARKS.md). Mini has no default locale: use English messages.
// Each schema is used a handful of times per process: compiling zod's generated fast paths costs more than it saves.
z.config({ ...en(), jitless: true });

/**
 * fal-jobs.yaml, version 1. Every object is strict: an unknown key is an error,
 * because a typo (`num_image`, `repeats`) must never silently change what runs
 * or what it costs.
 */

export const MAX_RUNS_PER_MANIFEST = 1_000_000;
/** Distinct inputs (matrix combinations) across all jobs: each is an object in memory; repeats share one. */
export const MAX_COMBINATIONS_PER_MANIFEST = 100_000;

/** Attaches the text editors show for a field (it lands in the generated JSON Schema); registers, never clones. */
function doc<T extends z.ZodMiniType>(schema: T, description: string): T {
  z.globalRegistry.add(schema, { description });
  return schema;
}

/** Largest price or max_cost in USD: more is a typo, and per-run costs stay exact integers of nano-USD. Budgets stop at MAX_TOTAL_USD. */
const MAX_USD = 1_000_000;
/** Largest `units` per run: beyond it a units × price product stops being a sensible number of nano-USD. */
const MAX_UNITS = 1_000_000_000;

// z.number() already rejects NaN and ±Infinity in zod 4.
const price = () => z.number().check(z.nonnegative(), z.lte(MAX_USD));
const budgetUsd = () => z.number().check(z.nonnegative(), z.lte(MAX_TOTAL_USD));

// A number of seconds or a duration string, in the one range every timer can keep (util/duration.ts):
// the message names the range or the format, at the value's own position.
const duration = z.union([z.number(), z.string()]).check(
  z.superRefine((value, ctx) => {
    try {
      parseDurationMs(value);
    } catch (err) {
      ctx.issues.push({ code: "custom", message: (err as Error).message, input: value });
    }
  }),
);

const settings = {
  concurrency: doc(z.optional(z.int().check(z.minimum(1), z.maximum(500))), "How many runs of a job are in flight at once."),
  timeout: doc(z.optional(duration), "Per-run limit, from submit to result (e.g. 10m), from 1 s to 24 h. The fal request is cancelled when it passes."),
  retries: doc(
    z.optional(z.int().check(z.minimum(0), z.maximum(10))),
    "Retries of transient failures (network, 429, 5xx) of our own calls. Model errors are never retried.",
  ),
  cache: doc(
    z.optional(z.boolean()),
    "false: run every time, even when the lock already holds this generation (evals that must be fresh). Default true.",
  ),
};

const BudgetSchema = z.union([
  doc(budgetUsd(), "Total budget in USD."),
  z.strictObject({
    limit: doc(budgetUsd(), "Total budget in USD."),
    per_job_limit: doc(z.optional(budgetUsd()), "No single job may be estimated above this (USD)."),
    warn_at: doc(z.optional(z.number().check(z.gt(0), z.lte(1))), "Warn when the estimate passes this fraction of the limit (e.g. 0.8)."),
    unknown_price: doc(
      z.optional(z.enum(["fail", "warn"])),
      "What a run whose cost cannot be known does to the gate: fail (default) or warn.",
    ),
  }),
]);

const PriceOverrideSchema = z.strictObject({
  unit: doc(z.string().check(z.minLength(1)), "fal's billing unit: megapixels, images, seconds, videos, 1000 characters, compute seconds …"),
  unit_price: doc(price(), "USD per unit."),
  currency: z.optional(z.literal("USD")),
});

// The id becomes a URL path (queue.fal.run/<id>, or a proxy's prefix + <id>): a `.` or `..` segment would resolve
// out of it, to another endpoint or out of the proxy's prefix.
const ENDPOINT_ID = /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)+$/;
const endpointId = () =>
  z.string().check(
    z.regex(ENDPOINT_ID, "a fal endpoint id looks like owner/model[/path], e.g. fal-ai/flux/dev"),
    // Only once the shape is right, so a bad id gets one message.
    z.refine(
      (id) => !ENDPOINT_ID.test(id) || !id.split("/").some((segment) => segment === "." || segment === ".."),
      "a fal endpoint id may not have `.` or `..` segments: they would change the request path",
    ),
  );

/** A fal.ai model page's URL pasted where an id belongs (`https://fal.ai/models/fal-ai/flux/dev/api`): the id it names. */
export function idFromFalUrl(text: string): string | undefined {
  const m = /^https?:\/\/(?:www\.)?fal\.ai\/models\/([^?#]+?)(?:\/(?:api|playground|llms\.txt|examples|pricing))?\/?(?:[?#].*)?$/.exec(text.trim());
  return m?.[1];
}

/** What is wrong with a model id given outside a manifest (the CLI's `--model`), or undefined. */
export function endpointIdProblem(id: string): string | undefined {
  const fromUrl = idFromFalUrl(id);
  if (fromUrl) return `that is the model's page; its id is ${fromUrl}`;
  const parsed = endpointId().safeParse(id);
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
}

const matrixName = z.string().check(z.regex(/^[A-Za-z_][\w-]*$/, "matrix names use letters, digits, - and _"));

const JobSchema = z.strictObject({
  id: z.string().check(z.regex(/^[A-Za-z0-9][\w-]{0,63}$/, "a job id is a slug: letters, digits, - and _, at most 64 characters")),
  model: doc(endpointId(), "The fal endpoint id, e.g. fal-ai/flux/dev."),
  description: z.optional(z.string()),
  input: doc(z._default(z.record(z.string(), z.unknown()), {}), "The model input. Strings may use ${{ matrix.<name> }}."),
  repeat: doc(z._default(z.int().check(z.minimum(1), z.maximum(MAX_RUNS_PER_MANIFEST)), 1), "Run every matrix combination this many times."),
  matrix: doc(
    z.optional(z.record(matrixName, z.array(z.unknown()).check(z.minLength(1, "a matrix axis needs at least one value")))),
    "Cartesian product of these values; each combination is one run (times repeat).",
  ),
  units: doc(z.optional(z.number().check(z.positive(), z.lte(MAX_UNITS))), "Billing units per run, for models whose units cannot be known from the input."),
  // At least one nano-USD: a max_cost of 0 (or one that rounds to 0) would estimate a paid run at $0.
  max_cost: doc(
    z.optional(z.number().check(z.gte(1e-9, "max_cost must be at least 0.000000001 USD: a paid run never costs $0"), z.lte(MAX_USD))),
    "Upper bound in USD per run (> 0), for models whose units cannot be known from the input.",
  ),
  ...settings,
});

export const ManifestSchema = z.strictObject({
  $schema: z.optional(z.string()),
  version: z.literal(1, "set `version: 1`"),
  budget: z.optional(BudgetSchema),
  defaults: z.optional(z.strictObject(settings)),
  pricing: doc(z.optional(z.record(endpointId(), PriceOverrideSchema)), "Price overrides; they win over every other source."),
  jobs: z.array(JobSchema).check(z.minLength(1, "add at least one job")),
});

export type Manifest = z.output<typeof ManifestSchema>;
export type Job = z.output<typeof JobSchema>;
export type BudgetSpec = z.output<typeof BudgetSchema>;
export type PriceOverride = z.output<typeof PriceOverrideSchema>;

// Five retries from 1 s, doubling, ride out about half a minute of fal trouble: a paid run's result is worth waiting for.
export const DEFAULT_SETTINGS = { concurrency: 4, timeout: "10m", retries: 5, cache: true } as const;

/**
 * JSON Schema for editors (yaml-language-server), generated from the zod schema. `modelIds` (the bundled catalog's)
 * are offered as suggestions for a job's model, and any other id that has the right shape is still accepted.
 */
export function manifestJsonSchema(opts: { modelIds?: readonly string[] } = {}): Record<string, unknown> {
  const schema = z.toJSONSchema(ManifestSchema, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
  const model = (schema as { properties?: { jobs?: { items?: { properties?: { model?: Record<string, unknown> } } } } }).properties?.jobs?.items?.properties?.model;
  if (model && opts.modelIds?.length) {
    const { description, ...shape } = model;
    for (const k of Object.keys(model)) delete model[k];
    Object.assign(model, {
      description,
      anyOf: [{ enum: [...new Set(opts.modelIds)].sort(), description: "A model in the bundled price catalog." }, { ...shape, description: "Any other fal endpoint id." }],
    });
  }
  return {
    ...schema,
    title: "fal-jobs.yaml",
    description: "A list of fal.ai model jobs with a budget, read by fal-jobs-action.",
  };
}
