import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { BillingHistory, type HistoryParts } from "../../estimate/history.js";
import type { KeyComparison } from "../../lock/diff.js";
import type { KeyChunk } from "../../lock/key.js";
import type { Partition } from "../../plan/partition.js";
import type { LockSummary } from "../../lock/schema.js";

/**
 * An estimate's lock work on a second thread: reading and checking a
 * 100,000-entry lock, and hashing 100,000 run keys, take about as long as
 * parsing and pricing the manifest, and the two do not depend on each other
 * until the plan is compared with the lock. The worker (src/lock-worker.ts,
 * bundled as dist/lock-worker.js) starts reading before the manifest is
 * parsed; the main thread sends it the plan's key encodings in chunks as it
 * makes them (the worker hashes each as it comes), or the keys themselves
 * when it hashed them (while the worker reads a large lock, the main thread
 * has time to spare), then asks for the comparison. Encodings and keys cross
 * as single strings: a structured clone of 100,000 strings costs the main
 * thread more than hashing them. Anything that goes wrong on the worker — a
 * lock that does not read, or the worker itself — answers null, and the
 * caller does the same work on the main thread, where an invalid lock fails
 * with its position.
 */

export type WorkerMessage =
  | { type: "read"; existed: boolean; entries: number; history: HistoryParts }
  | { type: "compared"; keys?: string; comparison: KeyComparison<LockSummary> }
  | { type: "partitioned"; shardOf: Uint16Array; digest: string }
  | { type: "failed" };

/** `compare`: with `keys` (hashed by the main thread), or without (the chunks sent before are the plan's). */
export type MainMessage =
  | { type: "chunk"; chunk: KeyChunk }
  | { type: "compare"; keys?: string; repeats: number[][]; cache: boolean[] }
  /** After `compare`: the partition (plan/partition.ts) of the runs the lock does not hold; `costs`: per variant, in plan order. */
  | { type: "partition"; costs: Float64Array; shards: number };

export interface LockThread {
  /** What the lock holds, once read: null when it could not be read here. */
  read: Promise<{ existed: boolean; entries: number; history: BillingHistory } | null>;
  /** Some of the plan's variants to hash there, in plan order (keyChunks). */
  hash(chunk: KeyChunk): void;
  /** The plan's run keys (`keys`, or those of the chunks sent) and their comparison with the lock; null when the worker failed. */
  compare(keys: string | undefined, repeats: number[][], cache: boolean[]): Promise<{ keys: string; comparison: KeyComparison<LockSummary> } | null>;
  /** After compare: the runs to submit split into `shards`, as partitionRuns splits them; null when the worker failed. */
  partition(costs: Float64Array, shards: number): Promise<Partition | null>;
  close(): void;
}

/** The worker's bundle beside this one; null when running from the sources (tests), which then work on one thread. */
function lockWorkerFile(): string | null {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), "lock-worker.js");
  return existsSync(file) ? file : null;
}

/** Starts reading `file` (null: no lock, keys only) on a worker; null when there is no worker bundle. */
export function startLockThread(file: string | null, options: { partition?: boolean; workerFile?: string | null } = {}): LockThread | null {
  const workerFile = options.workerFile === undefined ? lockWorkerFile() : options.workerFile;
  if (workerFile === null) return null;
  // Whether a partition will be asked for after the comparison (the worker then stays for it).
  const partitionNext = options.partition ?? false;
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
  let onPartitioned: ((m: Extract<WorkerMessage, { type: "partitioned" }> | null) => void) | undefined;
  let failed = false;
  const read = new Promise<Extract<WorkerMessage, { type: "read" }> | null>((resolve) => (onRead = resolve));
  const fail = () => {
    failed = true;
    onRead(null);
    onCompared?.(null);
    onPartitioned?.(null);
  };
  worker.on("message", (m: WorkerMessage) => {
    if (m.type === "read") onRead(m);
    else if (m.type === "compared") {
      onCompared?.(m);
      // Its work is done (unless a partition is to follow): its heap, the lock's entries, is given back before the
      // estimate's report is built.
      if (!partitionNext) stop();
    } else if (m.type === "partitioned") {
      onPartitioned?.(m);
      stop();
    } else fail();
  });
  worker.on("error", fail);
  worker.on("exit", fail);
  return {
    read: read.then((m) => m && { existed: m.existed, entries: m.entries, history: new BillingHistory(m.history) }),
    hash(chunk) {
      if (!failed) worker.postMessage({ type: "chunk", chunk } satisfies MainMessage);
    },
    compare(keys, repeats, cache) {
      if (failed) return Promise.resolve(null);
      const compared = new Promise<Extract<WorkerMessage, { type: "compared" }> | null>((resolve) => (onCompared = resolve));
      worker.postMessage({ type: "compare", keys, repeats, cache } satisfies MainMessage);
      return compared.then((m) => m && { keys: keys ?? m.keys!, comparison: m.comparison });
    },
    partition(costs, shards) {
      if (failed || !partitionNext) return Promise.resolve(null);
      const partitioned = new Promise<Extract<WorkerMessage, { type: "partitioned" }> | null>((resolve) => (onPartitioned = resolve));
      worker.postMessage({ type: "partition", costs, shards } satisfies MainMessage, [costs.buffer as ArrayBuffer]);
      return partitioned.then((m) => m && { shardOf: m.shardOf, digest: m.digest });
    },
    close: stop,
  };
}
