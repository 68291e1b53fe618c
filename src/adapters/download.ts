import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
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
  fetch?: typeof fetch;
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
  let res: Response | undefined;
  for (let hop = 0; hop < 5; hop++) {
    res = await (policy.fetch ?? fetch)(current, { signal: combined, redirect: "manual" });
    if (res.status >= 300 && res.status < 400 && res.headers.get("location")) {
      await res.body?.cancel();
      current = new URL(res.headers.get("location")!, current).href;
      checkUrlAllowed(current, policy);
      continue;
    }
    break;
  }
  if (!res || !res.ok || !res.body) {
    await res?.body?.cancel();
    const status = res?.status ?? 0;
    throw new DownloadError(`download failed: HTTP ${status}`, status === 0 || status === 408 || status === 429 || status >= 500);
  }
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > policy.maxBytes) {
    await res.body.cancel();
    throw new DownloadError(`file is ${declared} bytes, over the ${policy.maxBytes}-byte limit per file`, false);
  }

  const hash = createHash("sha256");
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > policy.maxBytes) return cb(new DownloadError(`file passed the ${policy.maxBytes}-byte limit per file`, false));
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  const tmp = `${dest}.part`;
  try {
    await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream), meter, createWriteStream(tmp), { signal: combined });
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    if (err instanceof DownloadError) throw err;
    const name = (err as Error).name;
    throw new DownloadError(`download interrupted: ${name === "TimeoutError" || timeout.aborted ? "timed out" : (err as Error).message}`, !signal?.aborted);
  }
  return { bytes, sha256: hash.digest("hex"), contentType: res.headers.get("content-type") };
}
