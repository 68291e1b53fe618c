import { randomUUID } from "node:crypto";
import { ApiError, createFalClient, type FalClient } from "@fal-ai/client";
import { redactError, redactSecrets } from "../../util/secret.js";
import type { FalEndpoints } from "./endpoints.js";

/**
 * The one place that talks to fal's queue. `@fal-ai/client` has fixed hosts,
 * so its `fetch` option is the seam: it redirects the hosts to the configured
 * base URLs (proxies, loopback fakes) and sees every response, which is how
 * the billed units in `x-fal-billable-units` are captured per request.
 */

export interface QueueStatus {
  status: "IN_QUEUE" | "IN_PROGRESS" | "COMPLETED" | string;
  queue_position?: number;
  error?: string;
  error_type?: string;
  metrics?: { inference_time?: number | null };
}

export interface FalResult {
  data: unknown;
  requestId: string;
}

/**
 * A submit that did not return a request id, with what is known of its fate:
 * `rejected` — fal answered that it did not create the request (4xx);
 * `not-sent` — it never left this process; `unknown` — it was sent and no
 * definite answer came back (a 5xx from a gateway, a reset connection, a
 * timeout or cancellation in flight): fal may have accepted and may bill it.
 */
export class SubmitFailed extends Error {
  constructor(
    message: string,
    readonly outcome: "rejected" | "not-sent" | "unknown",
    readonly status?: number,
    readonly type?: string,
  ) {
    super(message);
    this.name = "SubmitFailed";
  }
}

export interface FalQueue {
  /** Sends the request at most once; throws SubmitFailed when no request id came back. */
  submit(model: string, input: Record<string, unknown>, signal: AbortSignal): Promise<string>;
  /** Resolves on COMPLETED (which includes failed requests); notices completion as soon as fal reports it. */
  waitForCompletion(model: string, requestId: string, signal: AbortSignal, onUpdate?: (s: QueueStatus) => void): Promise<QueueStatus>;
  result(model: string, requestId: string, signal: AbortSignal): Promise<FalResult>;
  cancel(model: string, requestId: string, signal?: AbortSignal): Promise<void>;
  /** `x-fal-billable-units` seen on the request's result (or error) response, if any. */
  billableUnits(requestId: string): number | undefined;
}

const FAL_HOSTS: ReadonlyArray<[RegExp, keyof FalEndpoints]> = [
  [/^https:\/\/queue\.fal\.run(?=\/|$)/, "queueUrl"],
  [/^https:\/\/rest\.(alpha\.)?fal\.ai(?=\/|$)/, "restUrl"],
];

export function rewriteFalUrl(url: string, endpoints: FalEndpoints): string {
  for (const [re, key] of FAL_HOSTS) if (re.test(url)) return url.replace(re, endpoints[key]);
  return url;
}

const RESULT_PATH = /\/requests\/([^/?#]+)\/?(?:[?#]|$)/;

/** Tags each submit's HTTP attempts (stripped before sending), so the seam can let exactly one through. */
const SUBMIT_MARK = "x-fal-jobs-submit";

export function createFalQueue(opts: { key: string; endpoints: FalEndpoints; fetch?: typeof fetch; pollMaxMs?: number }): FalQueue {
  const baseFetch = opts.fetch ?? fetch;
  const units = new Map<string, number>();

  /** Submit marks whose single attempt has been sent. */
  const sentSubmits = new Set<string>();

  const seam: typeof fetch = async (input, init) => {
    const url = rewriteFalUrl(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, opts.endpoints);
    const mark = takeHeader(init, SUBMIT_MARK);
    if (mark !== undefined) return submitOnce(url, mark, init);
    const res = await baseFetch(url, init);
    const m = RESULT_PATH.exec(new URL(url).pathname);
    const header = res.headers.get("x-fal-billable-units");
    if (m && header !== null && header.trim() !== "") {
      const n = Number(header);
      if (Number.isFinite(n) && n >= 0) units.set(decodeURIComponent(m[1]!), n);
    }
    return res;
  };

  /**
   * `@fal-ai/client` retries a submit on 429/5xx and network errors, and a
   * submit whose answer was lost may already be a billed request: sending it
   * again would pay twice. So one attempt goes out, its whole answer is read
   * here, and anything but a definite answer becomes an error the client does
   * not retry (no network code, not a TypeError, nothing retryable in `cause`).
   */
  async function submitOnce(url: string, mark: string, init: RequestInit | undefined): Promise<Response> {
    if (sentSubmits.has(mark)) throw new SubmitFailed("fal-jobs never sends a submit twice", "unknown");
    if (init?.signal?.aborted) throw new SubmitFailed("cancelled before the submit was sent", "not-sent");
    sentSubmits.add(mark);
    let res: Response;
    let body: string;
    try {
      res = await baseFetch(url, init);
      body = await res.text();
    } catch (err) {
      const why = init?.signal?.aborted ? "the submit was cancelled in flight" : `the connection failed (${errorCode(err)})`;
      throw new SubmitFailed(`${why}; fal may have accepted the request`, "unknown");
    }
    const copy = () => new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    if (res.ok) return copy();
    if (res.status === 429) throw new SubmitFailed(`HTTP 429: ${detailOf(body) ?? "too many requests"}`, "rejected", 429);
    // Other 4xx: fal refused it; the client turns it into a (non-retried) ApiError with fal's detail.
    if (res.status >= 400 && res.status < 500 && res.status !== 408) return copy();
    throw new SubmitFailed(`HTTP ${res.status}: ${detailOf(body) ?? res.statusText}; fal may have accepted the request`, "unknown", res.status);
  }

  const client: FalClient = createFalClient({
    credentials: opts.key,
    fetch: seam,
    // Applies to the status stream and cancel only; submit/status/result carry the client's own retry settings.
    retry: { maxRetries: 2, baseDelay: 250, maxDelay: 2000 },
  });

  async function poll(model: string, requestId: string, signal: AbortSignal, onUpdate?: (s: QueueStatus) => void): Promise<QueueStatus> {
    // Starts fast (short jobs finish in a few hundred ms) and backs off for long ones.
    let delay = 50;
    for (;;) {
      signal.throwIfAborted();
      const s = (await client.queue.status(model, { requestId, abortSignal: signal })) as QueueStatus;
      onUpdate?.(s);
      if (s.status === "COMPLETED") return s;
      await sleep(delay, signal);
      delay = Math.min(delay * 1.5, opts.pollMaxMs ?? 2000);
    }
  }

  // Errors leave with no piece of the key in their text (HTTP clients quote header values they refuse).
  const scrubbed = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    try {
      return await fn(...args);
    } catch (err) {
      throw redactError(err, [opts.key]);
    }
  };

  const queue: FalQueue = {
    async submit(model, input, signal) {
      const mark = randomUUID();
      try {
        const res = await client.queue.submit(model, { input, abortSignal: signal, headers: { [SUBMIT_MARK]: mark } });
        if (typeof res?.request_id !== "string" || res.request_id === "") throw new SubmitFailed("fal's answer had no request id; fal may have accepted the request", "unknown");
        return res.request_id;
      } catch (err) {
        if (err instanceof SubmitFailed) throw err;
        const sent = sentSubmits.has(mark);
        const d = describeFalError(err);
        if (err instanceof ApiError && err.status >= 400 && err.status < 500) throw new SubmitFailed(d.message, "rejected", err.status, d.type);
        throw new SubmitFailed(sent ? `${d.message}; fal may have accepted the request` : d.message, sent ? "unknown" : "not-sent", d.status, d.type);
      } finally {
        sentSubmits.delete(mark);
      }
    },

    async waitForCompletion(model, requestId, signal, onUpdate) {
      signal.throwIfAborted();
      // The status stream pushes COMPLETED the moment it happens; a fixed poll interval would add up to its length to every run.
      try {
        const stream = await client.queue.streamStatus(model, { requestId, logs: false });
        const onAbort = () => stream.abort();
        signal.addEventListener("abort", onAbort, { once: true });
        try {
          stream.on("data", (d: unknown) => onUpdate?.(d as QueueStatus));
          const last = (await stream.done()) as QueueStatus | undefined;
          if (last?.status === "COMPLETED") return last;
        } finally {
          signal.removeEventListener("abort", onAbort);
        }
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        if (!isTransient(err)) throw err;
      }
      // The stream ended early or failed: fall back to polling.
      return poll(model, requestId, signal, onUpdate);
    },

    async result(model, requestId, signal) {
      const r = await client.queue.result(model, { requestId, abortSignal: signal });
      return { data: r.data, requestId: r.requestId || requestId };
    },

    async cancel(model, requestId, signal) {
      await client.queue.cancel(model, { requestId, abortSignal: signal ?? AbortSignal.timeout(5000) });
    },

    billableUnits(requestId) {
      return units.get(requestId);
    },
  };
  return {
    ...queue,
    submit: scrubbed(queue.submit),
    waitForCompletion: scrubbed(queue.waitForCompletion),
    result: scrubbed(queue.result),
    cancel: scrubbed(queue.cancel),
  };
}

/** Removes our own marker header from a request's init (it is never sent) and returns its value. */
function takeHeader(init: RequestInit | undefined, name: string): string | undefined {
  const h = init?.headers;
  if (!h) return undefined;
  if (h instanceof Headers) {
    const v = h.get(name) ?? undefined;
    h.delete(name);
    return v;
  }
  if (Array.isArray(h)) {
    const i = h.findIndex(([k]) => k.toLowerCase() === name);
    if (i < 0) return undefined;
    const v = h[i]![1];
    h.splice(i, 1);
    return v;
  }
  const rec = h as Record<string, string>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name);
  if (key === undefined) return undefined;
  const v = rec[key];
  delete rec[key];
  return v;
}

function errorCode(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string } } | undefined;
  return e?.cause?.code ?? e?.code ?? e?.name ?? "error";
}

/** fal's `detail` (or error message) from an error body, for a person; never the raw body. */
function detailOf(body: string): string | undefined {
  try {
    const j = JSON.parse(body) as { detail?: unknown; error?: { message?: unknown } };
    if (typeof j.detail === "string") return j.detail.slice(0, 300);
    if (typeof j.error?.message === "string") return j.error.message.slice(0, 300);
  } catch {
    // not JSON
  }
  return undefined;
}

/** Worth another try: network failures, 408/429 and 5xx. Model errors (4xx) are not. */
export function isTransient(err: unknown): boolean {
  if (err instanceof ApiError) return err.status === 408 || err.status === 429 || err.status >= 500;
  const e = err as { name?: string; code?: string; cause?: { code?: string } } | undefined;
  if (e?.name === "AbortError" || e?.name === "TimeoutError") return false;
  return e instanceof TypeError || /^(ECONN|EPIPE|ETIMEDOUT|UND_ERR)/.test(e?.code ?? e?.cause?.code ?? "");
}

/** fal's error detail, formatted for a person: `detail` may be a string or a list of {loc, msg, type}. */
export function describeFalError(err: unknown): { message: string; status?: number; type?: string } {
  if (err instanceof ApiError) {
    const body = err.body as { detail?: unknown; error_type?: string; error?: { message?: string } } | undefined;
    const detail = body?.detail;
    let message: string;
    if (Array.isArray(detail)) {
      message = detail
        .map((d: { loc?: unknown[]; msg?: string; type?: string }) => {
          const loc = Array.isArray(d.loc) ? d.loc.filter((p) => p !== "body").join(".") : "";
          return `${loc ? `${loc}: ` : ""}${d.msg ?? JSON.stringify(d)}${d.type ? ` (${d.type})` : ""}`;
        })
        .join("; ");
    } else if (typeof detail === "string") {
      message = detail;
    } else {
      message = body?.error?.message ?? err.message;
    }
    const type = body?.error_type ?? (Array.isArray(detail) ? (detail[0] as { type?: string })?.type : undefined);
    return { message: redactSecrets(`HTTP ${err.status}: ${message}`), status: err.status, type };
  }
  return { message: redactSecrets(err instanceof Error ? err.message : String(err)) };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
