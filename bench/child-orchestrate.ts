import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createFalClient } from "@fal-ai/client";
import { falEndpointsFromEnv } from "../src/adapters/fal/endpoints.js";
import { rewriteFalUrl } from "../src/adapters/fal/client.js";
import { runManifest } from "../src/flows/run-flow.js";
import { MODEL, report, type ChildReport } from "./child-protocol.js";

/** Measured child: one batch through the engine, through fal.subscribe, or as bare protocol calls (the floor the fake allows). */

export async function orchestrateChild([impl, runs, concurrency]: string[]): Promise<void> {
  const fn = impl === "ours" ? orchestrateOurs : impl === "raw" ? orchestrateRaw : orchestrateSubscribe;
  report(await fn(Number(runs), Number(concurrency)));
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
    endpoints: falEndpointsFromEnv(process.env),
    outputDir: path.join(dir, "out"),
    billingTimeoutMs: 0,
    signal: new AbortController().signal,
    log: () => {},
    progressEveryMs: 60_000,
  });
  const wallMs = performance.now() - started;
  const succeeded = out.records?.filter((r) => r.status === "succeeded").length ?? 0;
  await rm(dir, { recursive: true, force: true });
  const recs = out.records ?? [];
  const totals = recs.map((r) => r.timings.total_ms ?? 0).sort((a, b) => a - b);
  const t0 = Math.min(...recs.map((r) => Date.parse(r.timings.started_at!)));
  const lastFinish = Math.max(...recs.map((r) => Date.parse(r.timings.finished_at!)));
  const gap = (from: "started_at" | "submitted_at" | "completed_at", to: "submitted_at" | "completed_at" | "finished_at") =>
    (recs.reduce((s, r) => s + Date.parse(r.timings[to]!) - Date.parse(r.timings[from]!), 0) / recs.length).toFixed(1);
  console.error(`engine: mean ms per run: submit ${gap("started_at", "submitted_at")}, submitted→completed ${gap("submitted_at", "completed_at")}, completed→collected ${gap("completed_at", "finished_at")}`);
  console.error(`engine: ${t0 - wallStart} ms before the first submit, ${lastFinish - t0} ms from it to the last run's end; submit→result p50 ${totals[totals.length >> 1]} ms, p99 ${totals[Math.floor(totals.length * 0.99)]} ms`);
  return { wallMs, maxRssMb: process.resourceUsage().maxRSS / 1024, runs, succeeded };
}

/** `runs` calls of `one`, `concurrency` at a time; `one` says whether the run succeeded. */
async function batch(runs: number, concurrency: number, one: () => Promise<boolean>): Promise<ChildReport> {
  let next = 0;
  let succeeded = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < runs) {
      next++;
      if (await one()) succeeded++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { wallMs: performance.now() - started, maxRssMb: process.resourceUsage().maxRSS / 1024, runs, succeeded };
}

async function orchestrateSubscribe(runs: number, concurrency: number): Promise<ChildReport> {
  const endpoints = falEndpointsFromEnv(process.env);
  const fal = createFalClient({ credentials: process.env.FAL_KEY!, fetch: (input, init) => fetch(rewriteFalUrl(String(input instanceof Request ? input.url : input), endpoints), init) });
  return batch(runs, concurrency, async () => {
    await fal.subscribe(MODEL, { input: { prompt: "hi", num_images: 1 } });
    return true;
  });
}

/** No client library, no files: submit, read the status stream to its end, get the result. What any client pays on this fake. */
async function orchestrateRaw(runs: number, concurrency: number): Promise<ChildReport> {
  const base = falEndpointsFromEnv(process.env).queueUrl;
  const headers = { Authorization: `Key ${process.env.FAL_KEY}`, "content-type": "application/json" };
  const app = MODEL.split("/").slice(0, 2).join("/");
  return batch(runs, concurrency, async () => {
    const sub = (await (await fetch(`${base}/${MODEL}`, { method: "POST", headers, body: JSON.stringify({ prompt: "hi", num_images: 1 }) })).json()) as { request_id: string };
    await (await fetch(`${base}/${app}/requests/${sub.request_id}/status/stream`, { headers })).text();
    const res = await fetch(`${base}/${app}/requests/${sub.request_id}`, { headers });
    await res.arrayBuffer();
    return res.ok;
  });
}
