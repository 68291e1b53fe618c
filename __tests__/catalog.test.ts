import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import catalogJson from "../src/pricing/catalog.json" with { type: "json" };
import { bundledCatalog } from "../src/pricing/bundled-catalog.js";
import { Catalog } from "../src/pricing/catalog-schema.js";
import { priceFor } from "../src/estimate/estimate.js";
import { matchesCondition, measureUnits } from "../src/pricing/measure.js";
import { normalizeUnit } from "../src/pricing/units.js";
import { costNano, formatUsd, toNano } from "../src/util/money.js";
import { parseManifest } from "../src/manifest/load.js";
import { buildPlan } from "../src/plan/expand.js";
import { resolvePrices } from "../src/pricing/prices.js";
import { estimatePlan } from "../src/estimate/estimate.js";

const catalog = Catalog.parse(catalogJson);

/** The cost of one request, by the same code path the estimate uses. */
function costOf(endpoint: string, input: Record<string, unknown>): string {
  const m = parseManifest(`version: 1\njobs:\n  - {id: a, model: ${endpoint}, input: ${JSON.stringify(input)}}\n`);
  const plan = buildPlan(m);
  const est = estimatePlan(plan, resolvePrices([endpoint], undefined, { status: "skipped", reason: "test" }, bundledCatalog()));
  if (est.unknownRuns) throw new Error(`${endpoint}: ${est.jobs[0]!.variants[0]!.problem?.reason}`);
  return formatUsd(est.totalNano);
}

describe("bundled price catalog", () => {
  it("validates, is dated, and covers at least 25 endpoints across image, video, audio, speech and LLM", () => {
    expect(catalog.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(catalog.entries.length).toBeGreaterThanOrEqual(25);
    expect(new Set(catalog.entries.map((e) => e.category))).toEqual(new Set(["image", "video", "audio", "speech", "llm"]));
    const ids = catalog.entries.flatMap((e) => [e.endpoint_id, ...(e.aliases ?? [])]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("is shipped exactly as validated: the bundle trusts catalog.json without parsing it at run time", () => {
    expect(catalog).toEqual(catalogJson);
    expect(bundledCatalog().size).toBe(catalog.entries.length);
    expect(bundledCatalog().asOf).toBe(catalog.as_of);
  });

  it("names a source for every figure and only recognized units", () => {
    for (const e of catalog.entries) {
      expect(e.source.url, e.endpoint_id).toMatch(/^https:\/\//);
      expect(normalizeUnit(e.unit), e.endpoint_id).not.toBe("opaque");
      for (const t of e.tiers ?? []) expect(Object.keys(t.when).every((k) => e.price_params.includes(k)), e.endpoint_id).toBe(true);
    }
  });

  it("measures every priced entry at its own defaults", () => {
    for (const e of catalog.entries.filter((x) => x.unit_price !== null)) {
      // Text is the user's own input, never a default.
      const text = e.params?.text ? { [e.params.text]: "hello" } : {};
      const m = measureUnits(normalizeUnit(e.unit), { ...e.defaults, ...text }, e.params);
      expect(m.ok, `${e.endpoint_id}: ${JSON.stringify(m)}`).toBe(true);
    }
  });

  it("reproduces fal's published examples exactly", () => {
    expect(costOf("fal-ai/flux/dev", { image_size: { width: 1024, height: 1024 }, num_images: 1 })).toBe("0.025");
    expect(costOf("fal-ai/veo3", { duration: "8s", generate_audio: true })).toBe("3.20");
    expect(costOf("fal-ai/kling-video/v2.1/master/text-to-video", { duration: "10" })).toBe("2.80");
    expect(costOf("fal-ai/minimax/hailuo-02/standard/image-to-video", { duration: "6", resolution: "768P" })).toBe("0.27");
    expect(costOf("fal-ai/wan/v2.2-a14b/image-to-video", { resolution: "720p", num_frames: 81 })).toBe("0.405");
  });

  it("reproduces every example recorded in the catalog", () => {
    let checked = 0;
    for (const e of catalog.entries) {
      for (const ex of e.examples ?? []) {
        expect(costOf(e.endpoint_id, ex.input), `${e.endpoint_id} ${JSON.stringify(ex.input)}`).toBe(formatUsd(toNano(ex.cost)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  it("applies parameter tiers", () => {
    expect(costOf("fal-ai/veo3", { duration: "8s", generate_audio: false })).toBe("1.60");
    expect(costOf("fal-ai/veo3.1", { duration: "8s", resolution: "4k" })).toBe("4.80");
    expect(costOf("fal-ai/ideogram/v3", { rendering_speed: "TURBO", num_images: 4 })).toBe("0.12");
    expect(costOf("fal-ai/wan/v2.2-a14b/image-to-video", { resolution: "480p", num_frames: 161 })).toBe("0.4025");
    expect(costOf("fal-ai/minimax/hailuo-2.3/standard/text-to-video", { duration: "10" })).toBe("0.56");
  });

  it("prices Wan 2.5 by resolution, 1080p by default, for text- and image-to-video (fal: $0.05 / $0.10 / $0.15 per second)", () => {
    for (const model of ["fal-ai/wan-25-preview/text-to-video", "fal-ai/wan-25-preview/image-to-video"]) {
      expect(costOf(model, {}), model).toBe("0.75");
      expect(costOf(model, { duration: "10" }), model).toBe("1.50");
      expect(costOf(model, { resolution: "720p" }), model).toBe("0.50");
      expect(costOf(model, { resolution: "480p", duration: "10" }), model).toBe("0.50");
    }
  });

  it("never estimates a Wan 2.5 tier below fal's figure, whichever end of its range the live pricing API quotes", () => {
    const model = "fal-ai/wan-25-preview/text-to-video";
    for (const quoted of [0.05, 0.15]) {
      const live = { status: "ok" as const, prices: new Map([[model, { endpoint_id: model, unit_price: quoted, unit: "seconds", currency: "USD" }]]) };
      for (const [resolution, fal] of [["1080p", 0.75], ["720p", 0.5], ["480p", 0.25]] as const) {
        const m = parseManifest(`version: 1\njobs:\n  - {id: v, model: ${model}, input: {prompt: x, resolution: "${resolution}"}}\n`);
        const est = estimatePlan(buildPlan(m), resolvePrices([model], undefined, live, bundledCatalog()));
        expect(est.jobs[0]!.quote!.source).toBe("live");
        expect(est.totalNano, `live $${quoted}/s at ${resolution}`).toBeGreaterThanOrEqual(toNano(fal));
      }
    }
  });

  it("prices nano-banana at $0.039 per image", () => {
    expect(costOf("fal-ai/nano-banana", { num_images: 3 })).toBe("0.117");
  });

  it("bounds Seedream v4 by max_images: each of num_images generations may return up to max_images billed images", () => {
    const seedream = "fal-ai/bytedance/seedream/v4/text-to-image";
    expect(costOf(seedream, {})).toBe("0.03");
    expect(costOf(seedream, { num_images: 2, max_images: 3 })).toBe("0.18");
    const m = parseManifest(`version: 1\njobs:\n  - {id: s, model: ${seedream}, input: {prompt: x, num_images: 2, max_images: 3}}\n`);
    const variant = estimatePlan(buildPlan(m), resolvePrices([seedream], undefined, { status: "skipped", reason: "t" }, bundledCatalog())).jobs[0]!.variants[0]!;
    expect(variant.confidence).toBe("upper-bound");
    expect(variant.basis).toMatch(/up to 6 images \(num_images 2 × max_images 3\)/);
  });

  it("knows models without a fixed price and says what to do", () => {
    const m = parseManifest(`version: 1\njobs:\n  - {id: llm, model: openrouter/router, input: {prompt: hi, model: x}}\n`);
    const plan = buildPlan(m);
    const est = estimatePlan(plan, resolvePrices(["openrouter/router"], undefined, { status: "skipped", reason: "t" }, bundledCatalog()));
    expect(est.unknownRuns).toBe(1);
    expect(est.jobs[0]!.variants[0]!.problem!.reason).toMatch(/no fixed price.*tokens/);
  });

  it("keeps the matching logic honest for tier conditions", () => {
    expect(matchesCondition({ generate_audio: true }, { generate_audio: false })).toBe(false);
    expect(matchesCondition({ resolution: "4K" }, { resolution: "4k" })).toBe(true);
    const entry = catalog.entries.find((e) => e.endpoint_id === "fal-ai/veo3")!;
    expect(priceFor({ model: "fal-ai/veo3", source: "catalog", unit: "seconds", kind: "seconds", unitPrice: 0.4, currency: "USD", entry }, { generate_audio: false })).toBe(0.2);
    expect(costNano(8, 0.4)).toBe(toNano(3.2));
  });
});

/**
 * Published price examples whose input the model does not take: fal's veo3 page prices "5 s with audio" ($2) to
 * illustrate the per-second rate, while its duration options are 4s, 6s and 8s.
 */
const ILLUSTRATIVE = new Set(['fal-ai/veo3 {"duration":"5s","generate_audio":true}']);

describe("bundled catalog input schemas", () => {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const entries = catalog.entries;

  it("every entry has an input schema that compiles and lists every input that changes its price", () => {
    for (const e of entries) {
      expect(e.input_schema, e.endpoint_id).toBeDefined();
      expect(() => ajv.compile(e.input_schema!), e.endpoint_id).not.toThrow();
      const props = Object.keys((e.input_schema as { properties: object }).properties);
      for (const p of e.price_params) expect(props, `${e.endpoint_id}: price param ${p}`).toContain(p);
      for (const t of e.tiers ?? []) for (const k of Object.keys(t.when)) expect(props, `${e.endpoint_id}: tier on ${k}`).toContain(k);
    }
  });

  it("the model's defaults and fal's published examples are inputs the schema accepts; a typo of each enum is refused", () => {
    for (const e of entries) {
      const validate = ajv.compile(e.input_schema!);
      const required = Object.fromEntries(((e.input_schema as { required?: string[] }).required ?? []).map((k) => [k, "hello"]));
      expect(validate({ ...e.defaults, ...required }), `${e.endpoint_id} defaults: ${JSON.stringify(validate.errors)}`).toBe(true);
      for (const ex of e.examples ?? []) {
        const accepted = validate({ ...required, ...ex.input });
        expect(accepted, `${e.endpoint_id} example ${JSON.stringify(ex.input)}: ${JSON.stringify(validate.errors)}`).toBe(!ILLUSTRATIVE.has(`${e.endpoint_id} ${JSON.stringify(ex.input)}`));
      }
      for (const [k, p] of Object.entries((e.input_schema as { properties: Record<string, { enum?: unknown[] }> }).properties)) {
        if (p.enum) expect(validate({ ...e.defaults, ...required, [k]: `${String(p.enum[0])}x` }), `${e.endpoint_id}.${k}`).toBe(false);
      }
    }
  });

  it("the image_size presets it accepts are the ones the estimate can measure", () => {
    for (const e of entries) {
      const size = (e.input_schema as { properties: { image_size?: { anyOf: Array<{ enum?: string[] }> } } }).properties.image_size;
      for (const preset of size?.anyOf[0]!.enum ?? []) {
        expect(measureUnits("megapixels", { image_size: preset, num_images: 1 }).ok, `${e.endpoint_id}: ${preset}`).toBe(true);
      }
    }
  });
});
