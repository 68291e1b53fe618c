import { z } from "zod";

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
  size: z.string().optional(),
  /** How many outputs one request makes. Default `num_images`. */
  count: z.string().optional(),
  /** Duration in seconds (`5`, `"5"`, `"8s"`). Default `duration`. */
  duration: z.string().optional(),
  /** Frame count, used when the model takes frames instead of a duration. */
  frames: z.string().optional(),
  /** Frames per second for `frames` (a number, or the name of an input field holding it). */
  fps: z.union([z.number().positive(), z.string()]).optional(),
  /** The text whose length is billed (TTS). Default `text`. */
  text: z.string().optional(),
  /** Fixed pixel size for models that take `aspect_ratio`/`resolution` instead of `image_size`. */
  megapixels: z.number().positive().optional(),
});
export type MeasureParams = z.infer<typeof MeasureParams>;

export const PriceTier = z.strictObject({
  when: InputCondition,
  unit_price: z.number().nonnegative(),
  note: z.string().optional(),
});
export type PriceTier = z.infer<typeof PriceTier>;

export const Surcharge = z.strictObject({
  when: InputCondition,
  /** USD added once per request when `when` matches. */
  per_request: z.number().nonnegative(),
  note: z.string(),
});
export type Surcharge = z.infer<typeof Surcharge>;

export const PublishedExample = z.strictObject({
  /** The input as a user would send it; defaults fill the rest. */
  input: z.record(z.string(), z.unknown()),
  /** fal's own figure in USD for that input. */
  cost: z.number().nonnegative(),
  /** Where fal states it. */
  source: z.string(),
});

export const CatalogEntry = z.strictObject({
  endpoint_id: z.string().min(3),
  aliases: z.array(z.string()).optional(),
  category: z.enum(["image", "video", "audio", "speech", "llm", "3d", "other"]),
  /** fal's unit, spelled as the pricing API spells it (free-form, normalized by pricing/units.ts). */
  unit: z.string().min(1),
  /** USD per unit at the model's defaults (the figure the pricing API would quote); null where fal publishes no fixed price. */
  unit_price: z.number().nonnegative().nullable(),
  /** Input fields that change the number of units or the price. */
  price_params: z.array(z.string()),
  /** The model's own defaults for those fields, applied before measuring. */
  defaults: z.record(z.string(), z.unknown()),
  params: MeasureParams.optional(),
  /** First matching tier wins; otherwise `unit_price`. */
  tiers: z.array(PriceTier).optional(),
  surcharges: z.array(Surcharge).optional(),
  source: z.strictObject({
    url: z.string().url(),
    /** How the figure was obtained. */
    kind: z.enum(["fal-docs", "fal-pricing-api", "third-party"]),
    /** Date the figure was read (YYYY-MM-DD). */
    checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    note: z.string().optional(),
  }),
  examples: z.array(PublishedExample).optional(),
});
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const Catalog = z.strictObject({
  /** The date of the snapshot as a whole (the oldest `checked` that matters). */
  as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  currency: z.literal("USD"),
  notes: z.array(z.string()),
  entries: z.array(CatalogEntry).min(1),
});
export type Catalog = z.infer<typeof Catalog>;
