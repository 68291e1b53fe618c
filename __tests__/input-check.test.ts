import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FAL_DEFAULTS } from "../src/adapters/fal/endpoints.js";
import { estimateManifest } from "../src/flows/estimate-flow.js";
import { ManifestError, type ManifestIssue } from "../src/manifest/errors.js";
import { formatRepoCatalog, type RepoCatalogFile } from "../src/pricing/repo-catalog.js";

/** Inputs checked against each model's input schema before anything is estimated, through the estimate flow. */

async function manifestIn(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "fal-inputs-"));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return path.join(dir, "fal-jobs.yaml");
}

async function problems(files: Record<string, string>): Promise<Array<Pick<ManifestIssue, "line" | "column" | "path" | "message">>> {
  const manifestPath = await manifestIn(files);
  try {
    await estimateManifest({ manifestPath, priceSource: "catalog", endpoints: FAL_DEFAULTS, lockPath: null });
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    return err.issues.map(({ line, column, path, message }) => ({ line, column, path, message }));
  }
  return [];
}

const REPO: RepoCatalogFile = {
  schema: "fal-jobs-catalog/v1",
  updated: "2026-12-01",
  entries: [
    {
      endpoint_id: "acme/sketch",
      status: "active",
      price: { unit: "images", unit_price: 0.0125, currency: "USD", source: "https://api.fal.ai/v1/models/pricing?endpoint_id=acme%2Fsketch", checked: "2026-12-01" },
      model: { source: "https://api.fal.ai/v1/models?endpoint_id=acme%2Fsketch", checked: "2026-12-01" },
      input_schema: {
        type: "object",
        properties: {
          prompt: { type: "string", minLength: 1 },
          num_images: { type: "integer", minimum: 1, maximum: 4, default: 1 },
          style: { anyOf: [{ enum: ["pencil", "ink"] }, { type: "null" }] },
          seed: { type: ["integer", "null"] },
        },
        required: ["prompt"],
        additionalProperties: false,
      },
    },
  ],
};

describe("inputs checked against the model's schema", () => {
  it("reports every problem at once, each at its manifest position, before anything is estimated", async () => {
    const found = await problems({
      "fal-jobs.yaml": `version: 1
jobs:
  - id: video
    model: fal-ai/kling-video/v2.1/master/text-to-video
    input: {prompt: x, duration: 7}
  - id: flux
    model: fal-ai/flux/dev
    input:
      prompt: a
      num_image: 2
      image_size: {width: 1024, height: tall}
  - id: speech
    model: fal-ai/f5-tts
    input: {ref_audio_url: "https://example.com/a.wav"}
  - id: sketch
    model: acme/sketch
    input: {prompt: "", num_images: 6, seed: "lucky", colour: red, style: crayon}
`,
      "fal-jobs.catalog.json": formatRepoCatalog(REPO),
    });
    expect(found).toEqual([
      { line: 5, column: 34, path: "jobs[0].input.duration", message: 'must be "5" or "10", not 7' },
      { line: 10, column: 7, path: "jobs[1].input.num_image", message: "unknown input `num_image` for fal-ai/flux/dev — did you mean `num_images`? (`num_images` sets the price; fal would ignore `num_image`)" },
      { line: 11, column: 41, path: "jobs[1].input.image_size.height", message: 'must be a whole number, not "tall"' },
      { line: 14, column: 12, path: "jobs[2].input", message: "missing `gen_text`: fal-ai/f5-tts requires it" },
      { line: 17, column: 21, path: "jobs[3].input.prompt", message: "must not be empty" },
      { line: 17, column: 37, path: "jobs[3].input.num_images", message: "must be at most 4, not 6" },
      { line: 17, column: 46, path: "jobs[3].input.seed", message: 'must be a whole number or empty, not "lucky"' },
      { line: 17, column: 55, path: "jobs[3].input.colour", message: "unknown input `colour` for acme/sketch (fal would ignore it): its inputs are num_images, prompt, seed, style" },
      { line: 17, column: 75, path: "jobs[3].input.style", message: 'must be "pencil" or "ink" or empty, not "crayon"' },
    ]);
  });

  it("checks a matrix's inputs after substitution and points at the template, naming the combinations that fail", async () => {
    const found = await problems({
      "fal-jobs.yaml": `version: 1
jobs:
  - id: clips
    model: fal-ai/kling-video/v2.1/master/text-to-video
    matrix: {len: ["5", 7, "10", 12], style: [a, b]}
    input: {prompt: "\${{ matrix.style }}", duration: "\${{ matrix.len }}"}
`,
    });
    // The same template, two wrong values: each is its own problem at the template's position.
    expect(found.map((f) => [f.line, f.column])).toEqual([[6, 54], [6, 54]]);
    expect(found[0]!.message).toBe('with len=7,style=a; len=7,style=b: must be "5" or "10", not 7');
    expect(found[1]!.message).toBe('with len=12,style=a; len=12,style=b: must be "5" or "10", not 12');
  });

  it("accepts what fal accepts: numeric text for a number, the model's own enums, keys a partial schema does not list", async () => {
    expect(
      await problems({
        "fal-jobs.yaml": `version: 1
budget: 100
jobs:
  - {id: a, model: fal-ai/flux/dev, input: {prompt: a, num_images: "2", image_size: landscape_16_9_fhd, enable_safety_checker: false}}
  - {id: b, model: fal-ai/veo3.1, input: {prompt: b, duration: "4s", resolution: 4k, generate_audio: false}}
  - {id: c, model: acme/sketch, input: {prompt: c, style: null, seed: 7}}
`,
        "fal-jobs.catalog.json": formatRepoCatalog(REPO),
      }),
    ).toEqual([]);
  });

  it("says which jobs' inputs nothing checked, in the report", async () => {
    const manifestPath = await manifestIn({
      "fal-jobs.yaml": `version: 1
budget: 100
pricing: {acme/lora: {unit: images, unit_price: 0.01}}
jobs:
  - {id: known, model: fal-ai/flux/dev, input: {prompt: a}}
  - {id: own, model: acme/lora, input: {prompt: b}}
`,
    });
    const outcome = await estimateManifest({ manifestPath, priceSource: "catalog", endpoints: FAL_DEFAULTS, lockPath: null });
    expect(outcome.report.checks).toEqual({ inputs_checked: ["known"], inputs_unchecked: [{ job: "own", model: "acme/lora" }] });
    expect(outcome.report.warnings.join("\n")).toMatch(/acme\/lora is in no catalog, so its id was not checked/);
  });
});
