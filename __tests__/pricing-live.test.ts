import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { FAL_KEY, FakeFal } from "./fakes/fal.js";
import { CLI, COMPILE_CACHE_ENV } from "./helpers/action.js";

/** Live prices from the fal Platform API (a loopback fake), through the built CLI. */

let fal: FakeFal;
beforeEach(async () => {
  fal = await FakeFal.start({ prices: { "fal-ai/flux/dev": { unit_price: 0.03, unit: "megapixels" }, "fal-ai/flux/schnell": { unit_price: 0.004, unit: "megapixels" } } });
});
afterEach(async () => {
  await fal.close();
});

const MANIFEST = `version: 1
budget: 10
pricing:
  fal-ai/flux/schnell: {unit: images, unit_price: 0.01}
jobs:
  - {id: hero, model: fal-ai/flux/dev, input: {prompt: a, image_size: square_hd, num_images: 2}}
  - {id: thumbs, model: fal-ai/flux/schnell, input: {prompt: b}}
  - {id: video, model: fal-ai/kling-video/v2.1/master/text-to-video, input: {prompt: c, duration: "10"}}
`;

async function estimate(manifest: string, args: string[], env: Record<string, string> = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), "fal-price-"));
  const file = path.join(dir, "fal-jobs.yaml");
  await writeFile(file, manifest);
  const child = spawn(process.execPath, [CLI, "estimate", file, "--json", ...args], { env: { PATH: process.env.PATH ?? "", ...COMPILE_CACHE_ENV, ...fal.env(), ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.on("close", r));
  return { code, stdout, stderr, report: stdout.startsWith("{") ? (JSON.parse(stdout) as Report) : undefined };
}

const pricingCalls = () => fal.requests.filter((r) => r.url.startsWith("/v1/models/pricing"));

describe("live pricing", () => {
  it("uses live prices when a key is present, after manifest overrides, with the catalog for what fal did not price", async () => {
    const { code, report } = await estimate(MANIFEST, ["--price-source", "auto"], { FAL_KEY });
    expect(code).toBe(0);
    const job = (id: string) => report!.jobs.find((j) => j.id === id)!;
    expect(job("hero")).toMatchObject({ source: "live", estimated: "0.06" }); // 2 MP × $0.03 live, not the catalog's $0.025
    expect(job("thumbs")).toMatchObject({ source: "override", estimated: "0.01" });
    expect(job("video")).toMatchObject({ source: "catalog", estimated: "2.80" });
    // One batch for the run: every model in one call, overridden ones too (an override may not undercut fal's price).
    expect(pricingCalls()).toHaveLength(1);
    expect(new URL(pricingCalls()[0]!.url, fal.url).searchParams.get("endpoint_id")!.split(",").sort()).toEqual(["fal-ai/flux/dev", "fal-ai/flux/schnell", "fal-ai/kling-video/v2.1/master/text-to-video"]);
  });

  it("a live unit of another kind than the catalog's (fal's docs: flux/dev per \"image\") warns and never estimates below the catalog's megapixels", async () => {
    fal.setPrice("fal-ai/flux/dev", { unit_price: 0.025, unit: "image" });
    const { code, report } = await estimate(`version: 1
budget: 10
jobs:
  - {id: wide, model: fal-ai/flux/dev, input: {prompt: a, image_size: landscape_16_9_fhd, num_images: 2}}
`, ["--price-source", "live"], { FAL_KEY });
    expect(code).toBe(0);
    // 2 images of 1920×1080: 2 × 2 MP × $0.025 by the catalog's unit rule, not 2 × $0.025 per image.
    expect(report!.jobs[0]).toMatchObject({ source: "catalog", unit: "megapixels", estimated: "0.10" });
    expect(report!.warnings.join("\n")).toMatch(/fal's pricing API prices fal-ai\/flux\/dev per image, the catalog per megapixels/);
  });

  it("asks at most 50 ids per call", async () => {
    const jobs = Array.from({ length: 60 }, (_, i) => `  - {id: j${i}, model: acme/model-${i}, input: {prompt: x}, units: 1}`).join("\n");
    for (let i = 0; i < 60; i++) fal.setPrice(`acme/model-${i}`, { unit_price: 0.001, unit: "images" });
    const { code, report } = await estimate(`version: 1\nbudget: 10\njobs:\n${jobs}\n`, ["--price-source", "live"], { FAL_KEY });
    expect(code).toBe(0);
    const sizes = pricingCalls().map((c) => new URL(c.url, fal.url).searchParams.get("endpoint_id")!.split(",").length);
    expect(sizes.sort()).toEqual([10, 50]);
    expect(report!.totals.estimated).toBe("0.06");
  });

  it("falls back to the catalog with a warning when the API fails, and fails only when live was demanded", async () => {
    fal.failPricing({ status: 503 });
    // Side by side: each waits out the pricing client's retries (src/adapters/fal/pricing-api.ts, 0.5 s + 1 s).
    const [auto, live] = await Promise.all([estimate(MANIFEST, ["--price-source", "auto"], { FAL_KEY }), estimate(MANIFEST, ["--price-source", "live"], { FAL_KEY })]);
    expect(auto.code).toBe(0);
    expect(auto.report!.jobs.find((j) => j.id === "hero")).toMatchObject({ source: "catalog", estimated: "0.05" });
    expect(auto.report!.warnings.join("\n")).toMatch(/live prices unavailable \(pricing API answered 503.*catalog dated/);
    expect(live.code).toBe(2);
    expect(live.stderr).toMatch(/price-source is live but the fal pricing API failed/);
  });

  it("a refused key falls back too, and never appears in the output", async () => {
    const res = await estimate(MANIFEST, ["--price-source", "auto"], { FAL_KEY: "revoked-key-123" });
    expect(res.code).toBe(0);
    expect(res.report!.warnings.join("\n")).toMatch(/401/);
    expect(res.stdout + res.stderr).not.toContain("revoked-key-123");
  });

  it("without a key, auto estimates offline from the catalog and never calls the API", async () => {
    const res = await estimate(MANIFEST, ["--price-source", "auto"]);
    expect(res.code).toBe(0);
    expect(res.report!.jobs.find((j) => j.id === "hero")).toMatchObject({ source: "catalog" });
    expect(fal.requests).toHaveLength(0);
  });
});
