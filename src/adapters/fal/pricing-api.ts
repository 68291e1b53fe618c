import type { LivePrice, LivePricing } from "../../pricing/prices.js";
import { retry } from "../../util/retry.js";
import { redactSecrets } from "../../util/secret.js";
import { errorText, forEachPage } from "./platform-api.js";

/**
 * fal's Platform API pricing endpoint: GET {apiUrl}/models/pricing?endpoint_id=a,b
 * (API-scope key, at most 50 ids per call). Any failure is returned, not
 * thrown: the caller falls back to the catalog and says so.
 */

export interface PricingApiOptions {
  apiUrl: string;
  key: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** First retry delay (ms, default 500); tests shorten it. */
  retryBaseMs?: number;
}

export async function fetchLivePrices(endpointIds: readonly string[], opts: PricingApiOptions): Promise<LivePricing> {
  const doFetch = opts.fetch ?? fetch;
  const prices = new Map<string, LivePrice>();
  const ids = [...new Set(endpointIds)];
  try {
    await forEachPage(ids, async (batch, cursor) => {
      const url = new URL(`${opts.apiUrl}/models/pricing`);
      url.searchParams.set("endpoint_id", batch.join(","));
      if (cursor) url.searchParams.set("cursor", cursor);
      const body = await getJson(doFetch, url, opts);
      for (const p of parsePrices(body)) prices.set(p.endpoint_id, p);
      return typeof body.next_cursor === "string" && body.has_more !== false ? body.next_cursor : null;
    });
  } catch (err) {
    return { status: "failed", error: err instanceof Error ? err.message : String(err) };
  }
  return { status: "ok", prices };
}

class PricingFailed extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Up to 3 attempts: the estimate needs no more, and the catalog is the fallback. */
function getJson(doFetch: typeof fetch, url: URL, opts: PricingApiOptions): Promise<Record<string, unknown>> {
  const attempt = async () => {
    let res: Response;
    try {
      res = await doFetch(url, {
        headers: { Authorization: `Key ${opts.key}`, Accept: "application/json" },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new PricingFailed(`pricing API unreachable (${(err as Error).name === "TimeoutError" ? "timed out" : redactSecrets((err as Error).message, [opts.key])})`, true);
    }
    if (res.ok) return (await res.json()) as Record<string, unknown>;
    const detail = await errorText(res);
    // 4xx other than 429 will not get better.
    throw new PricingFailed(`pricing API answered ${res.status}${detail ? `: ${redactSecrets(detail, [opts.key])}` : ""}`, res.status === 429 || res.status >= 500);
  };
  return retry(attempt, { retries: 2, baseMs: opts.retryBaseMs ?? 500, jitter: true, isRetryable: (e) => e instanceof PricingFailed && e.retryable });
}

function parsePrices(body: Record<string, unknown>): LivePrice[] {
  const list = Array.isArray(body.prices) ? body.prices : [];
  const out: LivePrice[] = [];
  for (const p of list as Array<Record<string, unknown>>) {
    const unitPrice = priceNumber(p?.unit_price);
    if (typeof p?.endpoint_id === "string" && unitPrice !== undefined && typeof p.unit === "string") {
      out.push({ endpoint_id: p.endpoint_id, unit_price: unitPrice, unit: p.unit, currency: typeof p.currency === "string" ? p.currency : "USD" });
    }
  }
  return out;
}

/**
 * A price as fal sends it: a number, or (as some captures of its answers show) a decimal string such as "0.003".
 * Anything else is no price, never $0.
 */
function priceNumber(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\s*\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
