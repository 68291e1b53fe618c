import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { failureReport } from "../../src/action/failures.js";
import { UsageError } from "../../src/errors.js";
import { reconcile } from "../../src/billing/reconcile.js";
import { baseFromFiles } from "../../src/flows/base.js";
import { estimateManifest, type EstimateOutcome } from "../../src/flows/estimate-flow.js";
import { runVerdict } from "../../src/gate/run-verdict.js";
import { parseIncreaseLimit } from "../../src/gate/increase-gate.js";
import { buildPlan, iterateRuns } from "../../src/plan/expand.js";
import { parseManifest } from "../../src/manifest/load.js";
import { runKeys } from "../../src/lock/key.js";
import { emptyLock, type Lock } from "../../src/lock/schema.js";
import { writeLockFile } from "../../src/lock/write.js";
import { formatUsd } from "../../src/util/money.js";
import { indexCatalog } from "../../src/pricing/catalog.js";
import type { AnyReport, ReportContext, RunModeReport } from "../../src/report/model.js";
import { buildRunReport } from "../../src/report/run-report.js";
import type { RunRecord, RunStatus } from "../../src/run/types.js";

/**
 * One report of each kind people see in a comment or a job summary, built by
 * the real pipeline (manifest → plan → bundled catalog → estimate → gate →
 * report; runs reconciled by billing/reconcile) from the example manifest and
 * a few edits of it. The snapshot tests and scripts/render-comments.mjs both
 * render these.
 */

const EXAMPLE = `version: 1
budget: {limit: 10.00, per_job_limit: 5.00}
jobs:
  - id: hero
    model: fal-ai/flux/dev
    input: {prompt: "A city under a purple sky, cinematic, wide angle", image_size: landscape_16_9, num_images: 2}
    repeat: 3
  - id: thumbs
    model: fal-ai/flux/schnell
    matrix: {animal: [cat, dog], size: [square, square_hd]}
    input: {prompt: "a friendly \${{ matrix.animal }} mascot, flat illustration", image_size: "\${{ matrix.size }}"}
  - id: teaser
    model: fal-ai/kling-video/v2.1/master/text-to-video
    input: {prompt: "Slow dolly shot through a neon-lit market at night", duration: "8"}
  - id: narration
    model: fal-ai/kokoro/american-english
    input:
      prompt: "Welcome to the launch. Everything you see here was generated in CI, within budget. The images, the teaser and this voice were planned in a manifest, estimated on the pull request, and paid for once, on merge. Nothing here was generated twice, and nothing was left unpriced."
      voice: af_heart
  - id: transcript
    model: fal-ai/whisper
    input: {audio_url: "https://example.com/launch-keynote.mp3"}
    max_cost: 0.05
`;

/** The base branch: fewer hero repeats, a shorter teaser, no narration yet. */
const BASE = EXAMPLE.replace("repeat: 3", "repeat: 1").replace('duration: "8"', 'duration: "5"').replace(/ {2}- id: narration[\s\S]*?voice: af_heart\n/, "");

// A catalog of its own: the pictures and snapshots change when the renderer does, not when fal's prices do.
const source = (model: string) => ({ url: `https://fal.ai/models/${model}`, kind: "fal-docs" as const, checked: "2026-11-01" });
const CATALOG = indexCatalog({
  as_of: "2026-11-01",
  currency: "USD",
  notes: [],
  entries: [
    { endpoint_id: "fal-ai/flux/dev", category: "image", unit: "megapixels", unit_price: 0.025, price_params: ["image_size", "num_images"], defaults: { image_size: "landscape_4_3", num_images: 1 }, source: source("fal-ai/flux/dev") },
    { endpoint_id: "fal-ai/flux/schnell", category: "image", unit: "megapixels", unit_price: 0.003, price_params: ["image_size", "num_images"], defaults: { image_size: "landscape_4_3", num_images: 1 }, source: source("fal-ai/flux/schnell") },
    { endpoint_id: "fal-ai/kling-video/v2.1/master/text-to-video", category: "video", unit: "seconds", unit_price: 0.28, price_params: ["duration"], defaults: { duration: "5" }, source: source("fal-ai/kling-video/v2.1/master/text-to-video") },
    { endpoint_id: "fal-ai/kokoro/american-english", category: "speech", unit: "1000 characters", unit_price: 0.02, price_params: ["prompt"], defaults: {}, params: { text: "prompt" }, source: source("fal-ai/kokoro/american-english") },
    { endpoint_id: "fal-ai/whisper", category: "audio", unit: "compute seconds", unit_price: null, price_params: ["audio_url"], defaults: {}, source: source("fal-ai/whisper") },
  ],
});

const CONTEXT: ReportContext = { repository: "acme/launch-site", event: "pull_request", pr_number: 42, sha: "c0ffee".padEnd(40, "0"), run_id: "9120034411", run_attempt: "1", server_url: "https://github.com" };
const NOW = new Date("2026-12-02T09:30:00Z");

async function files(manifest: string, base: string | null, lock?: Lock): Promise<{ manifest: string; base: string | null }> {
  const dir = await mkdtemp(path.join(tmpdir(), "fal-jobs-variants-"));
  await writeFile(path.join(dir, "fal-jobs.yaml"), manifest);
  if (base !== null) await writeFile(path.join(dir, "base.yaml"), base);
  if (lock) await writeLockFile(path.join(dir, "fal-jobs.lock.json"), lock);
  return { manifest: path.join(dir, "fal-jobs.yaml"), base: base === null ? null : path.join(dir, "base.yaml") };
}

/** The lock of a manifest that ran on main: every run generated and paid for at its estimate. */
async function lockOf(manifest: string): Promise<Lock> {
  const outcome = await estimate(manifest);
  const plan = buildPlan(parseManifest(manifest));
  const keys = runKeys(plan);
  const lock = emptyLock();
  lock.stores["9100000001.1"] = { repository: "acme/launch-site", run_id: "9100000001", run_attempt: "1", artifact: { name: "fal-outputs-attempt-1", id: 4700, url: "https://github.com/acme/launch-site/actions/runs/9100000001/artifacts/4700" } };
  const cost = new Map(outcome.estimate.jobs.map((j) => [j.id, j.variants]));
  for (const run of iterateRuns(plan)) {
    const nano = cost.get(run.job.id)![run.variantIndex]!.costPerRunNano ?? 0;
    lock.runs[keys.of(run)] = {
      job: run.job.id, run: run.id, model: run.job.model, request_id: `req-${run.id}`.replace(/[^\w-]/g, "-"), finished_at: "2026-11-28T16:02:11.000Z",
      estimated_nano: nano, billed: formatUsd(nano), billed_nano: nano, billed_source: "header", outputs: [], stored_in: "9100000001.1",
    };
  }
  return lock;
}

async function estimate(manifest: string, opts: { base?: string; budget?: number; failOnIncrease?: string; lock?: Lock } = {}): Promise<EstimateOutcome> {
  const f = await files(manifest, opts.base ?? null, opts.lock);
  const outcome = await estimateManifest({
    manifestPath: f.manifest,
    budgetUsd: opts.budget,
    priceSource: "catalog",
    catalog: CATALOG,
    endpoints: { queueUrl: "http://127.0.0.1:9", restUrl: "http://127.0.0.1:9", apiUrl: "http://127.0.0.1:9/v1" } as never,
    lockPath: path.join(path.dirname(f.manifest), "fal-jobs.lock.json"),
    base: f.base === null ? undefined : { ...baseFromFiles(f.base, opts.lock ? path.join(path.dirname(f.manifest), "fal-jobs.lock.json") : null), sha: "ba5e0f1c".padEnd(40, "0") },
    failOnIncrease: opts.failOnIncrease === undefined ? undefined : parseIncreaseLimit(opts.failOnIncrease),
    context: CONTEXT,
    now: NOW,
  });
  // Reports name the manifest as the workflow does, not by the temporary folder.
  outcome.report.manifest.path = "fal-jobs.yaml";
  outcome.report.lock.path = "fal-jobs.lock.json";
  return outcome;
}

/** A real run of every planned run, each ending as `fate` says (default: succeeded, billed by fal's header at its estimate). */
function runReport(outcome: EstimateOutcome, fate: (runId: string, job: string) => { status: RunStatus; headerUnits?: number | null; error?: string } = () => ({ status: "succeeded" })): RunModeReport {
  const records: RunRecord[] = [];
  const perRun = new Map(outcome.estimate.jobs.map((j) => [j.id, j]));
  let t = Date.parse("2026-12-02T09:30:05Z");
  for (const run of iterateRuns(outcome.toRun)) {
    const job = perRun.get(run.job.id)!;
    const v = job.variants[run.variantIndex]!;
    const { status, headerUnits, error } = fate(run.id, run.job.id);
    const started = new Date((t += 1500)).toISOString();
    const ok = status === "succeeded";
    records.push({
      id: run.id, job: run.job.id, model: run.job.model, variant: run.variant.label, repeat: run.repeat, status,
      submitted: status !== "skipped-budget", submit_outcome: status === "skipped-budget" ? "not-attempted" : "accepted",
      request_id: status === "skipped-budget" ? null : `${run.job.id}-${run.repeat}-${run.variantIndex}`.padEnd(36, "0"),
      error: error ? { message: error, status: 422, type: "value_error", stage: "result" } : null,
      timings: { started_at: started, submitted_at: started, completed_at: ok ? started : null, finished_at: started, total_ms: 1500 },
      estimate_nano: v.costPerRunNano ?? 0, unit_price: v.billingUnitPrice ?? v.unitPrice ?? null,
      header_units: ok ? (headerUnits === undefined ? (v.billingUnitsPerRun ?? v.unitsPerRun ?? null) : headerUnits) : null,
      observed_units: null, input_units: v.unitsPerRun ?? null,
      dir: ok ? `${run.job.id}/${run.id}` : null,
      outputs: ok ? [{ source: "images[0]", url: "https://v3.fal.media/files/x.png", content_type: "image/png", path: `${run.job.id}/${run.id}/images-0.png`, bytes: 1_200_000, sha256: "ab".repeat(32), error: null }] : [],
    });
  }
  const reconciliation = reconcile(records, undefined);
  const report = buildRunReport({
    estimate: outcome.report,
    reconciliation,
    verdict: runVerdict({ gate: outcome.gate, budget: outcome.budget, reconciliation, cancelReason: null }),
    billingSource: "header-and-outputs",
    startedAt: new Date("2026-12-02T09:30:00Z"),
    finishedAt: new Date("2026-12-02T09:33:12Z"),
    cancelReason: null,
    outputDir: "fal-outputs",
    locked: [],
    storeUrls: new Map(),
  });
  report.context = { ...CONTEXT, event: "push", pr_number: undefined };
  report.execution.artifact = { name: "fal-outputs-attempt-1", id: 4811, url: "https://github.com/acme/launch-site/actions/runs/9120034411/artifacts/4811" };
  report.lock.written = "fal-jobs.lock.json";
  report.lock.changed = true;
  return report;
}

export type VariantName = "dry-run" | "dry-run-locked" | "nothing-to-spend" | "could-not-start" | "internal-error" | "over-budget" | "unknown-price" | "fail-on-increase" | "real-run" | "failed-run" | "invalid-manifest";

export async function commentVariants(): Promise<Record<VariantName, AnyReport>> {
  const pricedOnly = EXAMPLE.replace(/ {2}- id: transcript[\s\S]*$/, "");
  const invalid = await files(EXAMPLE.replace("model: fal-ai/flux/schnell", "modle: fal-ai/flux/schnell").replace("repeat: 3", "repeat: 0"), null);
  let invalidManifest: AnyReport;
  try {
    await estimateManifest({ manifestPath: invalid.manifest, priceSource: "catalog", endpoints: {} as never, lockPath: null });
    throw new Error("the invalid manifest was accepted");
  } catch (err) {
    invalidManifest = failureReport(err, "fal-jobs.yaml", CONTEXT, []);
  }
  // Positions name the file as the workflow does.
  if (invalidManifest.mode === "error") {
    for (const i of invalidManifest.error.issues) i.file = "fal-jobs.yaml";
    invalidManifest.error.message = invalidManifest.error.message.replaceAll(invalid.manifest, "fal-jobs.yaml");
  }
  const mainLock = await lockOf(BASE);
  const context = CONTEXT;
  return {
    "dry-run": (await estimate(EXAMPLE, { base: BASE })).report,
    // main ran the base manifest and locked it: the pull request spends only on what it adds.
    "dry-run-locked": (await estimate(EXAMPLE, { base: BASE, lock: mainLock })).report,
    "nothing-to-spend": (await estimate(BASE, { base: BASE, lock: mainLock })).report,
    "could-not-start": failureReport(new UsageError("dry-run is false but there is no fal key: set the `fal-key` input (or FAL_KEY). Nothing was submitted."), "fal-jobs.yaml", context, []),
    "internal-error": failureReport(new TypeError("Cannot read properties of undefined (reading 'images')"), "fal-jobs.yaml", context, []),
    "over-budget": (await estimate(EXAMPLE, { base: BASE, budget: 2 })).report,
    "unknown-price": (await estimate(EXAMPLE.replace("    max_cost: 0.05\n", "").replace("fal-ai/kokoro/american-english", "acme/custom-voice"), { base: BASE })).report,
    "fail-on-increase": (await estimate(EXAMPLE, { base: BASE, failOnIncrease: "20%" })).report,
    "real-run": runReport(await estimate(pricedOnly)),
    "failed-run": runReport(await estimate(pricedOnly), (id, job) =>
      job === "teaser" ? { status: "failed", error: "HTTP 422: prompt: the prompt was flagged by the content checker (value_error)" } : id.startsWith("thumbs[animal=dog") ? { status: "timed-out", error: "no result within the 10m timeout; the fal request was cancelled" } : { status: "succeeded" },
    ),
    "invalid-manifest": invalidManifest,
  };
}
