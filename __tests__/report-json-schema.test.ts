import { readFile } from "node:fs/promises";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportJsonSchema } from "../src/report/schema.js";
import { FakeArtifactServer } from "./fakes/artifact-server.js";
import { FAL_KEY, FakeFal } from "./fakes/fal.js";
import { ROOT, runAction } from "./helpers/action.js";

/**
 * `fal-jobs-report/v1` is a published contract: fal-jobs-report.schema.json is
 * generated from the same schema post-only mode parses with, and every report
 * the built action writes (estimate and run) validates against it.
 */

let fal: FakeFal;
let artifacts: FakeArtifactServer;
beforeAll(async () => {
  fal = await FakeFal.start();
  artifacts = await FakeArtifactServer.start();
});
afterAll(async () => {
  await fal.close();
  await artifacts.close();
});

const MANIFEST = `version: 1
budget: 5
jobs:
  - {id: hero, model: fal-ai/flux/dev, repeat: 2, input: {prompt: "a city", image_size: square_hd}}
  - {id: chat, model: acme/llm, units: 0.01, input: {prompt: hi}}
`;

describe("the report's JSON Schema", () => {
  it("is committed as generated", async () => {
    const committed = JSON.parse(await readFile(path.join(ROOT, "fal-jobs-report.schema.json"), "utf8")) as unknown;
    expect(committed).toEqual(reportJsonSchema());
  });

  it("accepts every report the action writes, estimate and run, and rejects a broken one", async () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(reportJsonSchema());
    const manifest = `${MANIFEST}pricing: {acme/llm: {unit: 1m tokens, unit_price: 2}}\n`;
    const dry = await runAction({ inputs: { comment: "off" }, files: { "fal-jobs.yaml": manifest } });
    fal.failSubmits("accept-then-504");
    const run = await runAction({
      inputs: { "dry-run": "false", "fal-key": FAL_KEY, "price-source": "catalog", comment: "off", "billing-timeout": "1" },
      files: { "fal-jobs.yaml": manifest },
      env: { ...fal.env(), ...artifacts.env() },
    });
    for (const r of [dry, run]) {
      const report = JSON.parse(await readFile(r.outputs["report-path"]!, "utf8")) as Record<string, unknown>;
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    }
    const report = JSON.parse(await readFile(run.outputs["report-path"]!, "utf8")) as { mode: string; runs: Array<Record<string, unknown>> };
    expect(report.mode).toBe("run");
    expect(report.runs.some((x) => x.submit_outcome === "unknown")).toBe(true);
    report.runs[0]!.submit_outcome = "maybe";
    expect(validate(report)).toBe(false);
    // One schema per mode: the JSON Schema, not only the parser, requires a run report's execution.
    const noExecution = JSON.parse(await readFile(run.outputs["report-path"]!, "utf8")) as Record<string, unknown>;
    delete noExecution.execution;
    expect(validate(noExecution)).toBe(false);
  });
});
