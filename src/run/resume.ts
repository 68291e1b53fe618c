import type { Lock } from "../lock/schema.js";
import type { JournalEvent } from "./journal.js";
import { QueueError, type CallRetry, type FalQueue, type QueueStatus } from "./fal-queue.js";

/**
 * Re-runs resume. When a workflow run is re-run, earlier attempts of it may
 * have submitted (and paid for) requests whose results nobody collected: the
 * attempt was cancelled while fal ran them, or its step was killed. What
 * they recorded (their journals and locks, from their state artifacts) says
 * which:
 *
 * - runs they finished and locked are locked here too (their locks are
 *   merged into this attempt's), so they are not submitted again;
 * - a request with no end in its journal, one left running at cancellation
 *   (`uncollected`), and one that succeeded but did not make it into the lock
 *   (`cache: false`, `lock: off`, outputs not downloaded) is taken over: this
 *   attempt fetches its status and result by request id instead of
 *   submitting the run again;
 * - a run that failed, timed out, or was cancelled while still queued (fal
 *   removed it, nothing billed) is a new run.
 *
 * A request taken over that fal no longer has (fal keeps a result for an
 * hour, 6 minutes when it is 10 KB or larger) or that failed is submitted
 * again, and the report says so.
 */

export interface EarlierRequest {
  attempt: string;
  requestId: string;
}

/** What one earlier attempt left: its journal and, when the lock was on and it did anything, its lock. */
export interface EarlierState {
  attempt: string;
  events: JournalEvent[];
  lock: Lock | null;
}

export interface ResumePlan {
  /** The attempts whose state was read, oldest first. */
  attempts: string[];
  /** By run key: the request to take over instead of submitting. */
  requests: Map<string, EarlierRequest>;
  /** Their locks, to merge into this attempt's (null when none had one). */
  locks: Lock[];
}

export function planResume(states: EarlierState[]): ResumePlan {
  const ordered = [...states].sort((a, b) => Number(a.attempt) - Number(b.attempt));
  // The last request each key got, across attempts in order, and how it ended (if it did).
  const last = new Map<string, { attempt: string; requestId: string; end?: Extract<JournalEvent, { event: "finished" }> }>();
  for (const { attempt, events } of ordered) {
    for (const e of events) {
      if (e.event === "submitted") {
        // A request taken over keeps the attempt that paid for it.
        last.set(e.key, { attempt: e.from_attempt ?? attempt, requestId: e.request_id });
      } else {
        const open = last.get(e.key);
        if (open && open.requestId === e.request_id) open.end = e;
      }
    }
  }
  const requests = new Map<string, EarlierRequest>();
  for (const [key, { attempt, requestId, end }] of last) {
    if (!end || end.uncollected || end.status === "succeeded") requests.set(key, { attempt, requestId });
  }
  return { attempts: ordered.map((s) => s.attempt), requests, locks: ordered.flatMap((s) => (s.lock ? [s.lock] : [])) };
}

export type EarlierOutcome = { kind: "collected"; status: QueueStatus; data: unknown } | { kind: "gone" | "failed"; detail: string };

/**
 * The result of a request an earlier attempt submitted: waits for it if fal
 * is still running it, then fetches it. A definite answer that fal does not
 * have it, or that it failed, is an outcome (the caller submits the run
 * again); a transient failure that outlasts the retries, or cancellation, is
 * thrown like any other run's.
 */
export async function fetchEarlier(
  queue: FalQueue,
  model: string,
  requestId: string,
  signal: AbortSignal,
  onUpdate: (s: QueueStatus) => void,
  retryCall: CallRetry,
  retryResult: CallRetry,
): Promise<EarlierOutcome> {
  let status: QueueStatus;
  try {
    status = await queue.waitForCompletion(model, requestId, signal, onUpdate, retryCall);
  } catch (err) {
    if (definite(err)) return { kind: "gone", detail: `fal no longer has request ${requestId} (${(err as Error).message})` };
    throw err;
  }
  if (status.error) return { kind: "failed", detail: `request ${requestId} failed at fal: ${status.error}` };
  try {
    const result = await retryResult(() => queue.result(model, requestId, signal));
    return { kind: "collected", status, data: result.data };
  } catch (err) {
    if (definite(err)) return { kind: "gone", detail: `fal no longer keeps the result of request ${requestId} (${(err as Error).message})` };
    throw err;
  }
}

/** fal's definite answer (a 4xx that is not 408/429): asking again will not bring the request back. */
function definite(err: unknown): boolean {
  return err instanceof QueueError && !err.transient;
}
