/**
 * The lock thread's worker (adapters/threads/lock-thread.ts): reads and
 * checks the lock, keeps its history, hashes the plan's run keys from the
 * chunks of encodings it is sent (unless the main thread hashed them), and
 * compares them with the lock's entries when asked.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { MainMessage, WorkerMessage } from "./adapters/threads/lock-thread.js";
import { compareKeys, indexLookup } from "./lock/diff.js";
import { historyFromEntries } from "./lock/history.js";
import { KeyIndex } from "./lock/key-index.js";
import { KeyHasher, keyAt } from "./lock/key.js";
import { partitionRuns } from "./plan/partition.js";
import { readLockEntries } from "./lock/read.js";
import type { LockSummary } from "./lock/schema.js";

const port = parentPort!;
const send = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

// Chunks are hashed as they come, while the lock is still being read or the main thread encodes the next one.
const hasher = new KeyHasher();
let hashed = true;
const read = readFirst((workerData as { file: string | null }).file);
read.catch(() => send({ type: "failed" }));

// What the comparison saw, for a partition asked for after it.
let compared: Promise<{ keys: string; repeats: number[][]; locked: Uint8Array }> | undefined;

port.on("message", (m: MainMessage) => {
  if (m.type === "partition") {
    (compared ?? Promise.reject(new Error("no comparison")))
      .then(({ keys, repeats, locked }) => {
        const { shardOf, digest } = partitionToRun(keys, repeats, locked, m.costs, m.shards);
        send({ type: "partitioned", shardOf, digest }, [shardOf.buffer as ArrayBuffer]);
      })
      .catch(() => send({ type: "failed" }));
    return;
  }
  if (m.type === "chunk") {
    try {
      if (hashed) hasher.addChunk(m.chunk);
    } catch {
      hashed = false;
      send({ type: "failed" });
    }
    return;
  }
  // A failed read has said so already.
  compared = read.then((entries) => {
    if (m.keys === undefined && !hashed) throw new Error("the keys were not all hashed");
    const keys = m.keys ?? hasher.keys();
    const comparison = compareKeys(m.repeats, m.cache, indexLookup(entries, Buffer.from(keys, "hex")), false);
    const locked = comparison.locked.slice();
    // Keys made here go back; keys the main thread sent it has.
    send({ type: "compared", keys: m.keys === undefined ? keys : undefined, comparison }, [comparison.locked.buffer as ArrayBuffer]);
    return { keys, repeats: m.repeats, locked };
  });
  compared.catch(() => send({ type: "failed" }));
});

/** The partition of the runs the lock does not hold (the plan's runs to submit, in plan order), as shardPart makes it. */
function partitionToRun(keys: string, repeats: number[][], locked: Uint8Array, variantCosts: Float64Array, shards: number) {
  const at = new Int32Array(locked.length);
  const costs = new Float64Array(locked.length);
  let n = 0;
  let run = 0;
  let variant = 0;
  for (const job of repeats) {
    for (const runs of job) {
      for (let r = 0; r < runs; r++, run++) {
        if (locked[run] === 1) continue;
        at[n] = run;
        costs[n++] = variantCosts[variant]!;
      }
      variant++;
    }
  }
  return partitionRuns((k) => keyAt(keys, at[k]!), costs.subarray(0, n), shards);
}

async function readFirst(file: string | null): Promise<KeyIndex<LockSummary>> {
  const found = file === null ? null : await readLockEntries(file);
  const entries = found ?? new KeyIndex<LockSummary>();
  send({ type: "read", existed: found !== null, entries: entries.size, history: historyFromEntries(entries.entries()).parts() });
  return entries;
}
