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

export interface FalQueue {
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

export function createFalQueue(opts: { key: string; endpoints: FalEndpoints; fetch?: typeof fetch; pollMaxMs?: number }): FalQueue {
  const baseFetch = opts.fetch ?? fetch;
  const units = new Map<string, number>();

  const seam: typeof fetch = async (input, init) => {
    const url = rewriteFalUrl(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, opts.endpoints);
    const res = await baseFetch(url, init);
    const m = RESULT_PATH.exec(new URL(url).pathname);
    const header = res.headers.get("x-fal-billable-units");
    if (m && header !== null && header.trim() !== "") {
      const n = Number(header);
      if (Number.isFinite(n) && n >= 0) units.set(decodeURIComponent(m[1]!), n);
    }
    return res;
  };

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
      const res = await client.queue.submit(model, { input, abortSignal: signal });
      return res.request_id;
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
