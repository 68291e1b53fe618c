import { describe, expect, it } from "vitest";
import { backoffDelay, delay, retry } from "../src/util/retry.js";

class Transient extends Error {}

/** A call that fails `failures` times with `make()`, then answers "ok"; counts its attempts. */
function flaky(failures: number, make: () => Error = () => new Transient("blip")) {
  const calls: number[] = [];
  const fn = async (attempt: number) => {
    calls.push(attempt);
    if (calls.length <= failures) throw make();
    return "ok";
  };
  return { fn, calls };
}

describe("retry", () => {
  it("makes at most retries + 1 attempts, waiting baseMs·2ⁿ between them", async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const failing = flaky(99);
    await expect(retry(failing.fn, { retries: 2, baseMs: 100, sleep })).rejects.toBeInstanceOf(Transient);
    expect(failing.calls).toEqual([0, 1, 2]);
    expect(waits).toEqual([100, 200]);

    const once = flaky(99);
    await expect(retry(once.fn, { retries: 0, baseMs: 100, sleep })).rejects.toBeInstanceOf(Transient);
    expect(once.calls).toEqual([0]);

    const recovers = flaky(2);
    await expect(retry(recovers.fn, { retries: 2, baseMs: 1 })).resolves.toBe("ok");
    expect(recovers.calls).toEqual([0, 1, 2]);
  });

  it("stops at once on a failure that is not retryable", async () => {
    const model = flaky(99, () => new Error("422 invalid input"));
    const retried: number[] = [];
    const err = await retry(model.fn, { retries: 5, baseMs: 1, isRetryable: (e) => e instanceof Transient, onRetry: (r) => retried.push(r.attempt) }).catch((e: unknown) => e);
    expect((err as Error).message).toBe("422 invalid input");
    expect(model.calls).toEqual([0]);
    expect(retried).toEqual([]);
  });

  it("an abort during a wait ends it at once with the signal's reason, and nothing is attempted after", async () => {
    const ctl = new AbortController();
    const failing = flaky(99);
    const t0 = Date.now();
    const p = retry(failing.fn, { retries: 3, baseMs: 20_000, signal: ctl.signal, onRetry: () => setTimeout(() => ctl.abort(new Error("deadline")), 20) });
    await expect(p).rejects.toThrow("deadline");
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(failing.calls).toEqual([0]);
  });

  it("an abort during an attempt is not retried", async () => {
    const ctl = new AbortController();
    let calls = 0;
    const fn = async () => {
      calls++;
      ctl.abort(new Error("cancelled"));
      throw new Transient("reset");
    };
    await expect(retry(fn, { retries: 3, baseMs: 1, signal: ctl.signal })).rejects.toBeInstanceOf(Transient);
    expect(calls).toBe(1);
  });

  it("caps each delay, and jitter stays within ±25%", () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n, { baseMs: 500, maxMs: 2_000 }))).toEqual([500, 1000, 2000, 2000, 2000]);
    expect(backoffDelay(2, { baseMs: 50, factor: 1.5 })).toBe(112.5);
    expect(backoffDelay(1, { baseMs: 100, jitter: true }, () => 0)).toBe(150);
    expect(backoffDelay(1, { baseMs: 100, jitter: true }, () => 1)).toBe(250);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(3, { baseMs: 100, jitter: true });
      expect(d).toBeGreaterThanOrEqual(600);
      expect(d).toBeLessThanOrEqual(1000);
    }
  });
});

describe("delay", () => {
  it("rejects with the abort reason, at once and when already aborted", async () => {
    const reason = new Error("run timed out");
    await expect(delay(10, AbortSignal.abort(reason))).rejects.toBe(reason);
    const ctl = new AbortController();
    const t0 = Date.now();
    const p = delay(60_000, ctl.signal);
    setTimeout(() => ctl.abort(reason), 10);
    await expect(p).rejects.toBe(reason);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
