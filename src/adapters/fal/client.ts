import { randomUUID } from "node:crypto";
import { ApiError, createFalClient, type FalClient } from "@fal-ai/client";
import { QueueError, SubmitFailed, type CallRetry, type FalQueue, type QueueStatus } from "../../run/fal-queue.js";
import { backoffDelay, delay } from "../../util/retry.js";
import { redactError, redactSecrets } from "../../util/secret.js";
import type { FalEndpoints } from "./endpoints.js";

/**
 * The one place that talks to fal's queue. `@fal-ai/client` has fixed hosts,
 * so its `fetch` option is the seam: it redirects the hosts to the configured
 * base URLs (proxies, loopback fakes) and sees every response, which is how
 * the billed units in `x-fal-billable-units` are captured per request.
 *
 * The seam is also why this project is the only one retrying fal calls:
 * `@fal-ai/client` retries submit, status and result on its own (status 5
 * times, 1–30 s apart) and its per-call settings override any config. So each
 * call goes out once here, and whatever the client would retry comes back as
 * an error it does not (no network code, not a TypeError, no retryable
 * `cause`, not an ApiError): SubmitFailed for a submit, QueueError otherwise.
 * The executor then retries with the manifest's `retries`, and nothing else does.
 */

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
    return callOnce(url, init);
  };

  /**
   * Status, result, stream and cancel: one attempt. The body is read here, not
   * by the client (a connection lost mid-body is an error it would retry),
   * except a status stream's, which is read as it comes and falls back to
   * polling when it breaks. A transient answer leaves as a QueueError.
   */
  async function callOnce(url: string, init: RequestInit | undefined): Promise<Response> {
    const path = new URL(url).pathname;
    let res: Response;
    let body: string | null = null;
    try {
      res = await baseFetch(url, init);
      noteUnits(path, res);
      if (!res.ok || !STREAM_PATH.test(path)) body = await res.text();
    } catch (err) {
      // The caller's own abort: the client never retries one.
      if (init?.signal?.aborted) throw err;
      throw new QueueError(`fal unreachable (${errorCode(err)})`, true);
    }
    if (!res.ok && transientStatus(res.status, res.headers.get(TIMEOUT_TYPE))) {
      const d = falError(res.status, parseJson(body), res.statusText);
      throw new QueueError(d.message, true, res.status, d.type ?? res.headers.get("x-fal-error-type") ?? undefined);
    }
    if (body === null) return res;
    // Definite 4xx answers go back to the client, which makes them (non-retried) ApiErrors with fal's detail.
    return new Response(NULL_BODY.has(res.status) ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
  }

  function noteUnits(path: string, res: Response): void {
    const m = RESULT_PATH.exec(path);
    const header = res.headers.get("x-fal-billable-units");
    if (m && header !== null && header.trim() !== "") {
      const n = Number(header);
      if (Number.isFinite(n) && n >= 0) units.set(decodeURIComponent(m[1]!), n);
    }
  }

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
    const d = falError(res.status, parseJson(body), res.statusText);
    if (res.status === 429) throw new SubmitFailed(d.message, "rejected", 429, d.type);
    // Other 4xx: fal refused it; the client turns it into a (non-retried) ApiError with fal's detail.
    if (res.status >= 400 && res.status < 500 && res.status !== 408) return copy();
    throw new SubmitFailed(`${d.message}; fal may have accepted the request`, "unknown", res.status, d.type);
  }

  const client: FalClient = createFalClient({
    credentials: opts.key,
    fetch: seam,
    // Only the stream and cancel read this (submit/status/result carry their own settings); the seam gives the
    // client nothing to retry anyway.
    retry: { maxRetries: 0 },
  });

  /** Polls until COMPLETED: each status request is one call for `retryCall`; the waits between them are not retries. */
  async function poll(model: string, requestId: string, signal: AbortSignal, onUpdate: ((s: QueueStatus) => void) | undefined, retryCall: CallRetry): Promise<QueueStatus> {
    for (let n = 0; ; n++) {
      signal.throwIfAborted();
      const s = await retryCall(() => domain(() => client.queue.status(model, { requestId, abortSignal: signal }) as Promise<QueueStatus>));
      onUpdate?.(s);
      if (s.status === "COMPLETED") return s;
      // Starts fast (short jobs finish in a few hundred ms) and backs off for long ones.
      await delay(backoffDelay(n, { baseMs: 50, factor: 1.5, maxMs: opts.pollMaxMs ?? 2000 }), signal);
    }
  }

  // Errors leave as domain errors, with no piece of the key in their text (HTTP clients quote header values they refuse).
  const domain = async <R>(call: () => Promise<R>): Promise<R> => {
    try {
      return await call();
    } catch (err) {
      throw redactError(toQueueError(err), [opts.key]);
    }
  };
  const scrubbed =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      domain(() => fn(...args));

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

    async waitForCompletion(model, requestId, signal, onUpdate, retryCall = (call) => call()) {
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
        const e = toQueueError(err);
        if (!(e instanceof QueueError && e.transient)) throw e;
      }
      // The stream ended early or failed: fall back to polling (a different call, not a retry of this one).
      return poll(model, requestId, signal, onUpdate, retryCall);
    },

    // One attempt each: the executor owns their retries.
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

function parseJson(text: string | null): unknown {
  try {
    return text === null ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

const TIMEOUT_TYPE = "x-fal-request-timeout-type";
const STREAM_PATH = /\/status\/stream\/?$/;
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * Worth another try: 408, 429 and 5xx, but not a 504 for the request's own
 * start timeout (`x-fal-request-timeout-type: user`), which is final.
 */
function transientStatus(status: number, timeoutType: string | null | undefined): boolean {
  if (status === 504 && timeoutType === "user") return false;
  return status === 408 || status === 429 || status >= 500;
}

/** The client's ApiError as a domain error; anything else (an abort's reason, our own bug) as it is. */
function toQueueError(err: unknown): unknown {
  if (!(err instanceof ApiError)) return err;
  const d = falError(err.status, err.body, err.message);
  return new QueueError(d.message, transientStatus(err.status, err.timeoutType), err.status, d.type);
}

/** fal's error detail, formatted for a person: `detail` may be a string or a list of {loc, msg, type}. */
function falError(status: number, bodyValue: unknown, fallback: string): { message: string; type?: string } {
  const body = bodyValue as { detail?: unknown; error_type?: string; error?: { message?: string } } | undefined;
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
    message = body?.error?.message ?? fallback;
  }
  const type = body?.error_type ?? (Array.isArray(detail) ? (detail[0] as { type?: string })?.type : undefined);
  return { message: redactSecrets(`HTTP ${status}: ${message}`), type };
}

/** fal's error detail, formatted for a person (for errors straight from `@fal-ai/client`). */
export function describeFalError(err: unknown): { message: string; status?: number; type?: string } {
  if (err instanceof ApiError) return { ...falError(err.status, err.body, err.message), status: err.status };
  return { message: redactSecrets(err instanceof Error ? err.message : String(err)) };
}
