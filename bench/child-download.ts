import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { downloadFile } from "../src/adapters/fal/cdn.js";
import { report, type ChildReport } from "./child-protocol.js";

/** Measured child: download a list of URLs 4 at a time with our downloader or with plain fetch. Loads nothing else. */

export async function downloadChild([impl, listFile]: string[]): Promise<void> {
  report(await downloadWith(listFile!, impl === "ours" ? "ours" : "fetch"));
}

async function pool<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<number>): Promise<number> {
  let next = 0;
  let total = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      const n = await fn(items[i]!, i);
      total += n;
    }
  }));
  return total;
}

async function downloadWith(listFile: string, impl: "ours" | "fetch"): Promise<ChildReport> {
  const urls = JSON.parse(await readFile(listFile, "utf8")) as string[];
  const dir = await mkdtemp(path.join(tmpdir(), `fal-bench-${impl}-`));
  await mkdir(dir, { recursive: true });
  const origin = new URL(urls[0]!).origin;
  const started = performance.now();
  const bytes = await pool(urls, 4, async (url, i) => {
    const dest = path.join(dir, `${i}.mp4`);
    if (impl === "ours") return (await downloadFile(url, dest, { maxBytes: 2 * 1024 ** 3, extraOrigins: new Set([origin]), retries: 2, timeoutMs: 600_000 })).bytes;
    const res = await fetch(url);
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    const file = createWriteStream(dest);
    await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream), file);
    return file.bytesWritten;
  });
  const wallMs = performance.now() - started;
  await rm(dir, { recursive: true, force: true });
  return { wallMs, maxRssMb: process.resourceUsage().maxRSS / 1024, bytes };
}

