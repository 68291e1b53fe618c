import { restrictPlan, runId, type Plan } from "../plan/expand.js";
import { runKeys, type RunKeys } from "./key.js";
import type { LockEntry, LockOf, LockSummary } from "./schema.js";

/**
 * Manifest × lock → what to run. Every planned run is new (its key is not in
 * the lock, or its job has `cache: false`) or locked (generated and paid for
 * before); lock entries no planned run has are removed. Locked runs are
 * never submitted again.
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

export function diffLock<E extends LockSummary>(plan: Plan, lock: LockOf<E>, options: { listLocked: boolean }): LockDiff<E> {
  const keys = runKeys(plan);
  const jobs: JobLockState[] = plan.jobs.map(() => ({ newRuns: 0, lockedRuns: 0, lockedBilledNano: 0, lockedUnbilledRuns: 0 }));
  const locked: Array<LockedRun<E>> = [];
  let lockedRuns = 0;
  // The keys of the entries planned runs found: what is left of the lock was removed.
  const found = new Set<string>();
  const lockKeys = Object.keys(lock.runs);
  const hasEntries = lockKeys.length > 0;
  const toRun = restrictPlan(plan, (job, variantIndex, repeat) => {
    const state = jobs[job.index]!;
    if (!job.settings.cache || !hasEntries) {
      state.newRuns++;
      return true;
    }
    const key = keys.at(job, variantIndex, repeat);
    const entry = Object.hasOwn(lock.runs, key) ? lock.runs[key] : undefined;
    if (!entry) {
      state.newRuns++;
      return true;
    }
    found.add(key);
    state.lockedRuns++;
    lockedRuns++;
    if (entry.billed_nano === null) state.lockedUnbilledRuns++;
    else state.lockedBilledNano += entry.billed_nano;
    if (options.listLocked) locked.push({ key, runId: runId(job.id, job.variants[variantIndex]!, repeat), jobIndex: job.index, entry });
    return false;
  });
  const removed: Array<{ key: string; entry: E }> = [];
  if (found.size < lockKeys.length) {
    for (const key of lockKeys) if (!found.has(key)) removed.push({ key, entry: lock.runs[key]! });
  }
  return { keys, toRun, jobs, entries: lockKeys.length, lockedRuns, locked, removed };
}
