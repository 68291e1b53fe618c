import { types } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { estimatePlan } from "../src/estimate/estimate.js";
import { VariantMemo } from "../src/estimate/variant-memo.js";
import { parseManifest } from "../src/manifest/load.js";
import { buildPlan } from "../src/plan/expand.js";
import { bundledCatalog } from "../src/pricing/bundled-catalog.js";
import { indexCatalog } from "../src/pricing/catalog.js";
import type { Catalog } from "../src/pricing/catalog-schema.js";
import { resolvePrices } from "../src/pricing/prices.js";

/**
 * The memo (estimate/variant-memo.ts) prices a job's variants once per
 * distinct value of the fields pricing reads: it must give exactly what
 * pricing every variant on its own gives, for every kind of unit, tier,
 * surcharge, default, override, `units:` and `max_cost:`.
 */

// The bundled catalog's entries (tiers, defaults, frames, counts, texts, compute seconds) and one with a surcharge.
const bundled = bundledCatalog();
const catalog = indexCatalog({
  as_of: bundled.asOf,
  currency: "USD",
  notes: [],
  entries: [
    ...bundled.entries.values(),
    {
      endpoint_id: "acme/surcharged",
      category: "image",
      unit: "megapixels",
      unit_price: 0.06,
      price_params: ["image_size", "expand_prompt"],
      defaults: { image_size: "square_hd", expand_prompt: true },
      surcharges: [{ when: { expand_prompt: true }, per_request: 0.03, note: "prompt expansion" }],
      source: { url: "https://fal.ai/models/acme/surcharged", kind: "fal-docs", checked: "2026-12-01" },
    },
  ],
} satisfies Catalog);

const MODELS = [
  "fal-ai/flux/dev",
  "fal-ai/veo3",
  "fal-ai/ideogram/v3",
  "fal-ai/kokoro/american-english",
  "fal-ai/wan/v2.2-a14b/text-to-video",
  "fal-ai/bytedance/seedream/v4/text-to-image",
  "fal-ai/stable-audio-25/text-to-audio",
  "fal-ai/whisper",
  "acme/surcharged",
  "acme/uncatalogued",
];
const FIELDS = ["prompt", "text", "image_size", "num_images", "duration", "generate_audio", "num_frames", "max_images", "num_audios", "expand_prompt", "rendering_speed"];
// Values of every type pricing may meet: sizes, counts, durations, texts, flags, junk; some repeated across variants.
const VALUE = fc.constantFrom<unknown>("square_hd", "landscape_16_9", "auto", { width: 1025, height: 1024 }, { height: 1024, width: 1025 }, 1, 2, "2", 0, -1, 5, "5", "8s", 8.5, 81, true, false, "TURBO", "hello", "héllo wörld", "", null, [1, 2]);

const job = fc
  .record({
    model: fc.constantFrom(...MODELS),
    input: fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(VALUE, fc.constantFrom("${{ matrix.x }}", "${{ matrix.y }}", "a ${{ matrix.x }} b"))),
    matrix: fc.record({ x: fc.array(VALUE, { minLength: 1, maxLength: 6 }), y: fc.array(VALUE, { minLength: 1, maxLength: 4 }) }),
    repeat: fc.integer({ min: 1, max: 2 }),
    // `units:` or `max_cost:` (never both: the manifest refuses that), or neither.
    bound: fc.oneof(fc.constant({}), fc.record({ units: fc.constantFrom(1, 2.5, 40) }), fc.record({ max_cost: fc.constantFrom(0.01, 0.5) })),
  })
  .map(({ bound, ...rest }) => ({ ...rest, ...bound }));
const overrides = fc.dictionary(fc.constantFrom(...MODELS), fc.record({ unit: fc.constantFrom("megapixels", "images", "seconds", "1000 characters", "requests"), unit_price: fc.constantFrom(0.001, 0.05, 2) }), { maxKeys: 3 });

describe("the variant memo", () => {
  it("estimates every job exactly as pricing each variant on its own does", () => {
    let valid = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.array(job, { minLength: 1, maxLength: 4 }), overrides, fc.boolean(), (jobs, pricing, allowLowerPrices) => {
        runs++;
        let manifest;
        try {
          manifest = parseManifest(JSON.stringify({ version: 1, jobs: jobs.map((j, i) => ({ id: `j${i}`, ...j })), pricing }));
        } catch {
          return; // a combination the manifest's own rules refuse
        }
        valid++;
        const plan = buildPlan(manifest);
        const prices = resolvePrices(plan.jobs.map((j) => j.model), manifest.pricing, { status: "skipped", reason: "test" }, catalog);
        const policy = { allowLowerPrices };
        expect(estimatePlan(plan, prices, policy, undefined, { memo: true })).toEqual(estimatePlan(plan, prices, policy, undefined, { memo: false }));
      }),
      { seed: 20261202, numRuns: 400 },
    );
    // Most generated manifests are valid ones: the property was tested, not skipped.
    expect(valid).toBeGreaterThan(runs / 2);
  });

  it("prices a variant once per distinct value of what pricing reads, and steps aside when variants rarely repeat", () => {
    const made: string[] = [];
    const memo = new VariantMemo<{ label: string; runs: number; cost: number }>(new Set());
    const price = (label: string, input: Record<string, unknown>) =>
      memo.estimate({ label, input, runs: 1 }, (view) => {
        made.push(label);
        const seen = view({ num_images: 1 });
        return { label, runs: 1, cost: Number(seen.num_images) * (seen.image_size === "square_hd" ? 1 : 2) };
      });
    expect(price("a", { prompt: "x", image_size: "square_hd" })).toEqual({ label: "a", runs: 1, cost: 1 });
    // Another prompt (never read): found again, with its own label.
    expect(price("b", { prompt: "y", image_size: "square_hd" })).toEqual({ label: "b", runs: 1, cost: 1 });
    // A field read, set otherwise: priced anew. An absent field is not its default's value written out.
    expect(price("c", { prompt: "y", image_size: "square_hd", num_images: 3 })).toEqual({ label: "c", runs: 1, cost: 3 });
    expect(price("d", { prompt: "y", image_size: "square_hd", num_images: 1 })).toEqual({ label: "d", runs: 1, cost: 1 });
    expect(made).toEqual(["a", "c", "d"]);
    // Pricing that enumerates the input cannot be recorded: computed on the plain input, never cached, and what the
    // recording pass said of the job is dropped with it.
    const notes = new Set<string>();
    const opaque = new VariantMemo<{ label: string; runs: number; keys: string }>(notes);
    const enumerate = (label: string) =>
      opaque.estimate({ label, input: { a: 1, b: 2 }, runs: 1 }, (view, said) => {
        const seen = view(undefined);
        said.add(types.isProxy(seen) ? "said while recorded" : "said on the plain input");
        return { label, runs: 1, keys: Object.keys(seen).join() };
      });
    expect([enumerate("p"), enumerate("q")].map((e) => e.keys)).toEqual(["a,b", "a,b"]);
    expect([...notes]).toEqual(["said on the plain input"]);
    // All distinct: after its trial the memo stops recording (and still prices each right).
    let recorded = 0;
    const distinct = new VariantMemo<{ label: string; runs: number; n: number }>(new Set());
    const all = Array.from({ length: 200 }, (_, i) =>
      distinct.estimate({ label: `v${i}`, input: { n: i }, runs: 1 }, (view) => {
        const seen = view(undefined);
        if (types.isProxy(seen)) recorded++;
        return { label: `v${i}`, runs: 1, n: Number(seen.n) };
      }),
    );
    expect(all.map((e) => e.n)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(recorded).toBe(64);
  });
});
