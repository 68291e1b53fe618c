import { setTimeout as timeout } from "node:timers/promises";

/**
 * The one retry and backoff policy. Each network call has exactly one owner of
 * its retries, and that owner goes through `retry()`; loops that wait for
 * something to appear (status until COMPLETED, billing records) are not
 * retries but use the same `backoffDelay`/`delay`. Every wait is abortable.
 */

export interface Backoff {
  /** The first delay (ms); tests shorten it. */
  baseMs: number;
  /** Cap on any one delay (default 30 s). */
  maxMs?: number;
  /** Growth per step (default 2). */
  factor?: number;
  /** ±25% around each delay, so that runs failing together do not come back together. */
  jitter?: boolean;
}

export interface RetryOptions extends Backoff {
  /** Retries after the first attempt: 2 means at most 3 attempts. */
  retries: number;
  /** Stops the waits (rejecting with the signal's reason) and any further attempt. */
  signal?: AbortSignal;
  /** Whether a failure is worth another attempt (default: every failure). */
  isRetryable?: (err: unknown) => boolean;
  /** Called before each wait, e.g. to log it. */
  onRetry?: (info: { attempt: number; error: unknown; delayMs: number }) => void;
  /** Test seam for the wait. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The delay before step `n` (0-based): baseMs·factorⁿ, capped, with optional jitter. */
export function backoffDelay(n: number, b: Backoff, random: () => number = Math.random): number {
  const plain = Math.min(b.baseMs * (b.factor ?? 2) ** n, b.maxMs ?? 30_000);
  return b.jitter ? Math.max(0, plain * (1 + 0.25 * (random() * 2 - 1))) : plain;
}

/** Waits `ms`; an abort rejects at once with the signal's reason (not a generic AbortError), as a direct abort would. */
export async function delay(ms: number, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  try {
    await timeout(ms, undefined, { signal });
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw err;
  }
}

/** Runs `fn` (given the attempt number, 0-based) until it succeeds, a failure is not retryable, the retries run out, or the signal aborts. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const sleep = opts.sleep ?? delay;
  for (let attempt = 0; ; attempt++) {
    opts.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (err) {
      // An abort mid-call ends here too: the caller tells cancellation from failure by its signal.
      if (opts.signal?.aborted || attempt >= opts.retries || !(opts.isRetryable?.(err) ?? true)) throw err;
      const ms = backoffDelay(attempt, opts);
      opts.onRetry?.({ attempt: attempt + 1, error: err, delayMs: ms });
      await sleep(ms, opts.signal);
    }
  }
}
