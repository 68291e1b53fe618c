import * as z from "zod/mini";

/**
 * The bundled price catalog: a dated snapshot of fal list prices used when the
 * live pricing API is not reachable (dry runs without a key, outages).
 * Each entry says how to turn a model input into billing units, which inputs
 * change the price, the model's defaults for those inputs, and where every
 * figure came from.
 */

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** A condition on the model input (after defaults): every key must match one of the values. */
export const InputCondition = z.record(z.string(), z.union([scalar, z.array(scalar)]));
export type InputCondition = z.infer<typeof InputCondition>;

/** Where to find the unit-driving values in the model's input. Every field has a default. */
export const MeasureParams = z.strictObject({
  /** Image size: a preset name (`square_hd`) or `{width, height}`. Default `image_size`. */
  size: z.optional(z.string()),
  /** How many outputs one request makes. Default `num_images`. */
  count: z.optional(z.string()),
  /**
   * A field letting each of `count`'s generations return up to that many outputs, each billed (Seedream's
   * `max_images`): the estimate counts the most the request may return, as a bound.
   */
  max_per_count: z.optional(z.string()),
  /** Duration in seconds (`5`, `"5"`, `"8s"`). Default `duration`. */
  duration: z.optional(z.string()),
  /** Frame count, used when the model takes frames instead of a duration. */
  frames: z.optional(z.string()),
  /** Frames per second for `frames` (a number, or the name of an input field holding it). */
  fps: z.optional(z.union([z.number().check(z.positive()), z.string()])),
  /** The text whose length is billed (TTS). Default `text`. */
  text: z.optional(z.string()),
  /** Fixed pixel size for models that take `aspect_ratio`/`resolution` instead of `image_size`. */
  megapixels: z.optional(z.number().check(z.positive())),
});
export type MeasureParams = z.infer<typeof MeasureParams>;

const PriceTier = z.strictObject({
  when: InputCondition,
  unit_price: z.number().check(z.nonnegative()),
  note: z.optional(z.string()),
});

const Surcharge = z.strictObject({
  when: InputCondition,
  /** USD added once per request when `when` matches. */
  per_request: z.number().check(z.nonnegative()),
  note: z.string(),
});

const PublishedExample = z.strictObject({
  /** The input as a user would send it; defaults fill the rest. */
  input: z.record(z.string(), z.unknown()),
  /** fal's own figure in USD for that input. */
  cost: z.number().check(z.nonnegative()),
  /** Where fal states it. */
  source: z.string(),
});

/**
 * The model's input schema as JSON Schema (fal publishes OpenAPI 3.0; `catalog update` stores it converted:
 * `nullable` as a null type, references under `$defs`). `additionalProperties: false` says the properties are
 * all the model reads, so any other key is a typo; without it only the listed properties are checked.
 */
export const InputSchema = z.record(z.string(), z.unknown());
export type InputSchema = z.infer<typeof InputSchema>;

export const CatalogEntry = z.strictObject({
  endpoint_id: z.string().check(z.minLength(3)),
  aliases: z.optional(z.array(z.string())),
  category: z.enum(["image", "video", "audio", "speech", "llm", "3d", "other"]),
  /** fal's unit, spelled as the pricing API spells it (free-form, normalized by pricing/units.ts). */
  unit: z.string().check(z.minLength(1)),
  /**
   * USD per unit as fal's pricing API quotes it: for most models the price at the defaults; where what the API
   * quotes is not known, the lowest tier (a live price is scaled by a tier's ratio to this figure, so it must not
   * overstate what the API quotes). Null where fal publishes no fixed price.
   */
  unit_price: z.nullable(z.number().check(z.nonnegative())),
  /** Input fields that change the number of units or the price. */
  price_params: z.array(z.string()),
  /** The model's own defaults for those fields, applied before measuring. */
  defaults: z.record(z.string(), z.unknown()),
  params: z.optional(MeasureParams),
  /** First matching tier wins; otherwise `unit_price`. */
  tiers: z.optional(z.array(PriceTier)),
  surcharges: z.optional(z.array(Surcharge)),
  source: z.strictObject({
    url: z.url(),
    /** How the figure was obtained. */
    kind: z.enum(["fal-docs", "fal-pricing-api", "third-party"]),
    /** Date the figure was read (YYYY-MM-DD). */
    checked: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
    note: z.optional(z.string()),
  }),
  examples: z.optional(z.array(PublishedExample)),
  input_schema: z.optional(InputSchema),
  /** fal's model status: a deprecated model still runs, with a warning. */
  status: z.optional(z.enum(["active", "deprecated"])),
  /** The endpoint that replaces a deprecated one, where known. */
  replaced_by: z.optional(z.string()),
});
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const Catalog = z.strictObject({
  /** The date the catalog as a whole was last checked against public evidence; each entry's `checked` dates its figure. */
  as_of: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  currency: z.literal("USD"),
  notes: z.array(z.string()),
  entries: z.array(CatalogEntry).check(z.minLength(1)),
});
export type Catalog = z.infer<typeof Catalog>;
