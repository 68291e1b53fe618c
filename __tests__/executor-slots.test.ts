import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runManifest } from "../src/flows/run-flow.js";
import { FAL_KEY, FakeFal } from "./fakes/fal.js";

let fal: FakeFal;
beforeAll(async () => {
  fal = await FakeFal.start();
});
afterAll(async () => fal.close());

describe("concurrency slots", () => {
  it("stay taken until a run's result (its billed units) is in, so at most `concurrency` runs are unsettled", async () => {
    // One slot, 3 runs; each result takes 300 ms to arrive after 50 ms of model time.
    fal.setModel("acme/slow-result", { latencyMs: 50, resultDelayMs: 300, outcome: () => ({ output: { text: "ok" }, billableUnits: 1 }) });
    const dir = await mkdtemp(path.join(tmpdir(), "fal-slots-"));
    await writeFile(
      path.join(dir, "fal-jobs.yaml"),
      "version: 1\nbudget: 1\npricing:\n  acme/slow-result: {unit: images, unit_price: 0.01}\njobs:\n  - {id: a, model: acme/slow-result, input: {prompt: x}, repeat: 3, concurrency: 1}\n",
    );
    const out = await runManifest({
      manifestPath: path.join(dir, "fal-jobs.yaml"),
      priceSource: "catalog",
      falKey: FAL_KEY,
      endpoints: { queueUrl: fal.url, restUrl: fal.url, apiUrl: `${fal.url}/v1` },
      outputDir: path.join(dir, "out"),
      billingTimeoutMs: 0,
      signal: new AbortController().signal,
      log: () => {},
    });
    const runs = out.records!;
    expect(runs.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    for (let i = 1; i < runs.length; i++) {
      // The next run starts only after the previous one's result arrived, 300 ms after it completed.
      expect(Date.parse(runs[i]!.timings.started_at!) - Date.parse(runs[i - 1]!.timings.completed_at!)).toBeGreaterThanOrEqual(290);
    }
    for (const r of runs) expect(r.header_units).toBe(1);
  });
});
