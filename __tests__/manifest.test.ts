import { readFile } from "node:fs/promises";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { bundledCatalog } from "../src/pricing/bundled-catalog.js";
import { ROOT } from "./helpers/action.js";
import { parseManifest } from "../src/manifest/load.js";
import { ManifestError, type ManifestIssue } from "../src/manifest/errors.js";
import { manifestJsonSchema } from "../src/manifest/schema.js";

function issuesOf(text: string): ManifestIssue[] {
  try {
    parseManifest(text, "fal-jobs.yaml");
  } catch (err) {
    expect(err).toBeInstanceOf(ManifestError);
    return (err as ManifestError).issues;
  }
  throw new Error("expected the manifest to be rejected");
}

const VALID = `version: 1
budget: 5
jobs:
  - id: hero
    model: fal-ai/flux/dev
    input: {prompt: "a city", num_images: 2}
    repeat: 3
`;

describe("manifest parsing", () => {
  it("accepts the documented shape and fills defaults", () => {
    const m = parseManifest(VALID);
    expect(m.jobs[0]).toMatchObject({ id: "hero", model: "fal-ai/flux/dev", repeat: 3, input: { num_images: 2 } });
    expect(m.budget).toBe(5);
  });

  it("accepts the budget object form and pricing overrides", () => {
    const m = parseManifest(`version: 1
budget: {limit: 5, per_job_limit: 1, warn_at: 0.8, unknown_price: warn}
pricing:
  fal-ai/my-lora: {unit: images, unit_price: 0.035}
jobs:
  - {id: a, model: fal-ai/my-lora}
`);
    expect(m.budget).toEqual({ limit: 5, per_job_limit: 1, warn_at: 0.8, unknown_price: "warn" });
    expect(m.pricing?.["fal-ai/my-lora"]).toEqual({ unit: "images", unit_price: 0.035 });
    expect(m.jobs[0]!.input).toEqual({});
  });

  it("reports a YAML syntax error with its line and column", () => {
    const issues = issuesOf(`version: 1
jobs:
  - id: a
    model: fal-ai/flux/dev
    input: {prompt: "unterminated
`);
    // At the opening quote, where the fix goes; what YAML reports after it is only its echo.
    expect(issues).toEqual([expect.objectContaining({ line: 5, column: 21, message: expect.stringMatching(/^YAML: this quoted value is never closed/) })]);
  });

  it("rejects duplicate keys (YAML would otherwise keep only the last)", () => {
    const issues = issuesOf(`version: 1
jobs:
  - id: a
    model: fal-ai/flux/dev
    repeat: 2
    repeat: 20
`);
    expect(issues[0]).toMatchObject({ line: 6 });
    expect(issues[0]!.message).toMatch(/duplicate key/i);
  });

  it("names an unknown key at its own position and suggests the right one", () => {
    const issues = issuesOf(`version: 1
jobs:
  - id: a
    model: fal-ai/flux/dev
    repeats: 3
`);
    expect(issues).toEqual([
      expect.objectContaining({ file: "fal-jobs.yaml", line: 5, column: 5, path: "jobs[0].repeats", message: expect.stringContaining("did you mean `repeat`") }),
    ]);
  });

  it("reports every schema problem at once, each with path, line and column", () => {
    const issues = issuesOf(`version: 1
budget: lots
defaults: {timeout: soon}
jobs:
  - id: a
    model: fal-ai/flux/dev
    repeat: 0
  - id: "bad id!"
    model: flux
  - id: c
    model: fal-ai/flux/dev
    input: {prompt: x}
    concurrency: 2.5
`);
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
    expect(byPath["budget"]).toMatchObject({ line: 2, column: 9 });
    expect(byPath["defaults.timeout"]).toMatchObject({ line: 3, column: 21 });
    expect(byPath["defaults.timeout"]!.message).toMatch(/10m/);
    expect(byPath["jobs[0].repeat"]).toMatchObject({ line: 7, column: 13 });
    expect(byPath["jobs[1].id"]).toMatchObject({ line: 8, column: 9 });
    expect(byPath["jobs[1].id"]!.message).toMatch(/slug/);
    expect(byPath["jobs[1].model"]).toMatchObject({ line: 9, column: 12 });
    expect(byPath["jobs[1].model"]!.message).toMatch(/owner\/model/);
    expect(byPath["jobs[2].concurrency"]).toMatchObject({ line: 13 });
  });

  it("requires version 1 and at least one job", () => {
    const issues = issuesOf(`budget: 3\njobs: []\n`);
    expect(issues.map((i) => i.path).sort()).toEqual(["jobs", "version"]);
    expect(issues.find((i) => i.path === "version")!.message).toMatch(/version: 1/);
  });

  it("rejects duplicate job ids at the second one", () => {
    const issues = issuesOf(`version: 1
jobs:
  - {id: a, model: fal-ai/flux/dev}
  - {id: a, model: fal-ai/flux/schnell}
`);
    expect(issues).toEqual([expect.objectContaining({ path: "jobs[1].id", line: 4, message: expect.stringMatching(/duplicate job id "a"/) })]);
  });

  it("rejects a reference to a matrix axis that does not exist, at the string", () => {
    const issues = issuesOf(`version: 1
jobs:
  - id: t
    model: fal-ai/flux/schnell
    matrix: {animal: [cat]}
    input:
      prompt: "a \${{ matrix.animl }}"
`);
    expect(issues).toEqual([expect.objectContaining({ path: "jobs[0].input.prompt", line: 7, column: 15, message: expect.stringMatching(/matrix\.animl.*the axes are animal/) })]);
  });

  it("rejects units together with max_cost", () => {
    const issues = issuesOf(`version: 1
jobs:
  - {id: w, model: fal-ai/whisper, units: 3, max_cost: 1}
`);
    expect(issues[0]!.message).toMatch(/either `units` or `max_cost`/);
  });

  it("rejects manifests that expand past the run limit before expanding them", () => {
    const issues = issuesOf(`version: 1
jobs:
  - id: big
    model: fal-ai/flux/schnell
    repeat: 1000000
    matrix: {a: [1, 2]}
`);
    expect(issues[0]!.message).toMatch(/2000000 runs; the limit is 1000000/);
  });

  it("publishes a JSON Schema that knows every job key", () => {
    const schema = manifestJsonSchema() as { properties: { jobs: { items: { properties: Record<string, unknown>; additionalProperties: boolean } } } };
    const job = schema.properties.jobs.items;
    expect(Object.keys(job.properties)).toEqual(expect.arrayContaining(["id", "model", "input", "repeat", "matrix", "units", "max_cost", "timeout"]));
    expect(job.additionalProperties).toBe(false);
  });

  it("the published schema offers the bundled catalog's model ids to editors, and still accepts any other id of the right shape", async () => {
    const schema = JSON.parse(await readFile(path.join(ROOT, "fal-jobs.schema.json"), "utf8")) as { properties: { jobs: { items: { properties: { model: { anyOf: Array<{ enum?: string[] }> } } } } } };
    const suggested = schema.properties.jobs.items.properties.model.anyOf[0]!.enum!;
    expect(suggested).toEqual([...bundledCatalog().entries.keys()].sort());
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const manifest = (model: string) => ({ version: 1, jobs: [{ id: "a", model, input: {} }] });
    expect(validate(manifest("fal-ai/flux/dev"))).toBe(true);
    expect(validate(manifest("acme/my-own-app"))).toBe(true);
    expect(validate(manifest("not an id"))).toBe(false);
  });
});
