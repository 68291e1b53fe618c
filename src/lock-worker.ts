/**
 * The lock thread's worker (adapters/threads/lock-thread.ts): reads and
 * checks the lock, keeps its history, then compares the plan's run keys
 * (hashing them unless the main thread did) with the lock's entries when
 * asked.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { MainMessage, WorkerMessage } from "./adapters/threads/lock-thread.js";
import { compareKeys, indexLookup } from "./lock/diff.js";
import { historyFromEntries } from "./lock/history.js";
import { KeyIndex } from "./lock/key-index.js";
import { hashKeys } from "./lock/key.js";
import { readLockEntries } from "./lock/read.js";
import type { LockSummary } from "./lock/schema.js";

const port = parentPort!;
const send = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function work(file: string | null): Promise<void> {
  const read = file === null ? null : await readLockEntries(file);
  const entries = read ?? new KeyIndex<LockSummary>();
  send({ type: "read", existed: read !== null, entries: entries.size, history: historyFromEntries(entries.entries()).parts() });
  port.on("message", (m: MainMessage) => {
    try {
      const keys = m.type === "compare" ? m.keys : hashKeys(m.request);
      const repeats = m.type === "compare" ? m.repeats : m.request.repeats;
      const comparison = compareKeys(repeats, m.cache, indexLookup(entries, Buffer.from(keys, "hex")), false);
      // Keys made here go back; keys the main thread sent it has.
      send({ type: "compared", keys: m.type === "hash" ? keys : undefined, comparison }, [comparison.locked.buffer as ArrayBuffer]);
    } catch {
      send({ type: "failed" });
    }
  });
}

work((workerData as { file: string | null }).file).catch(() => send({ type: "failed" }));
