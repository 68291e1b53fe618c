import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFalQueue } from "../src/adapters/fal/client.js";
import { runManifest } from "../src/flows/run-flow.js";
import { isTransient, QueueError } from "../src/run/fal-queue.js";
import { retry } from "../src/util/retry.js";
import { FAL_KEY, FakeFal } from "./fakes/fal.js";

/**
 * A manifest's `retries` is the whole retry budget of each fal call: the real
 * `@fal-ai/client` (which on its own would retry a status request 5 times and
 * a result 3 times) sends each request once through our seam, and only the
 * executor retries. Counted at the fake, request by request.
 */

let fal: FakeFal;
beforeEach(async () => {
  fal = await FakeFal.start();
  fal.disableStream(); // status comes from polls only, so every status request is counted
  fal.setModel("acme/img", { latencyMs: 5, outcome: () => ({ output: { text: "ok" }, billableUnits: 1 }) });
  fal.setModel("acme/broken", { latencyMs: 5, outcome: () => ({ completedError: { message: "CUDA out of memory", type: "runner_server_error" }, billableUnits: 0 }) });
});
afterEach(async () => {
  await fal.close();
});

async function runOnce(retries: number, model = "acme/img") {
  const dir = await mkdtemp(path.join(tmpdir(), "fal-retry-"));
  await writeFile(
    path.join(dir, "fal-jobs.yaml"),
    `version: 1\nbudget: 1\npricing:\n  ${model}: {unit: images, unit_price: 0.01}\njobs:\n  - {id: a, model: ${model}, input: {prompt: x}, retries: ${retries}}\n`,
  );
  const out = await runManifest({
    manifestPath: path.join(dir, "fal-jobs.yaml"),
    priceSource: "catalog",
    falKey: FAL_KEY,
    endpoints: { queueUrl: fal.url, restUrl: fal.url, apiUrl: `${fal.url}/v1` },
    outputDir: path.join(dir, "out"),
    billingTimeoutMs: 0,
    retryBaseMs: 5,
    signal: new AbortController().signal,
    log: () => {},
  });
  return out.records![0]!;
}

const PATHS = { status: /\/requests\/[^/]+\/status$/, result: /\/requests\/[^/]+$/ };
/** Status or result requests the fake received. */
const sent = (what: keyof typeof PATHS) => fal.requests.filter((r) => r.method === "GET" && PATHS[what].test(new URL(r.url, fal.url).pathname)).length;

describe("retries: N means at most N + 1 attempts of each fal call", () => {
  it.each([
    [2, 3],
    [0, 1],
  ])("retries: %i — a burst of status 503s makes exactly %i status requests, then the run fails", async (retries, attempts) => {
    fal.failStatus(100, 503);
    const rec = await runOnce(retries);
    expect(sent("status")).toBe(attempts);
    expect(rec.status).toBe("failed");
    expect(rec.error).toMatchObject({ stage: "status", status: 503, message: expect.stringMatching(/^HTTP 503: Service temporarily unavailable/) });
    // Status never came back, so the result was never asked for.
    expect(sent("result")).toBe(0);
  });

  it.each([
    [2, 3],
    [0, 1],
  ])("retries: %i — a burst of result 503s makes exactly %i result requests, then the run fails", async (retries, attempts) => {
    fal.failResults(100, 503);
    const rec = await runOnce(retries);
    expect(sent("result")).toBe(attempts);
    expect(rec.status).toBe("failed");
    expect(rec.error).toMatchObject({ stage: "result", status: 503 });
  });

  it("a burst within the retries is ridden out, per status request", async () => {
    fal.failStatus(2, 503);
    const rec = await runOnce(2);
    expect(rec.status).toBe("succeeded");
    expect(fal.requests.filter((r) => r.url.includes("/status") && r.status === 503)).toHaveLength(2);
    expect(sent("result")).toBe(1);
  });

  it("a 5xx result of a run fal reported failed is the model's error: fetched once, never retried", async () => {
    const rec = await runOnce(2, "acme/broken");
    expect(sent("result")).toBe(1);
    expect(rec.status).toBe("failed");
    expect(rec.error).toMatchObject({ stage: "result", status: 500, type: "runner_server_error", message: "HTTP 500: CUDA out of memory" });
  });

  it("a reset connection on a status poll is one request, though the client would retry it: only the caller's retries repeat it", async () => {
    let statusFetches = 0;
    const resetting: typeof fetch = async (input, init) => {
      if (!new URL(input instanceof Request ? input.url : String(input)).pathname.endsWith("/status")) return fetch(input, init);
      statusFetches++;
      throw Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }) });
    };
    const queue = createFalQueue({ key: FAL_KEY, endpoints: { queueUrl: fal.url, restUrl: fal.url, apiUrl: `${fal.url}/v1` }, fetch: resetting });
    const signal = AbortSignal.timeout(10_000);
    const id = await queue.submit("acme/img", { prompt: "x" }, signal);
    const err = await queue.waitForCompletion("acme/img", id, signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueError);
    expect(err).toMatchObject({ transient: true, message: expect.stringMatching(/ECONNRESET/) });
    expect(statusFetches).toBe(1);

    statusFetches = 0;
    await queue.waitForCompletion("acme/img", id, signal, undefined, (call) => retry(call, { retries: 2, baseMs: 1, isRetryable: isTransient })).catch(() => {});
    expect(statusFetches).toBe(3);
  });
});
