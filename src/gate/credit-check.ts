import { displayUsd, formatUsd, toNano, type Nano } from "../util/money.js";

/**
 * Before a real run submits anything: do the account's prepaid credits cover
 * the most this run can commit? fal locks an account that falls below its
 * credit threshold and rejects its requests, so a batch that outgrows the
 * balance stops half done. The balance needs an ADMIN-scope key; without one,
 * or when fal refuses the key, the check is skipped and says so. When the
 * balance cannot be read at all (a 5xx, a timeout, an answer that is not a
 * balance), nothing is submitted: an unknown balance is treated like an
 * unknown cost, never as "enough".
 */

export type CreditLookup =
  | { status: "ok"; balance: number; currency: string }
  /** 401/403: the key may not read the account's billing (not ADMIN scope). */
  | { status: "refused"; message: string }
  /** No answer that is a balance, after retries. */
  | { status: "failed"; message: string };

export interface CreditCheck {
  status: "covered" | "short" | "skipped" | "failed";
  /** The balance fal reported; null when none was read. */
  balanceNano: Nano | null;
  currency: string | null;
  /** The most this run can commit: the smaller of the budget and the estimate of the runs it submits. */
  neededNano: Nano;
  /** One line for the log and the report. */
  detail: string;
}

/** `lookup` undefined: no ADMIN key was given. */
export function checkCredits(lookup: CreditLookup | undefined, neededNano: Nano): CreditCheck {
  const needed = displayUsd(neededNano);
  if (!lookup) return { status: "skipped", balanceNano: null, currency: null, neededNano, detail: "credit balance not checked: no `fal-admin-key` (reading it needs an ADMIN-scope key)" };
  if (lookup.status === "refused") return { status: "skipped", balanceNano: null, currency: null, neededNano, detail: `credit balance not checked: ${lookup.message}` };
  if (lookup.status === "failed") {
    return {
      status: "failed",
      balanceNano: null,
      currency: null,
      neededNano,
      detail: `the account's credit balance could not be read (${lookup.message}), so nothing was submitted: a run that outgrows the credits is stopped half done by fal. Re-run when fal's API answers`,
    };
  }
  if (lookup.currency !== "USD") {
    return { status: "skipped", balanceNano: null, currency: lookup.currency, neededNano, detail: `credit balance not checked: fal reports it in ${lookup.currency}, budgets are in USD` };
  }
  const balanceNano = toNano(lookup.balance);
  const balance = lookup.balance < 0 ? `-${displayUsd(-balanceNano)}` : displayUsd(balanceNano);
  if (balanceNano >= neededNano) return { status: "covered", balanceNano, currency: "USD", neededNano, detail: `credits ${balance} cover the most this run can commit (${needed})` };
  return {
    status: "short",
    balanceNano,
    currency: "USD",
    neededNano,
    detail: `the account's credits (${balance}) do not cover the most this run can commit (${needed}): nothing was submitted. Add credits, or lower the budget to at most $${formatUsd(Math.max(0, balanceNano))}`,
  };
}
