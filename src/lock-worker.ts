/**
 * The lock thread's worker (adapters/threads/lock-thread.ts): reads and
 * checks the lock, keeps its history, then hashes the plan's run keys and
 * compares them with the lock's entries when asked.
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
      const keys = hashKeys(m.request);
      const comparison = compareKeys(m.request, m.cache, indexLookup(entries, Buffer.from(keys, "hex")), false);
      send({ type: "compared", keys, comparison }, [comparison.locked.buffer as ArrayBuffer]);
    } catch {
      send({ type: "failed" });
    }
  });
}

work((workerData as { file: string | null }).file).catch(() => send({ type: "failed" }));
