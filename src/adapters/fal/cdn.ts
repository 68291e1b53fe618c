import { createHash, randomBytes } from "node:crypto";
import { rename, rm } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { pipeline } from "node:stream/promises";
import type { ByteBudget, Downloaded } from "../../run/collect.js";
import { retry } from "../../util/retry.js";
import { assertNotSymlink, createNewFileStream, UnsafePathError } from "../../util/safe-fs.js";
import { AddressRefused, guardLookup, literalHostRefusal } from "../address-policy.js";

/**
 * Downloads one output file, streaming: bytes go from the socket through a
 * SHA-256 and a size check straight to disk, so memory stays flat whatever
 * the file size. Writes to a new temporary name and renames on success, so a
 * partial file never looks complete; never writes through a symlink. Fetches
 * only public addresses (checked when connecting and on every redirect), or
 * a configured fal origin. The caller creates the destination's directory.
 */

export interface DownloadPolicy {
  /** Origins allowed besides https: the configured fal URL overrides (proxies, loopback fakes). */
  extraOrigins: ReadonlySet<string>;
  maxBytes: number;
  retries: number;
  timeoutMs: number;
  retryBaseMs?: number;
  /** Resolver behind the address check (test seam; default: the system's). */
  lookup?: LookupFunction;
}

export class DownloadError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "DownloadError";
  }
}

/** Whether `url` may be fetched; returns true for a configured fal origin, whose host is trusted as configured. */
function checkUrlAllowed(url: string, policy: Pick<DownloadPolicy, "extraOrigins">): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DownloadError(`not a URL: ${url.slice(0, 100)}`, false);
  }
  if (policy.extraOrigins.has(u.origin)) return true;
  if (u.protocol !== "https:") throw new DownloadError(`refusing to download from ${u.origin}: only https URLs (or a configured FAL_*_URL origin) are fetched`, false);
  // WHATWG URL parsing has already turned 2130706433, 0x7f.1 and [::ffff:127.0.0.1] into their canonical forms.
  const refusal = literalHostRefusal(u.hostname);
  if (refusal) throw new DownloadError(refusal, false);
  return false;
}

export async function downloadFile(url: string, dest: string, policy: DownloadPolicy, signal?: AbortSignal, budget?: ByteBudget): Promise<Downloaded> {
  checkUrlAllowed(url, policy);
  try {
    return await retry(() => downloadOnce(url, dest, policy, signal, budget), {
      retries: policy.retries,
      baseMs: policy.retryBaseMs ?? 500,
      jitter: true,
      signal,
      isRetryable: (err) => !(err instanceof DownloadError) || err.retryable,
    });
  } catch (err) {
    // Cancelled in flight or while waiting to retry: say so, whatever the attempt died of.
    if (signal?.aborted) throw cancelled(signal);
    throw err instanceof Error ? err : new Error(String(err));
  }
}

function cancelled(signal: AbortSignal): DownloadError {
  const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? "aborted");
  return new DownloadError(`not downloaded: cancelled (${reason}); the file is still at its URL`, false);
}

async function downloadOnce(url: string, dest: string, policy: DownloadPolicy, signal?: AbortSignal, budget?: ByteBudget): Promise<Downloaded> {
  try {
    await assertNotSymlink(dest);
  } catch (err) {
    throw new DownloadError((err as Error).message, false);
  }
  const timeout = AbortSignal.timeout(policy.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  // Redirects are followed by hand so that every hop is checked against the policy.
  let current = url;
  let res: IncomingMessage | undefined;
  try {
    for (let hop = 0; hop < 5; hop++) {
      const trusted = checkUrlAllowed(current, policy);
      res = await get(current, combined, trusted ? undefined : guardLookup(policy.lookup));
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        current = new URL(res.headers.location, current).href;
        continue;
      }
      break;
    }
  } catch (err) {
    if (err instanceof DownloadError) throw err;
    if (err instanceof AddressRefused) throw new DownloadError(err.message, false);
    throw new DownloadError(`download failed: ${timeout.aborted ? "timed out" : (err as Error).message}`, !signal?.aborted);
  }
  const status = res?.statusCode ?? 0;
  if (!res || status < 200 || status >= 300) {
    res?.resume();
    throw new DownloadError(`download failed: HTTP ${status}`, status === 0 || status === 408 || status === 429 || status >= 500);
  }
  const declaredHeader = res.headers["content-length"];
  const declared = declaredHeader === undefined ? NaN : Number(declaredHeader);
  if (Number.isFinite(declared) && declared > policy.maxBytes) {
    res.destroy();
    throw new DownloadError(`file is ${declared} bytes, over the ${policy.maxBytes}-byte limit per file`, false);
  }
  // A declared size is reserved from the shared budget whole; otherwise bytes are taken as they come.
  let taken = 0;
  const take = (n: number) => {
    if (budget && !budget.take(n)) return false;
    taken += n;
    return true;
  };
  if (Number.isFinite(declared) && !take(declared)) {
    res.destroy();
    throw new DownloadError(overBudget(budget?.limit), false);
  }
  const reserved = taken;

  // A fresh name, opened exclusively, so a stale or planted `.part` can neither be followed nor clobbered; opened
  // before the data listener below starts the flow, so no chunk is missed.
  const tmp = `${dest}.${randomBytes(6).toString("hex")}.part`;
  let file;
  try {
    file = await createNewFileStream(tmp);
  } catch (err) {
    // Whatever is at that name is not ours: leave it, and do not retry into it.
    res.destroy();
    if (budget && taken > 0) budget.give(taken);
    throw new DownloadError(`cannot create ${tmp}: ${(err as Error).message}`, false);
  }
  // Hash and count on the response's own data events: no extra stream stage between socket and file.
  const hash = createHash("sha256");
  let bytes = 0;
  const body = res;
  body.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > policy.maxBytes) body.destroy(new DownloadError(`file passed the ${policy.maxBytes}-byte limit per file`, false));
    else if (bytes > reserved && !take(Math.min(chunk.length, bytes - reserved))) body.destroy(new DownloadError(overBudget(budget?.limit), false));
    else hash.update(chunk);
  });
  try {
    await pipeline(body, file, { signal: combined });
    if (Number.isFinite(declared) && bytes !== declared) throw new DownloadError(`download ended after ${bytes} of ${declared} bytes`, true);
    // rename replaces a symlink rather than following it; refusing one still beats silently replacing it.
    await assertNotSymlink(dest);
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    if (budget && taken > 0) budget.give(taken);
    if (signal?.aborted) throw cancelled(signal);
    if (err instanceof DownloadError) throw err;
    if (err instanceof UnsafePathError) throw new DownloadError(err.message, false);
    const name = (err as Error).name;
    throw new DownloadError(`download interrupted: ${name === "TimeoutError" || timeout.aborted ? "timed out" : (err as Error).message}`, !signal?.aborted);
  }
  return { bytes, sha256: hash.digest("hex"), contentType: res.headers["content-type"] ?? null };
}

/**
 * A plain node:http(s) GET: Node streams straight into the file, which moves
 * large files faster than fetch's web streams (see BENCHMARKS.md). Identity
 * encoding, so the bytes and the sha256 are exactly what the CDN stores.
 */
function get(url: string, signal: AbortSignal, lookup: LookupFunction | undefined): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const options = { method: "GET", signal, headers: { "accept-encoding": "identity", "user-agent": "fal-jobs-action" }, ...(lookup ? { lookup } : {}) };
    const req = (u.protocol === "https:" ? httpsRequest : httpRequest)(u, options, resolve);
    req.on("error", reject);
    req.end();
  });
}

function overBudget(limit: number | undefined): string {
  return `not downloaded: it would pass the cap of ${limit ?? "downloaded"} bytes for the whole manifest; the file is still at its URL`;
}
