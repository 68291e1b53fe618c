import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { pipeline } from "node:stream/promises";

/**
 * Downloads one output file, streaming: bytes go from the socket through a
 * SHA-256 and a size check straight to disk, so memory stays flat whatever
 * the file size. Writes to a temporary name and renames on success, so a
 * partial file never looks complete.
 */

export interface DownloadPolicy {
  /** Origins allowed besides https: the configured fal URL overrides (proxies, loopback fakes). */
  extraOrigins: ReadonlySet<string>;
  maxBytes: number;
  retries: number;
  timeoutMs: number;
  retryBaseMs?: number;
}

export interface Downloaded {
  bytes: number;
  sha256: string;
  contentType: string | null;
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

export function checkUrlAllowed(url: string, policy: Pick<DownloadPolicy, "extraOrigins">): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DownloadError(`not a URL: ${url.slice(0, 100)}`, false);
  }
  if (u.protocol === "https:" || policy.extraOrigins.has(u.origin)) return;
  throw new DownloadError(`refusing to download from ${u.origin}: only https URLs (or a configured FAL_*_URL origin) are fetched`, false);
}

export async function downloadFile(url: string, dest: string, policy: DownloadPolicy, signal?: AbortSignal): Promise<Downloaded> {
  checkUrlAllowed(url, policy);
  await mkdir(path.dirname(dest), { recursive: true });
  let lastError: unknown;
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, (policy.retryBaseMs ?? 500) * 2 ** (attempt - 1)));
    signal?.throwIfAborted();
    try {
      return await downloadOnce(url, dest, policy, signal);
    } catch (err) {
      lastError = err;
      if (signal?.aborted || (err instanceof DownloadError && !err.retryable)) break;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function downloadOnce(url: string, dest: string, policy: DownloadPolicy, signal?: AbortSignal): Promise<Downloaded> {
  const timeout = AbortSignal.timeout(policy.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  // Redirects are followed by hand so that every hop is checked against the policy.
  let current = url;
  let res: IncomingMessage | undefined;
  try {
    for (let hop = 0; hop < 5; hop++) {
      res = await get(current, combined);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        current = new URL(res.headers.location, current).href;
        checkUrlAllowed(current, policy);
        continue;
      }
      break;
    }
  } catch (err) {
    if (err instanceof DownloadError) throw err;
    throw new DownloadError(`download failed: ${timeout.aborted ? "timed out" : (err as Error).message}`, !signal?.aborted);
  }
  const status = res?.statusCode ?? 0;
  if (!res || status < 200 || status >= 300) {
    res?.resume();
    throw new DownloadError(`download failed: HTTP ${status}`, status === 0 || status === 408 || status === 429 || status >= 500);
  }
  const declared = Number(res.headers["content-length"]);
  if (Number.isFinite(declared) && declared > policy.maxBytes) {
    res.destroy();
    throw new DownloadError(`file is ${declared} bytes, over the ${policy.maxBytes}-byte limit per file`, false);
  }

  // Hash and count on the response's own data events: no extra stream stage between socket and file.
  const hash = createHash("sha256");
  let bytes = 0;
  const body = res;
  body.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > policy.maxBytes) body.destroy(new DownloadError(`file passed the ${policy.maxBytes}-byte limit per file`, false));
    else hash.update(chunk);
  });
  const tmp = `${dest}.part`;
  try {
    await pipeline(body, createWriteStream(tmp), { signal: combined });
    if (Number.isFinite(declared) && bytes !== declared) throw new DownloadError(`download ended after ${bytes} of ${declared} bytes`, true);
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    if (err instanceof DownloadError) throw err;
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
function get(url: string, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = (u.protocol === "https:" ? httpsRequest : httpRequest)(u, { method: "GET", signal, headers: { "accept-encoding": "identity", "user-agent": "fal-jobs-action" } }, resolve);
    req.on("error", reject);
    req.end();
  });
}
