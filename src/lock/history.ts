import { BillingHistory } from "../estimate/history.js";
import type { LockOf, LockSummary } from "./schema.js";

/**
 * The lock's entries as billing history: every run it records whose billed
 * cost is known (fal's billing events, its billable-units header or the
 * outputs gave it; a pending or unknown bill has no `billed_nano`, and is
 * left out rather than counted as $0). Works on entry summaries, as an
 * estimate reads the lock.
 */
export function historyFromLock(lock: LockOf<LockSummary>): BillingHistory {
  return historyFromEntries(Object.values(lock.runs));
}

export function historyFromEntries(entries: Iterable<LockSummary>): BillingHistory {
  const history = new BillingHistory();
  for (const e of entries) {
    if (e.billed_nano === null) continue;
    history.add(e.job, e.model, e.estimated_nano, e.billed_nano);
  }
  return history;
}
