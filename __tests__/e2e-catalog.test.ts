import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { FAL_KEY, FakeFal } from "./fakes/fal.js";
import { annotations, CLI, ROOT, runAction } from "./helpers/action.js";

/**
 * `fal-jobs catalog update` against the fake fal's pricing and model search APIs, and what the repository catalog it
 * writes does to keyless estimates and to the action: prices, the price source, and inputs checked before anything
 * is submitted. All through the built dist/.
 */

const SKETCH_INPUT = {
  type: "object",
  title: "SketchInput",
  properties: {
    prompt: { type: "string", minLength: 1, example: "a cat" },
    num_images: { type: "integer", minimum: 1, maximum: 4, default: 1 },
    style: { $ref: "#/components/schemas/Style", nullable: true },
    seed: { type: "integer", nullable: true, "x-fal-order": 3 },
  },
  required: ["prompt"],
};

let fal: FakeFal;
beforeAll(async () => {
  fal = await FakeFal.start({
    prices: {
      // fal's pricing API as some captures show it: a price as text, and a fraction of a cent.
      "acme/sketch": { unit_price: "0.0125", unit: "images" },
      "fal-ai/flux/dev": { unit_price: 0.0275, unit: "megapixels" },
    },
    models: {
      "acme/sketch": { display_name: "Sketch", category: "text-to-image", input: SKETCH_INPUT, components: { Style: { enum: ["pencil", "ink"], type: "string" } } },
      "fal-ai/flux/dev": { display_name: "FLUX.1 [dev]", input: { type: "object", properties: { prompt: { type: "string" }, num_images: { type: "integer", default: 1, maximum: 4 }, image_size: { default: "landscape_4_3" } }, required: ["prompt"] } },
      "acme/retired": { status: "deprecated", input: { type: "object", properties: { prompt: { type: "string" } } } },
    },
  });
});
afterAll(async () => {
  await fal.close();
});

async function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? "", ...fal.env(), ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.on("close", r));
  return { code, stdout, stderr };
}

async function repoWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "fal-catalog-"));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

const MANIFEST = `version: 1
budget: 10
jobs:
  - {id: hero, model: fal-ai/flux/dev, input: {prompt: a, image_size: square_hd, num_images: 2}}
  - {id: sketches, model: acme/sketch, input: {prompt: b, num_images: 3}}
`;

describe("fal-jobs catalog update", () => {
  it("writes fal's price, unit, status and input schema for every model of the manifest, sorted and byte-stable", async () => {
    const dir = await repoWith({ "fal-jobs.yaml": MANIFEST });
    const run = await cli(["catalog", "update", "fal-jobs.yaml", "--model", "acme/retired"], dir, { FAL_KEY });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^acme\/retired: no price from fal's pricing API; deprecated; input schema$/m);
    expect(run.stdout).toMatch(/^acme\/sketch: \$0\.0125 per images; active; input schema$/m);
    expect(run.stdout).toMatch(/wrote fal-jobs\.catalog\.json: 3 model\(s\) from fal\. Commit it\./);
    const text = await readFile(path.join(dir, "fal-jobs.catalog.json"), "utf8");
    const file = JSON.parse(text) as { schema: string; updated: string; entries: Array<Record<string, unknown>> };
    expect(file.schema).toBe("fal-jobs-catalog/v1");
    expect(file.entries.map((e) => e.endpoint_id)).toEqual(["acme/retired", "acme/sketch", "fal-ai/flux/dev"]);
    const sketch = file.entries[1]!;
    expect(sketch).toMatchObject({
      status: "active",
      display_name: "Sketch",
      price: { unit: "images", unit_price: 0.0125, currency: "USD", checked: file.updated },
      model: { checked: file.updated },
    });
    // OpenAPI 3.0 made plain JSON Schema: the input component inlined, references under $defs, nullable as a null
    // type, fal's annotations dropped, and closed: its properties are all the model reads.
    expect(sketch.input_schema).toEqual({
      $defs: { Style: { enum: ["pencil", "ink"], type: "string" } },
      additionalProperties: false,
      properties: {
        num_images: { default: 1, maximum: 4, minimum: 1, type: "integer" },
        prompt: { minLength: 1, type: "string" },
        seed: { type: ["integer", "null"] },
        style: { anyOf: [{ $ref: "#/$defs/Style" }, { type: "null" }] },
      },
      required: ["prompt"],
      title: "SketchInput",
      type: "object",
    });
    // The key never reaches the file; the sources say which call each figure came from.
    expect(text).not.toContain(FAL_KEY);
    expect(String((sketch.price as { source: string }).source)).toMatch(/\/v1\/models\/pricing\?endpoint_id=acme%2Fsketch$/);
    // It is what its published JSON Schema describes.
    const schema = JSON.parse(await readFile(path.join(ROOT, "fal-jobs.catalog.schema.json"), "utf8")) as object;
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
    // Asked again, fal says the same: the same bytes.
    expect((await cli(["catalog", "update", "fal-jobs.yaml", "--model", "acme/retired"], dir, { FAL_KEY })).code).toBe(0);
    expect(await readFile(path.join(dir, "fal-jobs.catalog.json"), "utf8")).toBe(text);
    // One model asked about again: the others are kept as they were.
    expect((await cli(["catalog", "update", "--model", "acme/sketch"], dir, { FAL_KEY })).stdout).toMatch(/1 model\(s\) from fal, 2 kept as they were/);
  });

  it("writes nothing when fal does not list a model, and names the id it most likely meant; needs a key", async () => {
    const dir = await repoWith({ "fal-jobs.yaml": MANIFEST.replace("fal-ai/flux/dev", "fal-ai/flux-dev") });
    const run = await cli(["catalog", "update"], dir, { FAL_KEY });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/fal's model API does not list fal-ai\/flux-dev \(did you mean fal-ai\/flux\/dev\?\): fix the id; nothing was written/);
    await expect(readFile(path.join(dir, "fal-jobs.catalog.json"), "utf8")).rejects.toThrow(/ENOENT/);
    const noKey = await cli(["catalog", "update"], dir);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/needs a key: set FAL_KEY/);
    const url = await cli(["catalog", "update", "--model", "https://fal.ai/models/fal-ai/flux/dev"], dir, { FAL_KEY });
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/its id is fal-ai\/flux\/dev/);
  });

  it("without a key, the estimate prices from the repository catalog, names it as the source, and checks inputs against fal's schema", async () => {
    const dir = await repoWith({ "fal-jobs.yaml": MANIFEST });
    expect((await cli(["catalog", "update"], dir, { FAL_KEY })).code).toBe(0);
    const modelCalls = fal.modelQueries.length;
    const run = await cli(["estimate", "--json"], dir);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    // hero: 2 images × 1 MP × $0.0275 (fal's current price, not the bundled $0.025); sketches: 3 × $0.0125.
    expect(report.jobs.map((j) => [j.id, j.source, j.estimated])).toEqual([["hero", "repository", "0.055"], ["sketches", "repository", "0.0375"]]);
    expect(report.jobs[1]!.source_detail).toMatch(/^repository catalog \d{4}-\d{2}-\d{2}$/);
    expect(report.prices.by_source).toMatchObject({ repository: 2, catalog: 0 });
    expect(report.prices.repository_catalog).toEqual({ path: path.join(dir, "fal-jobs.catalog.json").replace(`${dir}/`, ""), updated: expect.stringMatching(/^\d{4}-/) });
    expect(report.checks).toEqual({ inputs_checked: ["hero", "sketches"], inputs_unchecked: [] });
    expect(fal.modelQueries.length).toBe(modelCalls); // no key: fal was not asked
    // A key the schema does not list is a typo fal would ignore: refused, at its position.
    await writeFile(path.join(dir, "fal-jobs.yaml"), MANIFEST.replace("num_images: 3}", "num_image: 3}"));
    const typo = await cli(["estimate"], dir);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^fal-jobs\.yaml:5:59: jobs\[1\]\.input\.num_image: unknown input `num_image` for acme\/sketch \(fal would ignore it\) — did you mean `num_images`\?$/m);
  });

  it("a repository catalog that is not one stops the estimate at its position", async () => {
    const dir = await repoWith({ "fal-jobs.yaml": MANIFEST, "fal-jobs.catalog.json": '{\n  "schema": "fal-jobs-catalog/v1",\n  "updated": "yesterday",\n  "entries": []\n}\n' });
    const run = await cli(["estimate"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^fal-jobs\.catalog\.json:3:14: updated: .*fal-jobs catalog update/m);
  });
});

describe("the action with a repository catalog and inputs checked", () => {
  it("a wrong enum fails the pull request check at its line, and a real run submits nothing", async () => {
    const manifest = `version: 1
budget: 10
jobs:
  - {id: sketches, model: acme/sketch, input: {prompt: b, style: crayon}}
`;
    const dir = await repoWith({});
    await writeFile(path.join(dir, "fal-jobs.yaml"), MANIFEST);
    expect((await cli(["catalog", "update"], dir, { FAL_KEY })).code).toBe(0);
    const catalog = await readFile(path.join(dir, "fal-jobs.catalog.json"), "utf8");
    const files = { "fal-jobs.yaml": manifest, "fal-jobs.catalog.json": catalog };
    const expected = [{ props: expect.objectContaining({ file: "fal-jobs.yaml", line: "4", col: "66" }), message: 'jobs[0].input.style: must be "pencil" or "ink" or empty, not "crayon"' }];

    const pr = await runAction({ inputs: { budget: "5" }, files, event: { name: "pull_request", payload: {} } });
    expect(pr.code).toBe(1);
    expect(annotations(pr.stdout).filter((a) => a.props.file === "fal-jobs.yaml")).toEqual(expected);

    const submitsBefore = fal.runs.size;
    const real = await runAction({ inputs: { budget: "5", "dry-run": "false", "fal-key": FAL_KEY }, env: fal.env(), files });
    expect(real.code).toBe(1);
    expect(annotations(real.stdout).filter((a) => a.props.file === "fal-jobs.yaml")).toEqual(expected);
    expect(fal.runs.size).toBe(submitsBefore);
  });
});
