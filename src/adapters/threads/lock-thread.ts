import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { BillingHistory, type HistoryParts } from "../../estimate/history.js";
import type { KeyComparison } from "../../lock/diff.js";
import type { KeyRequest } from "../../lock/key.js";
import type { LockSummary } from "../../lock/schema.js";

/**
 * An estimate's lock work on a second thread: reading and checking a
 * 100,000-entry lock, and hashing 100,000 run keys, take about as long as
 * parsing and pricing the manifest, and the two do not depend on each other
 * until the plan is compared with the lock. The worker (src/lock-worker.ts,
 * bundled as dist/lock-worker.js) starts reading before the manifest is
 * parsed; the main thread sends it the plan's key request when the plan is
 * built, and the keys too when it hashed them itself (while the worker
 * reads a large lock, the main thread has time to spare). Requests and keys
 * cross as single strings: a structured clone of 100,000 strings costs the
 * main thread more than hashing them. Anything that goes
 * wrong on the worker — a lock that does not read, or the worker itself —
 * answers null, and the caller does the same work on the main thread, where
 * an invalid lock fails with its position.
 */

export type WorkerMessage =
  | { type: "read"; existed: boolean; entries: number; history: HistoryParts }
  | { type: "compared"; keys?: string; comparison: KeyComparison<LockSummary> }
  | { type: "failed" };

/** The plan's keys to compare (`compare`: hashed by the main thread, with keyRepeats), or the request to hash them from. */
export type MainMessage = { type: "compare"; keys: string; repeats: number[][]; cache: boolean[] } | { type: "hash"; request: KeyRequest; cache: boolean[] };

export interface LockThread {
  /** What the lock holds, once read: null when it could not be read here. */
  read: Promise<{ existed: boolean; entries: number; history: BillingHistory } | null>;
  /** The plan's run keys (`keys`, or hashed there from `request`) and their comparison with the lock; null when the worker failed. */
  compare(keys: { keys: string; repeats: number[][] } | { request: KeyRequest }, cache: boolean[]): Promise<{ keys: string; comparison: KeyComparison<LockSummary> } | null>;
  close(): void;
}

/** The worker's bundle beside this one; null when running from the sources (tests), which then work on one thread. */
function lockWorkerFile(): string | null {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), "lock-worker.js");
  return existsSync(file) ? file : null;
}

/** Starts reading `file` (null: no lock, keys only) on a worker; null when there is no worker bundle. */
export function startLockThread(file: string | null, workerFile: string | null = lockWorkerFile()): LockThread | null {
  if (workerFile === null) return null;
  // A small young generation: the worker's peak adds to the estimate's, and most of what it allocates dies young.
  const worker = new Worker(workerFile, { workerData: { file }, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  // Never what keeps the process alive.
  worker.unref();
  const stop = () => {
    worker.removeAllListeners();
    // An 'error' without a listener would throw: once stopped, nothing it says matters.
    worker.on("error", () => undefined);
    void worker.terminate();
  };
  let onRead!: (m: Extract<WorkerMessage, { type: "read" }> | null) => void;
  let onCompared: ((m: Extract<WorkerMessage, { type: "compared" }> | null) => void) | undefined;
  let failed = false;
  const read = new Promise<Extract<WorkerMessage, { type: "read" }> | null>((resolve) => (onRead = resolve));
  const fail = () => {
    failed = true;
    onRead(null);
    onCompared?.(null);
  };
  worker.on("message", (m: WorkerMessage) => {
    if (m.type === "read") onRead(m);
    else if (m.type === "compared") {
      onCompared?.(m);
      // Its work is done: its heap (the lock's entries) is given back before the estimate's report is built.
      stop();
    }
    else fail();
  });
  worker.on("error", fail);
  worker.on("exit", fail);
  return {
    read: read.then((m) => m && { existed: m.existed, entries: m.entries, history: new BillingHistory(m.history) }),
    compare(what, cache) {
      if (failed) return Promise.resolve(null);
      const compared = new Promise<Extract<WorkerMessage, { type: "compared" }> | null>((resolve) => (onCompared = resolve));
      worker.postMessage(("keys" in what ? { type: "compare", ...what, cache } : { type: "hash", ...what, cache }) satisfies MainMessage);
      return compared.then((m) => m && { keys: "keys" in what ? what.keys : m.keys!, comparison: m.comparison });
    },
    close: stop,
  };
}
