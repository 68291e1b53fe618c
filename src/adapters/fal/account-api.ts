import type { CreditLookup } from "../../gate/credit-check.js";
import { redactSecrets } from "../../util/secret.js";
import { retry } from "../../util/retry.js";
import { errorText } from "./platform-api.js";

/**
 * The account's prepaid credit balance: GET {apiUrl}/account/billing?expand=credits
 * (ADMIN-scope key) → `{credits: {current_balance, currency}}`. A 401/403 is a
 * key that may not read it; a 5xx, a network error or a timeout is tried
 * again (`retries` times) and then reported as failed, for the caller to
 * decide (gate/credit-check.ts: nothing is submitted).
 */

export interface AccountApiOptions {
  apiUrl: string;
  adminKey: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Per attempt (default 15 s). */
  timeoutMs?: number;
  /** Further attempts after a 5xx, 429, network error or timeout (default 2). */
  retries?: number;
  retryBaseMs?: number;
}

/** An answer that settles the look-up: not tried again. */
class Settled extends Error {
  constructor(readonly lookup: Exclude<CreditLookup, { status: "ok" }>) {
    super(lookup.message);
  }
}

export async function fetchCreditBalance(opts: AccountApiOptions): Promise<CreditLookup> {
  const doFetch = opts.fetch ?? fetch;
  const url = new URL(`${opts.apiUrl}/account/billing`);
  url.searchParams.set("expand", "credits");
  const clean = (text: string) => redactSecrets(text, [opts.adminKey]);
  try {
    return await retry(
      async () => {
        const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs ?? 15_000)]) : AbortSignal.timeout(opts.timeoutMs ?? 15_000);
        let res: Response;
        try {
          res = await doFetch(url, { headers: { Authorization: `Key ${opts.adminKey}`, Accept: "application/json" }, signal });
        } catch (err) {
          if (opts.signal?.aborted) throw err;
          throw new Error((err as Error).name === "TimeoutError" ? "fal's account API did not answer in time" : `fal's account API unreachable: ${(err as Error).message}`, { cause: err });
        }
        if (res.status === 401 || res.status === 403) {
          const msg = clean(await errorText(res));
          throw new Settled({ status: "refused", message: `fal's account API answered ${res.status}${msg ? `: ${msg}` : ""} (the balance needs an ADMIN-scope key)` });
        }
        if (!res.ok) {
          const msg = clean(await errorText(res));
          const message = `fal's account API answered ${res.status}${msg ? `: ${msg}` : ""}`;
          // Only an overload or an outage may pass: another 4xx answers the same the next time.
          if (res.status < 500 && res.status !== 408 && res.status !== 429) throw new Settled({ status: "failed", message });
          throw new Error(message);
        }
        const body = (await res.json().catch(() => undefined)) as { credits?: { current_balance?: unknown; currency?: unknown } } | undefined;
        const raw = body?.credits?.current_balance;
        // fal's Platform API gives some figures as strings ("12.50").
        const balance = typeof raw === "string" && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
        const currency = body?.credits?.currency;
        // A 200 that is not a balance is not "enough" either: it fails like an outage (and is not tried again).
        if (typeof balance !== "number" || !Number.isFinite(balance)) throw new Settled({ status: "failed", message: "fal's account API answered without a credit balance" });
        return { status: "ok", balance, currency: typeof currency === "string" && currency ? currency.toUpperCase() : "USD" } as const;
      },
      { retries: opts.retries ?? 2, baseMs: opts.retryBaseMs ?? 1000, jitter: true, signal: opts.signal, isRetryable: (err) => !(err instanceof Settled) },
    );
  } catch (err) {
    if (err instanceof Settled) return err.lookup;
    return { status: "failed", message: clean(err instanceof Error ? err.message : String(err)) };
  }
}
