/**
 * The lock thread's worker (adapters/threads/lock-thread.ts): reads and
 * checks the lock, keeps its history, then hashes the plan's run keys and
 * compares them with the lock's entries when asked.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { MainMessage, WorkerMessage } from "./adapters/threads/lock-thread.js";
import { compareKeys } from "./lock/diff.js";
import { historyFromLock } from "./lock/history.js";
import { hashKeys } from "./lock/key.js";
import { readLockSummary } from "./lock/read.js";
import { emptyLock, type LockOf, type LockSummary } from "./lock/schema.js";

const port = parentPort!;
const send = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function work(file: string | null): Promise<void> {
  let lock: LockOf<LockSummary> = { ...emptyLock(), runs: {} };
  let existed = false;
  if (file !== null) ({ lock, existed } = await readLockSummary(file));
  send({ type: "read", existed, entries: Object.keys(lock.runs).length, history: historyFromLock(lock).parts() });
  port.on("message", (m: MainMessage) => {
    try {
      const keys = hashKeys(m.request);
      const comparison = compareKeys(m.request, m.cache, keys, lock.runs, false);
      send({ type: "compared", keys, comparison }, [comparison.locked.buffer as ArrayBuffer]);
    } catch {
      send({ type: "failed" });
    }
  });
}

work((workerData as { file: string | null }).file).catch(() => send({ type: "failed" }));
