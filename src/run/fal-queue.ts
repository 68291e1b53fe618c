import { redactSecrets } from "../util/secret.js";

/**
 * The port to fal's queue, as the executor sees it: five calls and the two
 * domain errors they fail with. The adapter (`adapters/fal/client.ts`) turns
 * everything `@fal-ai/client` throws into these, so the executor decides about
 * retries and reports without knowing the client's classes.
 */

export interface QueueStatus {
  status: "IN_QUEUE" | "IN_PROGRESS" | "COMPLETED" | string;
  queue_position?: number;
  error?: string;
  error_type?: string;
  metrics?: { inference_time?: number | null };
}

interface FalResult {
  data: unknown;
  requestId: string;
}

/** How the caller retries one call (its owner's policy); the adapter only marks where one call starts and ends. */
export type CallRetry = <T>(call: () => Promise<T>) => Promise<T>;

export interface FalQueue {
  /** Sends the request at most once; throws SubmitFailed when no request id came back. */
  submit(model: string, input: Record<string, unknown>, signal: AbortSignal): Promise<string>;
  /**
   * Resolves on COMPLETED (which includes failed requests); notices completion as soon as fal reports it.
   * Each status request goes through `retryCall` when given; nothing else retries it.
   */
  waitForCompletion(model: string, requestId: string, signal: AbortSignal, onUpdate?: (s: QueueStatus) => void, retryCall?: CallRetry): Promise<QueueStatus>;
  /** One attempt; throws QueueError. */
  result(model: string, requestId: string, signal: AbortSignal): Promise<FalResult>;
  /** One attempt; throws QueueError. */
  cancel(model: string, requestId: string, signal?: AbortSignal): Promise<void>;
  /** `x-fal-billable-units` seen on the request's result (or error) response, if any. */
  billableUnits(requestId: string): number | undefined;
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

/**
 * A status, result, stream or cancel call that failed. `transient`: a network
 * failure, 408, 429 or 5xx, worth another try by the call's owner; otherwise
 * fal's definite answer (a model's 4xx, an unknown request).
 */
export class QueueError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number,
    readonly type?: string,
  ) {
    super(message);
    this.name = "QueueError";
  }
}

export function isTransient(err: unknown): boolean {
  return err instanceof QueueError && err.transient;
}

/** An error as a run's report shows it: fal's figures when the adapter had them, else the message with no secret in it. */
export function describeError(err: unknown): { message: string; status?: number; type?: string } {
  const message = redactSecrets(err instanceof Error ? err.message : String(err));
  if (!(err instanceof QueueError || err instanceof SubmitFailed)) return { message };
  return { message, ...(err.status !== undefined && { status: err.status }), ...(err.type !== undefined && { type: err.type }) };
}
