import { restrictPlan, runId, type Plan } from "../plan/expand.js";
import { keyAt, keyRepeats, keysFromList, planKeys, runKeys, runOffsets, type RunKeys } from "./key.js";
import type { KeyIndex } from "./key-index.js";
import type { LockEntry, LockOf, LockSummary } from "./schema.js";

/**
 * Manifest × lock → what to run. Every planned run is new (its key is not in
 * the lock, or its job has `cache: false`) or locked (generated and paid for
 * before); lock entries no planned run has are removed. Locked runs are
 * never submitted again.
 *
 * In two steps, so that the first may run beside the lock's reader on
 * another thread (adapters/lock-thread.ts): compareKeys looks each run's key
 * up in the lock's entries and gives plain data; lockDiffFrom turns that into
 * the plan of runs to submit.
 */

export interface LockedRun<E extends LockSummary = LockEntry> {
  key: string;
  /** The run's id in this manifest (it may have been renamed since it was generated). */
  runId: string;
  jobIndex: number;
  entry: E;
}

interface JobLockState {
  newRuns: number;
  lockedRuns: number;
  /** What fal billed for this job's locked runs, over those whose billed cost the lock knows. */
  lockedBilledNano: number;
  lockedUnbilledRuns: number;
}

export interface LockDiff<E extends LockSummary = LockSummary> {
  keys: RunKeys;
  /** The plan with only the new runs; jobs and variants keep their positions. */
  toRun: Plan;
  jobs: JobLockState[];
  /** Entries in the lock. */
  entries: number;
  lockedRuns: number;
  /** Each locked run, when asked for (a real run reports them and carries them into the next lock); else empty. */
  locked: Array<LockedRun<E>>;
  removed: Array<{ key: string; entry: E }>;
}

/** The comparison of a plan's run keys with a lock's entries, as plain data (structured-cloneable). */
export interface KeyComparison<E extends LockSummary> {
  /** Per run in plan order (job, variant, repeat): 1 when the lock holds it. */
  locked: Uint8Array;
  jobs: JobLockState[];
  entries: number;
  removed: Array<{ key: string; entry: E }>;
  /** The lock's entry of each locked run, in plan order, when asked for; else empty. */
  lockedEntries: E[];
}

export function diffLock<E extends LockSummary>(plan: Plan, lock: LockOf<E>, options: { listLocked: boolean }): LockDiff<E> {
  const entries = Object.keys(lock.runs).length;
  if (entries === 0) {
    const jobs = plan.jobs.map((job) => ({ newRuns: job.runCount, lockedRuns: 0, lockedBilledNano: 0, lockedUnbilledRuns: 0 }));
    return { keys: runKeys(plan), toRun: plan, jobs, entries: 0, lockedRuns: 0, locked: [], removed: [] };
  }
  const keys = planKeys(plan);
  const cache = plan.jobs.map((j) => j.settings.cache);
  return lockDiffFrom(plan, keys, compareKeys(keyRepeats(plan), cache, objectLookup(lock.runs, keys), options.listLocked));
}

/** A lock's `runs`, looked up by the keys in `keys` (planKeys', packed). */
export function objectLookup<E>(runs: Record<string, E>, keys: string): EntryLookup<E> {
  const found: string[] = [];
  return {
    size: Object.keys(runs).length,
    at(i) {
      // A run key is 64 hex digits, never an Object.prototype member: `runs[key]` needs no own-property check.
      const key = keyAt(keys, i);
      const entry = runs[key];
      if (entry !== undefined) found.push(key);
      return entry;
    },
    unfound() {
      const kept = new Set(found);
      return Object.keys(runs).flatMap((key) => (kept.has(key) ? [] : [{ key, entry: runs[key]! }]));
    },
  };
}

/** A lock's entries, looked up by the position of a plan's run key (in planKeys'). */
export interface EntryLookup<E> {
  at(i: number): E | undefined;
  /** The entries no `at` found. */
  unfound(): Array<{ key: string; entry: E }>;
  readonly size: number;
}

/** The entries of a KeyIndex, looked up by the keys in `keys` (planKeys', as bytes). */
export function indexLookup<E>(index: KeyIndex<E>, keys: Buffer): EntryLookup<E> {
  const found = new Uint8Array(index.size);
  return {
    size: index.size,
    at(i) {
      const e = index.find(keys, i);
      if (e < 0) return undefined;
      found[e] = 1;
      return index.value(e);
    },
    unfound() {
      const out: Array<{ key: string; entry: E }> = [];
      for (let e = 0; e < found.length; e++) if (found[e] === 0) out.push({ key: index.key(e), entry: index.value(e) });
      return out;
    },
  };
}

/**
 * `repeats`: per job, each variant's repeats (keyRepeats); `runs`: the lock's entries by the position of each run's key;
 * `cache`: per job, whether the lock may stand in for its runs.
 */
export function compareKeys<E extends LockSummary>(repeats: readonly (readonly number[])[], cache: readonly boolean[], runs: EntryLookup<E>, listLocked: boolean): KeyComparison<E> {
  const { total } = runOffsets(repeats);
  const locked = new Uint8Array(total);
  const lockedEntries: E[] = [];
  let found = 0;
  const jobs: JobLockState[] = [];
  let i = 0;
  for (let j = 0; j < repeats.length; j++) {
    const state: JobLockState = { newRuns: 0, lockedRuns: 0, lockedBilledNano: 0, lockedUnbilledRuns: 0 };
    jobs.push(state);
    for (const runsOf of repeats[j]!) {
      for (let r = 0; r < runsOf; r++, i++) {
        const entry = cache[j] ? runs.at(i) : undefined;
        if (entry === undefined) {
          state.newRuns++;
          continue;
        }
        locked[i] = 1;
        found++;
        state.lockedRuns++;
        if (entry.billed_nano === null) state.lockedUnbilledRuns++;
        else state.lockedBilledNano += entry.billed_nano;
        if (listLocked) lockedEntries.push(entry);
      }
    }
  }
  // A plan's keys are distinct, so every entry was found when as many were found as there are.
  const removed = found < runs.size ? runs.unfound() : [];
  return { locked, jobs, entries: runs.size, removed, lockedEntries };
}

/** The diff from compareKeys' result for `plan` (the full plan the keys were made from). */
export function lockDiffFrom<E extends LockSummary>(plan: Plan, keys: string, c: KeyComparison<E>): LockDiff<E> {
  const { offsets } = runOffsets(plan.jobs.map((job) => job.variants.map((v) => v.runs)));
  const runKeys = keysFromList(plan, keys);
  const locked: Array<LockedRun<E>> = [];
  const toRun = restrictPlan(plan, (job, variantIndex, repeat) => {
    const i = offsets[job.index]![variantIndex]! + repeat - 1;
    if (c.locked[i] !== 1) return true;
    if (c.lockedEntries.length) locked.push({ key: keyAt(keys, i), runId: runId(job.id, job.variants[variantIndex]!, repeat), jobIndex: job.index, entry: c.lockedEntries[locked.length]! });
    return false;
  });
  const lockedRuns = c.jobs.reduce((n, j) => n + j.lockedRuns, 0);
  return { keys: runKeys, toRun, jobs: c.jobs, entries: c.entries, lockedRuns, locked, removed: c.removed };
}
