import type { LockDiff } from "./diff.js";
import { emptyLock, type Lock, type LockEntry, type LockStore } from "./schema.js";

/**
 * The lock after a run: what was locked stays (under the run's current job
 * and label, so a rename shows in the lock's diff), runs done now are added,
 * removed entries are dropped, and `stores` keeps only the stores entries
 * still point to.
 */

export interface DoneRun {
  key: string;
  entry: Omit<LockEntry, "stored_in">;
}

export interface StoreRef {
  id: string;
  store: LockStore;
}

export function nextLock(previous: Lock, diff: LockDiff<LockEntry>, planJobIds: string[], done: DoneRun[], store: StoreRef | null): Lock {
  const next = emptyLock();
  for (const { key, runId, jobIndex, entry } of diff.locked) next.runs[key] = { ...entry, job: planJobIds[jobIndex]!, run: runId };
  for (const { key, entry } of done) next.runs[key] = { ...entry, stored_in: store?.id ?? null };
  for (const entry of Object.values(next.runs)) {
    if (entry.stored_in === null || Object.hasOwn(next.stores, entry.stored_in)) continue;
    const kept = store && entry.stored_in === store.id ? store.store : previous.stores[entry.stored_in];
    if (kept) next.stores[entry.stored_in] = kept;
    else entry.stored_in = null;
  }
  return next;
}
