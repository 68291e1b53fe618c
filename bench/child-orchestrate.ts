import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createFalClient } from "@fal-ai/client";
import { falEndpointsFromEnv } from "../src/adapters/fal/endpoints.js";
import { rewriteFalUrl } from "../src/adapters/fal/client.js";
import { runManifest } from "../src/engine/run.js";
import { MODEL, report, type ChildReport } from "./child-protocol.js";

/** Measured child: one batch through the engine, or through fal.subscribe. */

export async function orchestrateChild([impl, runs, concurrency]: string[]): Promise<void> {
  report(impl === "ours" ? await orchestrateOurs(Number(runs), Number(concurrency)) : await orchestrateSubscribe(Number(runs), Number(concurrency)));
}

async function orchestrateOurs(runs: number, concurrency: number): Promise<ChildReport> {
  const dir = await mkdtemp(path.join(tmpdir(), "fal-bench-orch-"));
  const manifest = path.join(dir, "fal-jobs.yaml");
  await writeFile(
    manifest,
    `version: 1\nbudget: 1000000\ndefaults: {concurrency: ${concurrency}, retries: 0}\npricing:\n  ${MODEL}: {unit: images, unit_price: 0.001}\njobs:\n  - {id: batch, model: ${MODEL}, input: {prompt: hi, num_images: 1}, repeat: ${runs}}\n`,
  );
  const started = performance.now();
  const wallStart = Date.now();
  const out = await runManifest({
    manifestPath: manifest,
    priceSource: "catalog",
    falKey: process.env.FAL_KEY!,
    endpoints: falEndpointsFromEnv(),
    outputDir: path.join(dir, "out"),
    billingTimeoutMs: 0,
    signal: new AbortController().signal,
    log: () => {},
    progressEveryMs: 60_000,
  });
  const wallMs = performance.now() - started;
  const succeeded = out.records?.filter((r) => r.status === "succeeded").length ?? 0;
  await rm(dir, { recursive: true, force: true });
  const totals = (out.records ?? []).map((r) => r.timings.total_ms ?? 0).sort((a, b) => a - b);
  const t0 = Math.min(...(out.records ?? []).map((r) => Date.parse(r.timings.started_at!)));
  const lastFinish = Math.max(...(out.records ?? []).map((r) => Date.parse(r.timings.finished_at!)));
  console.error(`before first start ${t0 - wallStart} ms, after last finish ${Date.now() - lastFinish} ms`);
  console.error(`runs: submit→result p50 ${totals[totals.length >> 1]} ms, p99 ${totals[Math.floor(totals.length * 0.99)]} ms; first start→last finish ${lastFinish - t0} ms`);
  return { wallMs, maxRssMb: process.resourceUsage().maxRSS / 1024, runs, succeeded };
}

async function orchestrateSubscribe(runs: number, concurrency: number): Promise<ChildReport> {
  const endpoints = falEndpointsFromEnv();
  const fal = createFalClient({ credentials: process.env.FAL_KEY!, fetch: (input, init) => fetch(rewriteFalUrl(String(input instanceof Request ? input.url : input), endpoints), init) });
  let next = 0;
  let succeeded = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < runs) {
      next++;
      await fal.subscribe(MODEL, { input: { prompt: "hi", num_images: 1 } });
      succeeded++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { wallMs: performance.now() - started, maxRssMb: process.resourceUsage().maxRSS / 1024, runs, succeeded };
}

