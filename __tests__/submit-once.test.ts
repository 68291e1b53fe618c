import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFalQueue } from "../src/adapters/fal/client.js";
import { SubmitFailed, type FalQueue } from "../src/run/fal-queue.js";
import { FAL_KEY, FakeFal } from "./fakes/fal.js";

/**
 * The real @fal-ai/client retries a submit on 429/5xx and network errors; a
 * submit whose answer was lost may already be a billed request. Through our
 * fetch seam every submit is sent at most once, and what is known of its fate
 * is reported. The fake creates (and would bill) a request for every POST it
 * accepts, whatever happens to the answer.
 */

let fal: FakeFal;
let queue: FalQueue;
beforeEach(async () => {
  fal = await FakeFal.start();
  queue = createFalQueue({ key: FAL_KEY, endpoints: { queueUrl: fal.url, restUrl: fal.url, apiUrl: `${fal.url}/v1` } });
});
afterEach(async () => {
  await fal.close();
});

const posts = () => fal.requests.filter((r) => r.method === "POST").length;

async function submitError(signal = AbortSignal.timeout(20_000)): Promise<SubmitFailed> {
  const err = await queue.submit("fal-ai/flux/dev", { prompt: "x" }, signal).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SubmitFailed);
  return err as SubmitFailed;
}

describe("submit at most once", () => {
  it.each(["accept-then-504", "accept-then-reset"] as const)("%s: one POST, one request created, outcome unknown, and fast (no client backoff)", async (fault) => {
    fal.failSubmits(fault, "429");
    const t0 = Date.now();
    const err = await submitError();
    expect(err.outcome).toBe("unknown");
    expect(err.message).toMatch(/fal may have accepted the request/);
    expect(posts()).toBe(1);
    expect(fal.submitCount()).toBe(1);
    // The client's own retry waits at least ~0.75 s before a second attempt; none happened.
    expect(Date.now() - t0).toBeLessThan(700);
  });

  it("a submit cut off by its timeout in flight is unknown, not unsent", async () => {
    fal.failSubmits("accept-then-hang");
    const err = await submitError(AbortSignal.timeout(300));
    expect(err.outcome).toBe("unknown");
    expect(fal.submitCount()).toBe(1);
    expect(posts()).toBe(1);
  });

  it("a 503 on submit is unknown (a gateway may have passed it on) and is not sent again", async () => {
    fal.failSubmits("503");
    const err = await submitError();
    expect(err).toMatchObject({ outcome: "unknown", status: 503 });
    expect(posts()).toBe(1);
  });

  it("a 429 is a refusal: rejected, nothing created, and left for our own (abortable) retry", async () => {
    fal.failSubmits("429");
    const err = await submitError();
    expect(err).toMatchObject({ outcome: "rejected", status: 429 });
    expect(fal.submitCount()).toBe(0);
    expect(posts()).toBe(1);
  });

  it("a 422 is a rejection with fal's detail", async () => {
    const err = await queue.submit("fal-ai/flux/dev", "not an object" as unknown as Record<string, unknown>, AbortSignal.timeout(5000)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SubmitFailed);
    expect((err as SubmitFailed).outcome).toBe("rejected");
    expect((err as SubmitFailed).status).toBe(422);
  });

  it("a cancelled run sends nothing", async () => {
    const ctl = new AbortController();
    ctl.abort(new Error("stop"));
    const err = await submitError(ctl.signal);
    expect(err.outcome).toBe("not-sent");
    expect(posts()).toBe(0);
  });

  it("a normal submit returns the request id, and the marker header never reaches fal", async () => {
    const id = await queue.submit("fal-ai/flux/dev", { prompt: "x" }, AbortSignal.timeout(5000));
    expect(fal.runs.has(id)).toBe(true);
    expect(fal.headersSeen.some((h) => Object.keys(h).some((k) => k.startsWith("x-fal-jobs")))).toBe(false);
    expect(fal.headersSeen.length).toBeGreaterThan(0);
  });
});
