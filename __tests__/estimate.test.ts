import { describe, expect, it } from "vitest";
import { parseManifest } from "../src/manifest/load.js";
import { buildPlan } from "../src/plan/expand.js";
import { indexCatalog } from "../src/pricing/catalog.js";
import type { Catalog } from "../src/pricing/catalog-schema.js";
import { resolvePrices, type LivePricing } from "../src/pricing/prices.js";
import { estimatePlan } from "../src/estimate/estimate.js";
import { applyGate, effectiveBudget } from "../src/gate/estimate-gate.js";
import { measureUnits } from "../src/pricing/measure.js";
import { observeUnits, provenUnits } from "../src/billing/observe.js";
import { normalizeUnit } from "../src/pricing/units.js";
import { formatUsd, toNano } from "../src/util/money.js";

const src = { url: "https://fal.ai/models/x", kind: "fal-docs" as const, checked: "2026-11-01" };
const catalog = indexCatalog({
  as_of: "2026-11-01",
  currency: "USD",
  notes: [],
  entries: [
    { endpoint_id: "fal-ai/flux/dev", category: "image", unit: "megapixels", unit_price: 0.025, price_params: ["image_size", "num_images"], defaults: { image_size: "landscape_4_3", num_images: 1 }, source: src },
    { endpoint_id: "fal-ai/veo3", category: "video", unit: "seconds", unit_price: 0.4, price_params: ["duration", "generate_audio"], defaults: { duration: "8s", generate_audio: true }, tiers: [{ when: { generate_audio: false }, unit_price: 0.2 }], source: src },
    { endpoint_id: "fal-ai/whisper", category: "audio", unit: "compute seconds", unit_price: 0.00111, price_params: [], defaults: {}, source: src },
    { endpoint_id: "fal-ai/ideogram/v4", category: "image", unit: "megapixels", unit_price: 0.06, price_params: ["image_size", "expand_prompt"], defaults: { image_size: "square_hd", expand_prompt: true }, surcharges: [{ when: { expand_prompt: true }, per_request: 0.03, note: "prompt expansion" }], source: src },
  ],
} satisfies Catalog);

const skipped: LivePricing = { status: "skipped", reason: "test" };

function estimate(yaml: string, live: LivePricing = skipped, budgetInput?: number) {
  const m = parseManifest(yaml);
  const plan = buildPlan(m);
  const prices = resolvePrices(plan.jobs.map((j) => j.model), m.pricing, live, catalog);
  const est = estimatePlan(plan, prices);
  const budget = effectiveBudget(budgetInput, m.budget);
  return { est, gate: applyGate(est, budget), budget };
}

describe("units per model family", () => {
  it("megapixels: presets and custom sizes, rounded up per image, times num_images", () => {
    expect(measureUnits("megapixels", { image_size: "square_hd", num_images: 1 })).toMatchObject({ units: 1 });
    expect(measureUnits("megapixels", { image_size: "landscape_16_9", num_images: 4 })).toMatchObject({ units: 4 });
    expect(measureUnits("megapixels", { image_size: { width: 1536, height: 1536 }, num_images: 2 })).toMatchObject({ units: 6 });
    expect(measureUnits("megapixels", { image_size: { width: 1025, height: 1024 } })).toMatchObject({ units: 2 });
    expect(measureUnits("megapixels", { image_size: "huge" })).toMatchObject({ ok: false });
  });
  it("megapixels: fal's HD, full-HD, quad-HD and ultra-HD presets have their toolkit sizes", () => {
    expect(measureUnits("megapixels", { image_size: "landscape_16_9_hd" })).toMatchObject({ units: 1, basis: "1 × 1280×720 → 1 MP" });
    expect(measureUnits("megapixels", { image_size: "landscape_16_9_fhd", num_images: 2 })).toMatchObject({ units: 4, basis: "2 × 1920×1080 → 2 MP" });
    expect(measureUnits("megapixels", { image_size: "square_qhd" })).toMatchObject({ units: 4, basis: "1 × 1920×1920 → 4 MP" });
    expect(measureUnits("megapixels", { image_size: "landscape_4_3_uhd" })).toMatchObject({ units: 11, basis: "1 × 3840×2880 → 11 MP" });
    // Every shape at every tier is known (square_hd is the older 1024² preset).
    for (const shape of ["square", "portrait_4_3", "portrait_16_9", "landscape_4_3", "landscape_16_9"]) {
      for (const tier of ["hd", "fhd", "qhd", "uhd"]) expect(measureUnits("megapixels", { image_size: `${shape}_${tier}` }), `${shape}_${tier}`).toMatchObject({ ok: true });
    }
  });
  it("megapixels: a size the model picks (auto, auto_2K …) or fal does not document cannot be known, and says to set `units:`", () => {
    for (const size of ["auto", "auto_2K", "auto_4K"]) {
      const m = measureUnits("megapixels", { image_size: size });
      expect(m, size).toMatchObject({ ok: false, reason: `\`image_size\` is "${size}": the model picks the size, so its megapixels cannot be known before the run` });
      expect(!m.ok && m.fix).toMatch(/^set `units:` \(megapixels per run\) or `max_cost:` on the job/);
    }
    expect(measureUnits("megapixels", { image_size: "landscape_hd" })).toMatchObject({ ok: false, reason: expect.stringMatching(/"landscape_hd", a preset whose pixel size fal does not document/) });
  });
  it("images and videos count outputs", () => {
    expect(measureUnits("images", { num_images: 3 })).toMatchObject({ units: 3 });
    expect(measureUnits("images", {})).toMatchObject({ units: 1 });
    expect(measureUnits("videos", { num_videos: 2 }, { count: "num_videos" })).toMatchObject({ units: 2 });
    expect(measureUnits("images", { num_images: 0 })).toMatchObject({ ok: false });
  });
  it("seconds from duration strings, frames and fps", () => {
    expect(measureUnits("seconds", { duration: "8s" })).toMatchObject({ units: 8 });
    expect(measureUnits("seconds", { duration: "5" })).toMatchObject({ units: 5 });
    expect(measureUnits("seconds", { duration: 10 })).toMatchObject({ units: 10 });
    expect(measureUnits("seconds", { num_frames: 81 }, { frames: "num_frames", fps: 16 })).toMatchObject({ units: 81 / 16 });
    expect(measureUnits("seconds", { num_frames: 48, frames_per_second: 24 }, { frames: "num_frames", fps: "frames_per_second" })).toMatchObject({ units: 2 });
    expect(measureUnits("five_seconds", { duration: "6" })).toMatchObject({ units: 2 });
    expect(measureUnits("minutes", { duration: 90 })).toMatchObject({ units: 1.5 });
  });
  it("seconds from a requested duration say that fal may bill the delivered length; frames follow fal's own rule", () => {
    expect(measureUnits("seconds", { duration: "5" })).toMatchObject({ units: 5, basis: "5 s as requested; fal may bill the delivered length, which can run slightly longer" });
    expect(measureUnits("five_seconds", { duration: "5" })).toMatchObject({ units: 1, basis: expect.stringMatching(/^5 s → 1 × 5 s as requested; fal may bill the delivered length/) });
    expect(measureUnits("seconds", { num_frames: 81 }, { frames: "num_frames", fps: 16 })).toMatchObject({ basis: "81 frames ÷ 16 fps = 5.063 s" });
    // A real run is settled at the delivered length its outputs show (3 s asked, 3.008 s delivered), never below the length asked.
    const asked = measureUnits("seconds", { duration: 3 });
    expect(provenUnits(observeUnits("seconds", { video: { url: "https://x/v.mp4", duration: 3.008 } }), asked.ok ? asked.units : null)).toBe(3.008);
    expect(provenUnits(observeUnits("seconds", { video: { url: "https://x/v.mp4", duration: 2.9 } }), asked.ok ? asked.units : null)).toBe(3);
  });
  it("counts up to max_per_count outputs per generation as the bound (Seedream's max_images)", () => {
    const params = { max_per_count: "max_images" };
    expect(measureUnits("images", { num_images: 2, max_images: 3 }, params)).toEqual({ ok: true, units: 6, basis: "up to 6 images (num_images 2 × max_images 3)", upperBound: true });
    expect(measureUnits("images", { num_images: 2, max_images: 1 }, params)).toEqual({ ok: true, units: 2, basis: "2 images" });
    expect(measureUnits("megapixels", { num_images: 1, max_images: 4, image_size: "square_hd" }, params)).toMatchObject({ units: 4, basis: "up to 4 (num_images 1 × max_images 4) × 1024×1024 → 1 MP", upperBound: true });
    expect(measureUnits("images", { max_images: 0 }, params)).toMatchObject({ ok: false, reason: "`max_images` must be a whole number from 1 to 10000, got 0" });
  });
  it("characters are counted as code points, per 1000", () => {
    expect(measureUnits("kilo_characters", { text: "a".repeat(2500) })).toMatchObject({ units: 2.5 });
    expect(measureUnits("kilo_characters", { gen_text: "🙂🙂" })).toMatchObject({ units: 0.002 });
  });
  it("never measures a paid run at 0 units or Infinity: empty text, fractional pixels, counts like \"1e300\"", () => {
    expect(measureUnits("kilo_characters", { text: "" })).toMatchObject({ ok: false, reason: "`text` is empty" });
    expect(measureUnits("characters", { gen_text: "" }, { text: "gen_text" })).toMatchObject({ ok: false });
    expect(measureUnits("megapixels", { image_size: { width: 1e-300, height: 1e-300 } })).toMatchObject({ ok: false });
    expect(measureUnits("megapixels", { image_size: { width: 0.5, height: 1024 } })).toMatchObject({ ok: false });
    // A preset name is looked up as the table's own key, never as a property every object has.
    expect(measureUnits("megapixels", { image_size: "toString" })).toMatchObject({ ok: false });
    expect(measureUnits("images", { num_images: "1e300" })).toMatchObject({ ok: false });
    expect(measureUnits("images", { num_images: 1e300 })).toMatchObject({ ok: false });
    expect(measureUnits("images", { num_images: " 3 " })).toMatchObject({ ok: true, units: 3 });
  });

  it("compute seconds, tokens and unknown units cannot be measured from the input", () => {
    for (const u of ["compute seconds", "1m_tokens", "credits", "longcat_units"]) {
      const m = measureUnits(normalizeUnit(u), { prompt: "x" });
      expect(m.ok).toBe(false);
    }
  });
  it("normalizes fal's free-form unit strings", () => {
    expect(["megapixels", "MegaPixel", "images", "image", "video seconds", "seconds", "5_seconds", "1000 characters", "compute_seconds", "compute seconds", "1m_tokens", "units"].map(normalizeUnit)).toEqual([
      "megapixels", "megapixels", "images", "images", "seconds", "seconds", "five_seconds", "kilo_characters", "compute_seconds", "compute_seconds", "million_tokens", "opaque",
    ]);
  });
});

describe("estimate", () => {
  it("prices each variant with the model's defaults and tiers", () => {
    const { est } = estimate(`version: 1
jobs:
  - {id: img, model: fal-ai/flux/dev, input: {prompt: x}, repeat: 4}
  - id: vid
    model: fal-ai/veo3
    matrix: {audio: [true, false]}
    input: {prompt: x, generate_audio: "\${{ matrix.audio }}"}
`);
    // landscape_4_3 default = 1024×768 → 1 MP × $0.025 × 4 runs
    expect(formatUsd(est.jobs[0]!.totalNano)).toBe("0.10");
    // 8 s × $0.40 + 8 s × $0.20
    expect(est.jobs[1]!.variants.map((v) => formatUsd(v.costPerRunNano!))).toEqual(["3.20", "1.60"]);
    expect(formatUsd(est.totalNano)).toBe("4.90");
  });

  it("adds per-request surcharges", () => {
    const { est } = estimate(`version: 1
jobs:
  - {id: a, model: fal-ai/ideogram/v4, input: {prompt: x}}
  - {id: b, model: fal-ai/ideogram/v4, input: {prompt: x, expand_prompt: false}}
`);
    expect(est.jobs.map((j) => formatUsd(j.totalNano))).toEqual(["0.09", "0.06"]);
  });

  it("uses live prices over the catalog and keeps a tier's ratio", () => {
    const live: LivePricing = { status: "ok", prices: new Map([["fal-ai/veo3", { endpoint_id: "fal-ai/veo3", unit_price: 0.5, unit: "seconds", currency: "USD" }]]) };
    const { est } = estimate(`version: 1
jobs:
  - {id: v, model: fal-ai/veo3, input: {generate_audio: false, duration: "4s"}}
`, live);
    expect(est.jobs[0]!.quote!.source).toBe("live");
    expect(formatUsd(est.totalNano)).toBe("1.00"); // 4 s × 0.5 × (0.2/0.4)
  });

  it("a live unit of another kind than the catalog's keeps the catalog's unit rules and tiers: the higher figure wins, with a warning", () => {
    // fal's docs show `"unit": "image"` for flux/dev, which the catalog prices per megapixel.
    const live = (prices: Record<string, [number, string]>): LivePricing => ({
      status: "ok",
      prices: new Map(Object.entries(prices).map(([id, [unit_price, unit]]) => [id, { endpoint_id: id, unit_price, unit, currency: "USD" }])),
    });
    const { est, gate } = estimate(`version: 1
jobs:
  - {id: wide, model: fal-ai/flux/dev, input: {prompt: x, image_size: {width: 1920, height: 1080}, num_images: 2}}
  - {id: clip, model: fal-ai/veo3, input: {prompt: x, generate_audio: false}}
`, live({ "fal-ai/flux/dev": [0.025, "image"], "fal-ai/veo3": [0.5, "video"] }));
    // Per image that is 2 × $0.025; per megapixel (catalog) 2 × 2 MP × $0.025.
    expect(formatUsd(est.jobs[0]!.totalNano)).toBe("0.10");
    expect(est.jobs[0]!.variants[0]).toMatchObject({ priceSource: "catalog", unitsPerRun: 4, billingUnitPrice: 0.025, billingUnitsPerRun: 2 });
    expect(est.jobs[0]!.quote).toMatchObject({ source: "catalog", unit: "megapixels" });
    // Per video $0.50; the catalog's audio-off tier: 8 s × $0.20.
    expect(formatUsd(est.jobs[1]!.totalNano)).toBe("1.60");
    expect(gate.warnings.join("\n")).toMatch(/fal's pricing API prices fal-ai\/flux\/dev per image, the catalog per megapixels: each run is estimated both ways and the higher figure is used/);
    expect(gate.warnings.join("\n")).toMatch(/fal-ai\/veo3 per video, the catalog per seconds/);
    // Where the live unit costs more, it stands; billed units are counted in it, at its price.
    const dear = estimate(`version: 1
jobs:
  - {id: sq, model: fal-ai/flux/dev, input: {prompt: x, image_size: square_hd}}
`, live({ "fal-ai/flux/dev": [0.1, "image"] }));
    expect(formatUsd(dear.est.totalNano)).toBe("0.10");
    expect(dear.est.jobs[0]!.variants[0]).toMatchObject({ priceSource: "live", billingUnitPrice: 0.1, billingUnitsPerRun: 1 });
    expect(dear.est.jobs[0]!.billingQuote).toMatchObject({ source: "live", unit: "image" });
    // A live unit of the same kind is used as before, without the warning.
    const same = estimate(`version: 1
jobs:
  - {id: sq, model: fal-ai/flux/dev, input: {prompt: x, image_size: square_hd}}
`, live({ "fal-ai/flux/dev": [0.02, "megapixels"] }));
    expect(formatUsd(same.est.totalNano)).toBe("0.02");
    expect(same.est.jobs[0]!.notes).toEqual([]);
  });

  it("takes a manifest override only where it costs at least fal's price, unless the workflow allows lower prices", () => {
    const live: LivePricing = { status: "ok", prices: new Map([["fal-ai/flux/dev", { endpoint_id: "fal-ai/flux/dev", unit_price: 1, unit: "megapixels", currency: "USD" }]]) };
    const yaml = (price: number) => `version: 1
pricing: {fal-ai/flux/dev: {unit: images, unit_price: ${price}}}
jobs:
  - {id: a, model: fal-ai/flux/dev, input: {num_images: 3, image_size: square_hd}}
`;
    // Below fal's: fal's live price wins, and says so.
    const low = estimate(yaml(0.05), live);
    expect(low.est.jobs[0]!.quote!.source).toBe("live");
    expect(formatUsd(low.est.totalNano)).toBe("3.00");
    expect(low.gate.warnings.join("\n")).toMatch(/manifest's price for fal-ai\/flux\/dev .* below fal's own .*allow-lower-prices/);
    // Above fal's: the override is the more conservative figure and is used, billed units still at fal's price.
    const high = estimate(yaml(2), live);
    expect(high.est.jobs[0]!.quote!.source).toBe("override");
    expect(formatUsd(high.est.totalNano)).toBe("6.00");
    expect(high.est.jobs[0]!.variants[0]!.billingUnitPrice).toBe(1);
    expect(high.est.jobs[0]!.billingQuote!.source).toBe("live");
    // Against the catalog too, when there is no live price.
    expect(formatUsd(estimate(yaml(0)).est.totalNano)).toBe("0.075");
    // The workflow (not the manifest) may allow a lower, negotiated price; billing then uses it too.
    const m = parseManifest(yaml(0.05));
    const plan = buildPlan(m);
    const allowed = estimatePlan(plan, resolvePrices(["fal-ai/flux/dev"], m.pricing, live, catalog), { allowLowerPrices: true });
    expect(allowed.jobs[0]!.quote!.source).toBe("override");
    expect(formatUsd(allowed.totalNano)).toBe("0.15");
    expect(allowed.jobs[0]!.variants[0]!.billingUnitPrice).toBe(0.05);
  });

  it("an override in another unit cannot stand in for fal's price where fal's units cannot be measured", () => {
    // image_size "auto": fal's megapixels cannot be known; the manifest prices per image at almost nothing.
    const yaml = `version: 1
pricing: {fal-ai/flux/dev: {unit: images, unit_price: 0.000001}}
jobs:
  - {id: img, model: fal-ai/flux/dev, repeat: 40, input: {prompt: x, image_size: auto}}
`;
    const { est, gate } = estimate(yaml, skipped, 1);
    expect(est.unknownRuns).toBe(40);
    expect(gate.pass).toBe(false);
    expect(gate.reasons.join("\n")).toMatch(/manifest's price \(\$0.000001 per images\) cannot be checked against fal's own \(\$0.025 per megapixels, catalog\).*fix: set `units:` \(megapixels per run\) or `max_cost:`/);
    // With max_cost the run is bounded by it (the manifest's own price no longer decides); the workflow may allow the override.
    expect(formatUsd(estimate(yaml.replace("image_size: auto}", "image_size: auto}, max_cost: 0.1"), skipped, 10).est.totalNano)).toBe("4.00");
    const m = parseManifest(yaml);
    const allowed = estimatePlan(buildPlan(m), resolvePrices(["fal-ai/flux/dev"], m.pricing, skipped, catalog), { allowLowerPrices: true });
    expect(allowed.unknownRuns).toBe(0);
  });

  it("checks an override against the catalog when fal's live price is not in USD", () => {
    const live: LivePricing = { status: "ok", prices: new Map([["fal-ai/flux/dev", { endpoint_id: "fal-ai/flux/dev", unit_price: 0.025, unit: "megapixels", currency: "EUR" }]]) };
    const { est } = estimate(`version: 1
pricing: {fal-ai/flux/dev: {unit: megapixels, unit_price: 0.000001}}
jobs:
  - {id: img, model: fal-ai/flux/dev, repeat: 10, input: {prompt: x, image_size: square_hd}}
`, live);
    expect(formatUsd(est.totalNano)).toBe("0.25");
    expect(est.jobs[0]!.quote!.source).toBe("catalog");
  });

  it("quotes the tier price fal's estimate used, and adds no units across different units", () => {
    const { est, gate } = estimate(`version: 1
pricing: {fal-ai/veo3: {unit: seconds, unit_price: 0.3}}
jobs:
  - {id: v, model: fal-ai/veo3, matrix: {audio: [true, false]}, input: {prompt: x, duration: "8s", generate_audio: "\${{ matrix.audio }}"}}
`);
    // With audio fal's $0.40/s beats the override's $0.30; without, the override beats fal's $0.20 tier.
    expect(gate.warnings.join("\n")).toMatch(/fal's own \(\$0.4 per seconds, catalog\)/);
    expect(est.jobs[0]!.variants.map((v) => v.priceSource)).toEqual(["catalog", "override"]);
    expect(est.jobs[0]!.variants.map((v) => v.billingUnitPrice)).toEqual([0.4, 0.2]);
    const mixed = estimate(`version: 1
pricing: {fal-ai/flux/dev: {unit: images, unit_price: 0.05}}
jobs:
  - {id: m, model: fal-ai/flux/dev, matrix: {size: [square_hd, {width: 2048, height: 2048}]}, input: {prompt: x, image_size: "\${{ matrix.size }}"}}
`);
    expect(mixed.est.jobs[0]!.variants.map((v) => v.priceSource)).toEqual(["override", "catalog"]);
    expect(mixed.est.jobs[0]!.unitsTotal).toBeUndefined();
  });

  it("never lets `units:` undercut the units the input sets, and names the figures the manifest supplied", () => {
    const { est, gate } = estimate(`version: 1
jobs:
  - {id: v, model: fal-ai/veo3, repeat: 200, units: 0.001, input: {duration: "8s"}}
  - {id: w, model: fal-ai/whisper, units: 30}
`);
    expect(est.jobs[0]!.variants[0]!.unitsPerRun).toBe(8);
    expect(formatUsd(est.jobs[0]!.totalNano)).toBe("640.00");
    expect(est.jobs[0]!.variants[0]!.fromManifest).toEqual([]);
    expect(gate.warnings.join("\n")).toMatch(/job v: `units: 0.001` is below the 8 seconds the input sets/);
    // Where the input cannot tell (compute seconds), the manifest's units are used and labelled as the manifest's.
    expect(est.jobs[1]!.variants[0]!.fromManifest).toEqual(["units"]);
    expect(est.jobs[1]!.confidence).toBe("manual");
  });

  it("never counts an unknown price as $0 and fails the gate by default, naming job and fix", () => {
    const { est, gate } = estimate(`version: 1
budget: 100
jobs:
  - {id: mystery, model: someone/unknown-model, repeat: 2}
  - {id: asr, model: fal-ai/whisper, input: {audio_url: "https://x/a.mp3"}}
`);
    expect(est.unknownRuns).toBe(3);
    expect(gate.pass).toBe(false);
    expect(gate.verdict).toBe("unknown-cost");
    expect(gate.reasons[0]).toMatch(/2 runs of job mystery.*fix: add `pricing:/);
    expect(gate.reasons[1]).toMatch(/job asr.*compute seconds.*fix: set `units:`/);
  });

  it("with unknown_price: warn, passes but reports the runs as unknown", () => {
    const { est, gate } = estimate(`version: 1
budget: {limit: 100, unknown_price: warn}
jobs:
  - {id: asr, model: fal-ai/whisper, input: {audio_url: "https://x/a.mp3"}}
`);
    expect(gate.pass).toBe(true);
    expect(est.unknownRuns).toBe(1);
    expect(est.totalNano).toBe(0);
    expect(gate.warnings.join()).toMatch(/unknown, not as \$0/);
  });

  it("takes units and max_cost from the manifest for unmeasurable models", () => {
    const { est } = estimate(`version: 1
jobs:
  - {id: a, model: fal-ai/whisper, units: 100}
  - {id: b, model: fal-ai/whisper, max_cost: 0.05, repeat: 3}
`);
    expect(est.jobs[0]!.confidence).toBe("manual");
    expect(est.jobs[0]!.totalNano).toBe(toNano(0.111));
    expect(est.jobs[1]!.confidence).toBe("upper-bound");
    expect(formatUsd(est.jobs[1]!.totalNano)).toBe("0.15");
  });

  it("sums thousands of runs exactly", () => {
    const { est } = estimate(`version: 1
pricing: {a/b: {unit: images, unit_price: 0.003}}
jobs:
  - {id: a, model: a/b, repeat: 10000}
`);
    expect(formatUsd(est.totalNano)).toBe("30.00");
  });
});

describe("budget gate", () => {
  const yaml = (budget: string) => `version: 1
${budget}
jobs:
  - {id: img, model: fal-ai/flux/dev, input: {image_size: square_hd}, repeat: 40}
`; // 40 × $0.025 = $1.00

  it("takes the smaller of the input and manifest budgets", () => {
    expect(effectiveBudget(5, 2).limitNano).toBe(toNano(2));
    expect(effectiveBudget(2, 5).limitNano).toBe(toNano(2));
    expect(effectiveBudget(2, { limit: 5 }).source).toBe("both");
    expect(effectiveBudget(undefined, 5).source).toBe("manifest");
    expect(effectiveBudget(3, undefined).source).toBe("input");
    // The manifest can tighten a workflow budget but never loosen it.
    const { gate } = estimate(yaml("budget: 1000"), skipped, 0.5);
    expect(gate.verdict).toBe("over-budget");
  });

  it("passes at exactly the budget and fails a cent above", () => {
    expect(estimate(yaml("budget: 1.00")).gate.pass).toBe(true);
    const { gate } = estimate(yaml("budget: 0.99"));
    expect(gate.pass).toBe(false);
    expect(gate.reasons[0]).toBe("estimated $1.00 exceeds the budget of $0.99 by $0.01");
  });

  it("applies the per-job limit and warn_at", () => {
    const over = estimate(yaml("budget: {limit: 10, per_job_limit: 0.5}")).gate;
    expect(over.pass).toBe(false);
    expect(over.overJobs).toEqual(["img"]);
    const warn = estimate(yaml("budget: {limit: 1.2, warn_at: 0.8}")).gate;
    expect(warn.pass).toBe(true);
    expect(warn.warnings[0]).toMatch(/83% of the \$1.20 budget/);
  });

  it("without any budget, reports but does not gate", () => {
    const { gate } = estimate(yaml(""));
    expect(gate.verdict).toBe("no-budget");
    expect(gate.pass).toBe(true);
  });
});
