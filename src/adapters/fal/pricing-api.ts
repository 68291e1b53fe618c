import type { LivePrice, LivePricing } from "../../pricing/prices.js";
import { redactSecrets } from "../../util/secret.js";

/**
 * fal's Platform API pricing endpoint: GET {apiUrl}/models/pricing?endpoint_id=a,b
 * (API-scope key, at most 50 ids per call). Any failure is returned, not
 * thrown: the caller falls back to the catalog and says so.
 */

export const PRICING_BATCH = 50;

export interface PricingApiOptions {
  apiUrl: string;
  key: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export async function fetchLivePrices(endpointIds: readonly string[], opts: PricingApiOptions): Promise<LivePricing> {
  const doFetch = opts.fetch ?? fetch;
  const prices = new Map<string, LivePrice>();
  const ids = [...new Set(endpointIds)];
  try {
    for (let i = 0; i < ids.length; i += PRICING_BATCH) {
      const batch = ids.slice(i, i + PRICING_BATCH);
      let cursor: string | null = null;
      do {
        const url = new URL(`${opts.apiUrl}/models/pricing`);
        url.searchParams.set("endpoint_id", batch.join(","));
        if (cursor) url.searchParams.set("cursor", cursor);
        const body = await getJson(doFetch, url, opts);
        for (const p of parsePrices(body)) prices.set(p.endpoint_id, p);
        cursor = typeof body.next_cursor === "string" && body.has_more !== false ? body.next_cursor : null;
      } while (cursor);
    }
  } catch (err) {
    return { status: "failed", error: err instanceof Error ? err.message : String(err) };
  }
  return { status: "ok", prices };
}

async function getJson(doFetch: typeof fetch, url: URL, opts: PricingApiOptions): Promise<Record<string, unknown>> {
  let lastError = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    let res: Response;
    try {
      res = await doFetch(url, {
        headers: { Authorization: `Key ${opts.key}`, Accept: "application/json" },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      lastError = `pricing API unreachable (${(err as Error).name === "TimeoutError" ? "timed out" : redactSecrets((err as Error).message, [opts.key])})`;
      continue;
    }
    if (res.ok) return (await res.json()) as Record<string, unknown>;
    const detail = await errorMessage(res);
    lastError = `pricing API answered ${res.status}${detail ? `: ${redactSecrets(detail, [opts.key])}` : ""}`;
    if (res.status !== 429 && res.status < 500) break; // 4xx other than 429 will not get better
  }
  throw new Error(lastError);
}

async function errorMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string }; detail?: unknown };
    return body.error?.message ?? (typeof body.detail === "string" ? body.detail : "");
  } catch {
    return "";
  }
}

function parsePrices(body: Record<string, unknown>): LivePrice[] {
  const list = Array.isArray(body.prices) ? body.prices : [];
  const out: LivePrice[] = [];
  for (const p of list as Array<Record<string, unknown>>) {
    if (typeof p?.endpoint_id === "string" && typeof p.unit_price === "number" && p.unit_price >= 0 && typeof p.unit === "string") {
      out.push({ endpoint_id: p.endpoint_id, unit_price: p.unit_price, unit: p.unit, currency: typeof p.currency === "string" ? p.currency : "USD" });
    }
  }
  return out;
}
