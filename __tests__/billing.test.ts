import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runManifest } from "../src/flows/run-flow.js";
import { FAL_ADMIN_KEY, FAL_KEY, FakeFal } from "./fakes/fal.js";

/** Billed cost per run from fal's billing events (ADMIN key), with the header and output fallbacks, against the fake Platform API. */

let fal: FakeFal;
beforeEach(async () => {
  fal = await FakeFal.start({ prices: { "acme/img": { unit_price: 0.01, unit: "images" }, "acme/llm": { unit_price: 0.002, unit: "units" } } });
  // Bills 3 images whatever was asked (the estimate says 1): reconciliation must show the overrun.
  fal.setModel("acme/img", { latencyMs: 5, outcome: ({ fake, requestId }) => ({ output: { images: [{ url: `${fake.url}/cdn/${requestId}/0.png`, content_type: "image/png" }] }, billableUnits: 3 }) });
  // No header, no files: only billing events can tell what it cost.
  fal.setModel("acme/llm", { latencyMs: 5, outcome: () => ({ output: { output: "hello" } }) });
  fal.setModel("acme/strict", { latencyMs: 5, outcome: () => ({ httpError: { status: 422, body: { detail: [{ loc: ["body", "prompt"], msg: "too long", type: "value_error" }] } }, billableUnits: 1 }) });
});
afterEach(async () => {
  await fal.close();
});

const MANIFEST = `version: 1
budget: 10
pricing:
  acme/img: {unit: images, unit_price: 0.01}
  acme/llm: {unit: units, unit_price: 0.002}
  acme/strict: {unit: images, unit_price: 0.01}
jobs:
  - {id: img, model: acme/img, input: {prompt: a, num_images: 1}, repeat: 3}
  - {id: llm, model: acme/llm, input: {prompt: b}, units: 1}
  - {id: strict, model: acme/strict, input: {prompt: c, num_images: 1}}
`;

async function run(opts: { adminKey?: string; billingTimeoutMs?: number } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), "fal-billing-"));
  await writeFile(path.join(dir, "fal-jobs.yaml"), MANIFEST);
  const log: string[] = [];
  const out = await runManifest({
    manifestPath: path.join(dir, "fal-jobs.yaml"),
    priceSource: "catalog",
    falKey: FAL_KEY,
    falAdminKey: opts.adminKey,
    endpoints: { queueUrl: fal.url, restUrl: fal.url, apiUrl: `${fal.url}/v1` },
    outputDir: path.join(dir, "out"),
    billingTimeoutMs: opts.billingTimeoutMs ?? 5_000,
    billingPollMs: 40,
    retryBaseMs: 5,
    signal: new AbortController().signal,
    log: (l) => log.push(l),
  });
  const report = out.report;
  if (report.mode !== "run") throw new Error("the budget gate stopped the run");
  const byJob = (job: string) => report.runs.filter((r) => r.job === job);
  return { ...out, report, log, byJob, dir };
}

describe("billed cost", () => {
  it("waits for late billing events and uses them for every run, failed ones included", async () => {
    fal.setBillingLag(250);
    const r = await run({ adminKey: FAL_ADMIN_KEY });
    expect(r.report.runs!.map((x) => x.billed.source)).toEqual(Array(5).fill("billing-events"));
    expect(r.byJob("img").map((x) => x.billed.cost)).toEqual(["0.03", "0.03", "0.03"]);
    // fal may bill a 422: the failed run's cost is reconciled too. Total: 3 × $0.03 + 1 unit × $0.002 + $0.01.
    expect(r.byJob("strict")[0]).toMatchObject({ status: "failed", billed: { cost: "0.01", source: "billing-events" } });
    expect(r.report.execution).toMatchObject({ billed: "0.102", billed_runs: 5, pending_runs: 0, over_estimate_runs: 3 });
    expect(r.byJob("img").every((x) => x.over_estimate)).toBe(true);
    // The llm run (no header, no files) was settled from its own billing record while the batch ran, not only at the end.
    const llmId = r.byJob("llm")[0]!.request_id!;
    expect(fal.billingQueries.some((q) => q.length === 1 && q[0] === llmId)).toBe(true);
    // result.json carries fal's figure.
    const rj = JSON.parse(await readFile(path.join(r.dir, "out", r.byJob("img")[0]!.dir!, "result.json"), "utf8")) as { cost: Record<string, unknown> };
    expect(rj.cost).toMatchObject({ billed: "0.03", billed_source: "billing-events", billed_units: 3 });
  });

  it("reads partial pages until the last one", async () => {
    fal.setBillingPageSize(2);
    const r = await run({ adminKey: FAL_ADMIN_KEY });
    expect(r.report.execution!.billed_runs).toBe(5);
    expect(fal.requests.filter((q) => q.url.startsWith("/v1/models/billing-events")).length).toBeGreaterThanOrEqual(3);
  });

  it("events that never arrive: the header where fal sent one, else pending, never $0", async () => {
    fal.setBillingLag(0, true);
    const r = await run({ adminKey: FAL_ADMIN_KEY, billingTimeoutMs: 200 });
    expect(r.byJob("img").map((x) => x.billed)).toEqual(Array(3).fill({ source: "header", units: 3, unit_price: 0.01, cost_nano: 30_000_000, cost: "0.03" }));
    expect(r.byJob("llm")[0]!.billed).toMatchObject({ source: "pending", cost: null });
    expect(r.report.execution).toMatchObject({ pending_runs: 1, billed: null });
  });

  it("an API-scope key refused by the billing API (403) falls back to the header, and says why", async () => {
    const r = await run({ adminKey: FAL_KEY });
    expect(r.byJob("img").map((x) => x.billed.source)).toEqual(["header", "header", "header"]);
    expect(r.byJob("llm")[0]!.billed).toMatchObject({ source: "unknown", cost: null });
    expect(r.log.join("\n")).toMatch(/403.*ADMIN-scope key.*using billable-unit headers/);
    expect(r.report.execution!.unknown_runs).toBe(1);
  });
});
