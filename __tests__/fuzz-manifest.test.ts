import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManifestError } from "../src/manifest/errors.js";
import { parseManifest } from "../src/manifest/load.js";
import { buildPlan } from "../src/plan/expand.js";
import { bundledCatalog } from "../src/pricing/bundled-catalog.js";
import { resolvePrices } from "../src/pricing/prices.js";
import { estimatePlan } from "../src/estimate/estimate.js";
import { ZOD_WORDING } from "./helpers/wording.js";

/**
 * Generated manifests, valid and hostile, through the whole offline estimate:
 * parseManifest → buildPlan → resolvePrices (bundled catalog) → estimatePlan.
 * Whatever the input, the only failure is a positioned ManifestError in plain words (never zod's); totals
 * are finite non-negative integers of nano-USD; and no run is estimated at $0
 * unless its price says it is free.
 */

const catalog = bundledCatalog();
const MODELS = [...catalog.entries.keys()];

const str = (s: string) => JSON.stringify(s); // JSON strings are YAML double-quoted scalars
const hostileNumber = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -3, max: 12 }) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, min: -1e6, max: 1e6 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true }).filter((x) => Math.abs(x) < 1e-300 || Math.abs(x) > 1e15) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e-12, 1e300, -1e300, 2 ** 53, 2 ** 31, 0.0001) },
);
const hostileText = fc.constantFrom("0", "0s", "0.0", "-5", "NaN", "Infinity", "-Infinity", "1e400", "9".repeat(400), "5 s", " 8s ", "5" + " ".repeat(300) + "x", "", " ", "１", "5秒", "0x10", "1_000");
const scalar = fc.oneof(hostileNumber, hostileText, fc.boolean(), fc.constant(null), fc.string({ maxLength: 8, unit: "binary" }));
const axisName = fc.constantFrom("a", "b", "size", "n");
const template = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 6 }),
      axisName.map((n) => `\${{ matrix.${n} }}`),
      axisName.map((n) => `\${{matrix.${n}}}`),
      fc.nat(40).map((k) => `\${{${" ".repeat(k)}`),
      fc.constantFrom("${{", "}}", "}", "${{ matrix. }}", "${{ env.X }}", "🙂", "\u0000", "\\"),
    ),
    { maxLength: 5 },
  )
  .map((xs) => xs.join(""));
/** Mostly sane, sometimes hostile: enough manifests must get past validation to exercise the estimate. */
const mostly = <T, U>(sane: fc.Arbitrary<T>, hostile: fc.Arbitrary<U>) => fc.oneof({ weight: 4, arbitrary: sane }, { weight: 1, arbitrary: hostile });
const imageSize = fc.oneof(
  fc.constantFrom("square_hd", "square", "portrait_4_3", "portrait_16_9", "landscape_4_3", "landscape_16_9", "huge", ""),
  fc.record({ width: hostileNumber, height: hostileNumber }),
  fc.record({ width: fc.integer({ min: 1, max: 8192 }), height: fc.integer({ min: 1, max: 8192 }) }),
);
const input = fc.record(
  {
    prompt: template,
    image_size: fc.oneof(imageSize, axisName.map((n) => `\${{ matrix.${n} }}`)),
    num_images: fc.oneof(fc.integer({ min: -1, max: 8 }), hostileNumber, hostileText, axisName.map((n) => `\${{ matrix.${n} }}`)),
    num_audios: fc.oneof(fc.integer({ min: 0, max: 4 }), hostileText),
    duration: fc.oneof(hostileNumber, hostileText, fc.constantFrom("5", "10", 6, "8s"), axisName.map((n) => `\${{ matrix.${n} }}`)),
    num_frames: fc.oneof(fc.integer({ min: -1, max: 200 }), hostileNumber, hostileText),
    gen_text: fc.oneof(fc.string({ maxLength: 20, unit: "grapheme" }), hostileText),
    generate_audio: fc.boolean(),
    resolution: fc.constantFrom("720p", "1080p", "480p"),
  },
  { requiredKeys: [] },
);
const saneInput = fc.record(
  {
    prompt: template,
    image_size: fc.constantFrom("square_hd", "landscape_16_9", "${{ matrix.size }}"),
    num_images: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant("${{ matrix.n }}")),
    duration: fc.constantFrom("5", "10", 6, "8s", "${{ matrix.a }}"),
    num_frames: fc.integer({ min: 1, max: 200 }),
    gen_text: fc.string({ minLength: 1, maxLength: 20, unit: "grapheme" }),
  },
  { requiredKeys: [] },
);
const axisValues = fc.array(fc.oneof(hostileNumber, fc.constantFrom("5", "0", "", "1e300", "square_hd", "x"), imageSize), { minLength: 1, maxLength: 3 });
// Mostly every axis the templates may name, so that most manifests pass the reference check.
const matrix = mostly(fc.record({ a: axisValues, b: axisValues, size: axisValues, n: axisValues }), fc.dictionary(axisName, axisValues, { maxKeys: 3 }));
const model = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...MODELS) }, fc.constantFrom("acme/unknown", "fal-ai/../x", "fal-ai/flux/dev/", "fal-ai", "a/./b"));
const duration = fc.oneof(hostileNumber, hostileText, fc.constantFrom("10m", "600h", "1h30m", "999ms", "24h", "25h"));

const job = fc.record(
  {
    id: mostly(fc.constantFrom("a", "b", "c", "d-1"), fc.string({ maxLength: 4 })),
    model,
    input: mostly(saneInput, input),
    matrix,
    repeat: mostly(fc.integer({ min: 1, max: 5 }), hostileNumber),
    timeout: mostly(fc.constantFrom("10m", "30s", 60, "1h30m"), duration),
    concurrency: mostly(fc.integer({ min: 1, max: 16 }), fc.integer({ min: -1, max: 600 })),
  },
  { requiredKeys: ["id", "model"] },
);
// At most one of units and max_cost, mostly: both at once is refused, which says nothing about the estimate.
const cost = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  fc.record({ units: mostly(fc.double({ min: 1e-9, max: 1e4, noNaN: true }), hostileNumber) }),
  fc.record({ max_cost: mostly(fc.double({ min: 1e-9, max: 100, noNaN: true }), hostileNumber) }),
  fc.record({ units: hostileNumber, max_cost: hostileNumber }),
);
const costedJob = fc.tuple(job, cost).map(([j, c]) => ({ ...j, ...c }));
const pricing = fc.dictionary(
  fc.constantFrom(...MODELS.slice(0, 6), "acme/unknown"),
  fc.record({ unit: fc.constantFrom("images", "megapixels", "seconds", "tokens", "lol"), unit_price: mostly(fc.constantFrom(0, 0.01, 0.5), hostileNumber) }),
  { maxKeys: 2 },
);
const budget = fc.oneof(hostileNumber, fc.record({ limit: hostileNumber, warn_at: hostileNumber }));

/** A manifest as data, written out as JSON-flavoured YAML. */
const structured = fc.record({ version: fc.oneof({ weight: 9, arbitrary: fc.constant(1) }, scalar), jobs: fc.array(costedJob, { minLength: 1, maxLength: 3 }), pricing, budget: mostly(fc.integer({ min: 0, max: 100 }), budget) }, { requiredKeys: ["version", "jobs"] }).map((m) => JSON.stringify(m, null, 1));

/** Two jobs sharing an input through an anchor, or an alias that is broken on purpose. */
const aliased = fc.tuple(fc.constantFrom(...MODELS), input, fc.constantFrom("*in", "*missing", "[*in, *in]", "{x: *in}")).map(
  ([m, i, alias]) => `version: 1
jobs:
  - id: a
    model: ${str(m)}
    input: &in ${JSON.stringify(i)}
  - id: b
    model: ${str(m)}
    input: ${alias}
`,
);

/** A valid manifest with a few characters inserted or deleted: random YAML structure. */
const mangled = fc.tuple(structured, fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom("&", "*", "[", "{", "}", "]", ":", "-", "\n", "  ", "'", '"', "#", "!!", "<<: ", "? ", "|", ">")), { minLength: 1, maxLength: 4 })).map(([text, edits]) => {
  let out = text;
  for (const [at, del, ins] of edits) {
    const p = at % (out.length + 1);
    out = out.slice(0, p) + ins + out.slice(p + del);
  }
  return out;
});

const manifest = fc.oneof({ weight: 5, arbitrary: structured }, { weight: 2, arbitrary: aliased }, { weight: 2, arbitrary: mangled }, { weight: 1, arbitrary: fc.string({ maxLength: 200 }) });

function check(text: string): void {
  let m: ReturnType<typeof parseManifest>;
  try {
    m = parseManifest(text, "fal-jobs.yaml");
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    for (const issue of err.issues) {
      expect(issue.line).toBeGreaterThanOrEqual(1);
      expect(issue.column).toBeGreaterThanOrEqual(1);
      expect(issue.message).not.toBe("");
      expect(issue.message).not.toMatch(ZOD_WORDING);
    }
    return;
  }
  const plan = buildPlan(m);
  const prices = resolvePrices(plan.jobs.map((j) => j.model), m.pricing, { status: "skipped", reason: "fuzz" }, catalog);
  const est = estimatePlan(plan, prices);
  const nano = (n: number) => Number.isInteger(n) && n >= 0; // isInteger is false for NaN and ±Infinity
  expect(nano(est.totalNano), `total ${est.totalNano}`).toBe(true);
  for (const pj of plan.jobs) {
    expect(pj.settings.timeoutMs).toBeGreaterThanOrEqual(1000);
    expect(pj.settings.timeoutMs).toBeLessThanOrEqual(2 ** 31 - 1);
  }
  for (const j of est.jobs) {
    expect(nano(j.totalNano), `${j.id} total ${j.totalNano}`).toBe(true);
    const job = m.jobs.find((x) => x.id === j.id)!;
    expect(job).toBeDefined();
    for (const v of j.variants) {
      if (v.costPerRunNano === undefined) {
        expect(v.confidence).toBe("unknown");
        continue;
      }
      expect(nano(v.costPerRunNano), `${j.id} ${v.label}: ${v.costPerRunNano}`).toBe(true);
      // $0 only when the price itself is 0 (a manifest override or a free tier says so): never from units
      // that measure or round to nothing, a zero duration, a surcharge-free rounding, or a max_cost of 0.
      if (v.costPerRunNano === 0) {
        const why = `${j.id} ${v.label}: $0 at ${v.basis}`;
        expect(v.unitPrice, why).toBe(0);
        expect(v.confidence, why).not.toBe("upper-bound");
        expect(v.surchargeNano, why).toBe(0);
        if (job.units === undefined) expect(v.unitsPerRun, why).toBeGreaterThan(0);
      }
    }
  }
}

describe("fuzzed manifests through the offline estimate", () => {
  it("fail only as positioned manifest errors, and never estimate an unpriced $0 or a non-finite total", { timeout: 60_000 }, () => {
    fc.assert(fc.property(manifest, check), { numRuns: 3000, seed: 20261201 });
  });

  it("the generators reach both valid and refused manifests", () => {
    let valid = 0;
    let refused = 0;
    for (const text of fc.sample(manifest, { numRuns: 300, seed: 7 })) {
      try {
        parseManifest(text);
        valid++;
      } catch {
        refused++;
      }
    }
    // About 1 in 25 is valid: enough that the property's 3,000 runs estimate over a hundred manifests.
    expect(valid).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(100);
  });
});
