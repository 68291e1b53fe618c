import type { Lock, LockOf, LockSummary } from "./schema.js";

/**
 * Three-way merge of locks, for saving a lock that changed on the branch
 * while this run worked: `base` is the lock this run read, `ours` the lock
 * it made, `theirs` the branch's lock now. What this run added or changed
 * wins (the same key is the same generation); what it removed is removed;
 * everything else another run recorded is kept, so no paid-for run is lost.
 */
export function mergeLocks(base: Lock, ours: Lock, theirs: Lock): Lock {
  const runs = { ...theirs.runs };
  for (const [key, entry] of Object.entries(ours.runs)) {
    const before = Object.hasOwn(base.runs, key) ? base.runs[key] : undefined;
    if (!before || JSON.stringify(before) !== JSON.stringify(entry)) runs[key] = entry;
  }
  for (const key of Object.keys(base.runs)) if (!Object.hasOwn(ours.runs, key)) delete runs[key];
  const stores: Lock["stores"] = {};
  for (const entry of Object.values(runs)) {
    if (entry.stored_in === null || Object.hasOwn(stores, entry.stored_in)) continue;
    const store = ours.stores[entry.stored_in] ?? theirs.stores[entry.stored_in];
    if (store) stores[entry.stored_in] = store;
  }
  return { ...ours, runs, stores };
}

/** Every entry of every lock (the first lock's entry wins for a key): runs recorded anywhere are not paid for again. */
export function unionLocks<E extends LockSummary>(first: LockOf<E>, ...others: Array<LockOf<E>>): LockOf<E> {
  const runs = { ...first.runs };
  const stores = { ...first.stores };
  for (const other of others) {
    for (const [key, entry] of Object.entries(other.runs)) if (!Object.hasOwn(runs, key)) runs[key] = entry;
    for (const [id, store] of Object.entries(other.stores)) if (!Object.hasOwn(stores, id)) stores[id] = store;
  }
  return { ...first, runs, stores };
}
