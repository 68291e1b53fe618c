import type { BillingEvent, BillingLookup } from "../../billing/types.js";
import { redactSecrets } from "../../util/secret.js";
import { errorText, forEachPage } from "./platform-api.js";
import { backoffDelay, delay } from "../../util/retry.js";

/**
 * fal's per-request billing records: GET {apiUrl}/models/billing-events?request_id=…
 * (ADMIN-scope key, at most 50 ids per call, paginated). Events may lag the
 * request by minutes, and may first appear with `output_units: null`.
 */

export interface BillingApiOptions {
  apiUrl: string;
  adminKey: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export async function fetchBillingEvents(requestIds: readonly string[], opts: BillingApiOptions): Promise<BillingLookup> {
  const events = new Map<string, BillingEvent>();
  const doFetch = opts.fetch ?? fetch;
  try {
    await forEachPage(requestIds, async (batch, cursor) => {
      const url = new URL(`${opts.apiUrl}/models/billing-events`);
      url.searchParams.set("request_id", batch.join(","));
      // Requests of this run are recent; the default window (24 h) covers them, but a long run may not.
      url.searchParams.set("start", new Date(Date.now() - 7 * 24 * 3600_000).toISOString());
      url.searchParams.set("limit", "1000");
      if (cursor) url.searchParams.set("cursor", cursor);
      let res: Response;
      try {
        res = await doFetch(url, { headers: { Authorization: `Key ${opts.adminKey}`, Accept: "application/json" }, signal: anySignal(opts.signal, 15_000) });
      } catch (err) {
        throw new LookupEnded({ status: "failed", message: `billing API unreachable: ${redactSecrets((err as Error).message, [opts.adminKey])}` });
      }
      if (res.status === 401 || res.status === 403) {
        const msg = redactSecrets(await errorText(res), [opts.adminKey]);
        throw new LookupEnded({ status: "refused", message: `billing API answered ${res.status}${msg ? `: ${msg}` : ""} (billing events need an ADMIN-scope key)` });
      }
      if (!res.ok) {
        const msg = redactSecrets(await errorText(res), [opts.adminKey]);
        throw new LookupEnded({ status: "failed", message: `billing API answered ${res.status}${msg ? `: ${msg}` : ""}` });
      }
      const body = (await res.json()) as { billing_events?: unknown[]; next_cursor?: string | null; has_more?: boolean };
      for (const e of body.billing_events ?? []) {
        const ev = parseEvent(e);
        if (ev) events.set(ev.request_id, mergeEvent(events.get(ev.request_id), ev));
      }
      return body.has_more && typeof body.next_cursor === "string" ? body.next_cursor : null;
    });
  } catch (err) {
    if (err instanceof LookupEnded) return err.lookup;
    throw err;
  }
  return { status: "ok", events };
}

/** A page that ends the whole look-up (no retry here: the callers poll again later, or fall back). */
class LookupEnded extends Error {
  constructor(readonly lookup: Exclude<BillingLookup, { status: "ok" }>) {
    super(lookup.message);
  }
}

/** One request can have more than one event (e.g. split by discount); sum them. */
function mergeEvent(prev: BillingEvent | undefined, next: BillingEvent): BillingEvent {
  if (!prev) return next;
  const add = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);
  return {
    ...next,
    output_units: add(prev.output_units, next.output_units),
    cost_total: add(prev.cost_total, next.cost_total),
    cost_estimate_nano_usd: add(prev.cost_estimate_nano_usd, next.cost_estimate_nano_usd),
  };
}

function parseEvent(e: unknown): BillingEvent | undefined {
  const o = e as Record<string, unknown>;
  if (typeof o?.request_id !== "string") return undefined;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return {
    request_id: o.request_id,
    endpoint_id: typeof o.endpoint_id === "string" ? o.endpoint_id : "",
    output_units: num(o.output_units),
    unit_price: num(o.unit_price),
    cost_total: num(o.cost_total),
    cost_estimate_nano_usd: num(o.cost_estimate_nano_usd),
    percent_discount: num(o.percent_discount),
  };
}

/** A record that says what was billed (it may first appear without its figures). */
function hasFigures(ev: BillingEvent): boolean {
  return ev.output_units !== null || ev.cost_total !== null;
}

function anySignal(signal: AbortSignal | undefined, ms: number): AbortSignal {
  return signal ? AbortSignal.any([signal, AbortSignal.timeout(ms)]) : AbortSignal.timeout(ms);
}

export interface PollOptions extends BillingApiOptions {
  deadlineMs: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  log?: (line: string) => void;
}

/**
 * Polls until every request has an event with its units, or the deadline
 * passes. Returns what it has; missing requests stay pending for the report.
 */
export async function pollBillingEvents(requestIds: readonly string[], opts: PollOptions): Promise<BillingLookup> {
  const deadline = Date.now() + opts.deadlineMs;
  const found = new Map<string, BillingEvent>();
  // Waiting for records to appear, not retrying a failure (a failed look-up ends the poll).
  const backoff = { baseMs: opts.initialDelayMs ?? 1000, maxMs: opts.maxDelayMs ?? 15_000 };
  let waiting = [...requestIds];
  let lastRound = new Set<string>();
  for (let n = 0; ; n++) {
    const r = await fetchBillingEvents(waiting, opts);
    if (r.status !== "ok") return found.size ? { status: "ok", events: found } : r;
    lastRound = new Set(r.events.keys());
    for (const [id, ev] of r.events) if (hasFigures(ev)) found.set(id, ev);
    waiting = waiting.filter((id) => !found.has(id));
    const ms = backoffDelay(n, backoff);
    if (waiting.length === 0 || Date.now() + ms > deadline || opts.signal?.aborted) break;
    opts.log?.(`billing: ${found.size}/${requestIds.length} request(s) billed so far; checking again in ${Math.round(ms / 1000)} s`);
    try {
      await delay(ms, opts.signal);
    } catch {
      break;
    }
  }
  // A request may be billed in several records that appear at different times: requests found in an earlier round
  // are read once more at the end, so a record that came later is summed in rather than missed.
  const early = requestIds.filter((id) => found.has(id) && !lastRound.has(id));
  if (early.length > 0 && !opts.signal?.aborted) {
    const again = await fetchBillingEvents(early, opts);
    if (again.status === "ok") for (const [id, ev] of again.events) if (hasFigures(ev)) found.set(id, ev);
  }
  return { status: "ok", events: found };
}

export interface BillingWatcher {
  /** fal's billed cost of one request once its billing event has its figures; null if none came within the wait. */
  costOf(requestId: string, signal: AbortSignal): Promise<number | null>;
  stop(): void;
}

export interface WatchOptions extends BillingApiOptions {
  /** How long one request may wait for its event. */
  waitMs: number;
  pollMs: number;
  /** An event's cost in nano-USD, or null while it has no figures yet. */
  costOf: (event: BillingEvent) => number | null;
  log?: (line: string) => void;
}

/**
 * Billing events for requests as they finish, during the run: each waiting
 * request joins the next batched look-up, so a run with no billable-units
 * header is settled from fal's own record without one call per request.
 * A key that may not read billing ends the watch for everyone at once.
 */
export function watchBillingEvents(opts: WatchOptions): BillingWatcher {
  const waiting = new Map<string, { deadline: number; resolve: (cost: number | null) => void }>();
  let timer: NodeJS.Timeout | undefined;
  let disabled = false;
  let busy = false;

  const settle = (id: string, cost: number | null) => {
    waiting.get(id)?.resolve(cost);
    waiting.delete(id);
  };

  async function tick(): Promise<void> {
    timer = undefined;
    if (busy || waiting.size === 0) return;
    busy = true;
    try {
      const r = await fetchBillingEvents([...waiting.keys()], opts);
      if (r.status === "refused") {
        disabled = true;
        opts.log?.(`billing: ${r.message}; runs without billable units stay committed at their estimate`);
        for (const id of [...waiting.keys()]) settle(id, null);
      } else if (r.status === "ok") {
        for (const [id, ev] of r.events) {
          const cost = opts.costOf(ev);
          if (cost !== null) settle(id, cost);
        }
      }
      const now = Date.now();
      for (const [id, w] of [...waiting]) if (w.deadline <= now) settle(id, null);
    } finally {
      busy = false;
      schedule();
    }
  }

  // Runs hold their concurrency slot while they wait, so look soon (fal's record often follows within a second),
  // then less often: the wait doubles from a quarter second up to pollMs, and starts over when nothing was waiting.
  let wait = 0;
  function schedule(): void {
    if (waiting.size === 0) wait = 0;
    if (timer || waiting.size === 0 || disabled) return;
    wait = Math.min(opts.pollMs, wait === 0 ? Math.min(250, opts.pollMs) : wait * 2);
    timer = setTimeout(() => void tick(), wait);
  }

  return {
    costOf(requestId, signal) {
      if (disabled || signal.aborted) return Promise.resolve(null);
      return new Promise<number | null>((resolve) => {
        const onAbort = () => settle(requestId, null);
        signal.addEventListener("abort", onAbort, { once: true });
        waiting.set(requestId, {
          deadline: Date.now() + opts.waitMs,
          resolve: (cost) => {
            signal.removeEventListener("abort", onAbort);
            resolve(cost);
          },
        });
        schedule();
      });
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
      for (const id of [...waiting.keys()]) settle(id, null);
    },
  };
}
