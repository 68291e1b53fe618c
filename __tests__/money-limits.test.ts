import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FAL_DEFAULTS } from "../src/adapters/fal/endpoints.js";
import { estimateManifest } from "../src/flows/estimate-flow.js";
import { ManifestError } from "../src/manifest/errors.js";
import { parseReport } from "../src/report/schema.js";
import { MAX_TOTAL_USD, parseUsd } from "../src/util/money.js";

/**
 * Money is counted in integer nano-USD, exact below 2^53 (about $9,007,199):
 * no budget or estimate may go past MAX_TOTAL_USD, and every figure a report
 * holds up to it reads back exactly (post-only mode and the shard merge
 * refuse a report whose figures are not exact integers).
 */
async function manifest(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "fal-jobs-money-"));
  const file = path.join(dir, "fal-jobs.yaml");
  await writeFile(file, text);
  return file;
}

const estimate = (manifestPath: string, budgetUsd?: number) => estimateManifest({ manifestPath, budgetUsd, priceSource: "catalog", endpoints: FAL_DEFAULTS, lockPath: null });

describe("the largest amounts", () => {
  it("stay below 2^53 nano-USD", () => {
    expect(MAX_TOTAL_USD * 1e9).toBeLessThan(2 ** 53);
  });

  it("a budget up to the most is estimated, and its report reads back exactly", async () => {
    const file = await manifest(`version: 1\nbudget: {limit: ${MAX_TOTAL_USD}, per_job_limit: ${MAX_TOTAL_USD}}\njobs:\n  - {id: a, model: fal-ai/flux/schnell, input: {prompt: x}}\n`);
    const { report } = await estimate(file);
    expect(report.budget.effective_nano).toBe(MAX_TOTAL_USD * 1e9);
    expect(parseReport(JSON.parse(JSON.stringify(report)))).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it("a larger budget in the manifest is an error at its position", async () => {
    const file = await manifest(`version: 1\nbudget: 100000000\njobs:\n  - {id: a, model: fal-ai/flux/schnell, input: {prompt: x}}\n`);
    const err = await estimate(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ManifestError);
    expect((err as ManifestError).message).toMatch(/fal-jobs\.yaml:2:9: .*budget.*9000000/);
  });

  it("a larger budget input or flag is refused", () => {
    expect(parseUsd(String(MAX_TOTAL_USD))).toBe(MAX_TOTAL_USD);
    expect(() => parseUsd("100000000")).toThrow(/at most 9000000/);
  });

  it("a manifest estimated above the most is refused, with what to do", async () => {
    // 1,000 runs of a $10,000 manifest price: $10,000,000.
    const file = await manifest(`version: 1
pricing:
  fal-ai/flux/schnell: {unit: images, unit_price: 10000}
jobs:
  - {id: a, model: fal-ai/flux/schnell, repeat: 1000, input: {prompt: x, num_images: 1}}
`);
    await expect(estimate(file)).rejects.toThrow(/estimated at \$10,000,000\.00, more than fal-jobs counts exactly \(\$9,000,000\.00\): split it/);
  });
});
