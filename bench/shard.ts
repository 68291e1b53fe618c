import { spawnSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { FAL_DEFAULTS } from "../src/adapters/fal/endpoints.js";
import { estimateManifest } from "../src/flows/estimate-flow.js";
import { shardWork } from "../src/flows/shard.js";
import { iterateRuns } from "../src/plan/expand.js";
import { partitionRuns } from "../src/plan/partition.js";
import type { RunEntry, RunModeReport } from "../src/report/model.js";
import { formatUsd } from "../src/util/money.js";
import { fmt, measure, repeat } from "./measure.js";
import type { BenchResult } from "./report.js";
import { scaleManifest } from "./startup.js";

/**
 * Scale-out: (1) `fal-jobs estimate --shard 1/20` on a manifest of `runs`
 * runs (estimate, then key and partition every run), against the estimate
 * benchmark's targets; (2) `fal-jobs merge` of `shards` shard reports holding
 * `runs / shards` runs each, made from the real partition of the same
 * manifest, each a schema-valid run report.
 */
export async function shardAtScale(root: string, runs: number, shards: number, reps: number): Promise<BenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), "fal-bench-shard-"));
  const manifest = path.join(dir, "fal-jobs.yaml");
  await writeFile(manifest, scaleManifest(runs));
  const cli = path.join(root, "dist/cli.js");

  const base = await repeat(reps, () => measure([process.execPath, "-e", ""]));
  const estimate = await repeat(reps, () => measure([process.execPath, cli, "estimate", manifest, "--price-source", "catalog", "--lock", "off"]));
  const sharded = await repeat(reps, () => measure([process.execPath, cli, "estimate", manifest, "--price-source", "catalog", "--lock", "off", "--shard", `1/${shards}`]));
  if (!new RegExp(`Shard 1/${shards} of a real run: [\\d,]+ of the ${runs} run`).test(sharded.samples[0]!.stdout)) throw new Error(`no shard line in: ${sharded.samples[0]!.stdout.slice(-300)}`);

  // In process: the partition alone (keys already made), and the shard reports for the merge.
  const outcome = await estimateManifest({ manifestPath: manifest, priceSource: "catalog", endpoints: FAL_DEFAULTS, lockPath: null, context: { repository: "acme/widgets", run_id: "1", run_attempt: "1" } });
  const keys: string[] = [];
  const costs: number[] = [];
  for (const run of iterateRuns(outcome.toRun)) {
    keys.push(outcome.lock.diff.keys.of(run));
    costs.push(outcome.estimate.jobs[run.job.index]!.variants[run.variantIndex]!.costPerRunNano ?? 0);
  }
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const started = performance.now();
    partitionRuns((i) => keys[i]!, costs, shards);
    times.push(performance.now() - started);
  }
  const partitionMs = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;

  const reportsDir = path.join(dir, "reports");
  const { mkdir } = await import("node:fs/promises");
  await mkdir(reportsDir);
  let largest = 0;
  for (let i = 1; i <= shards; i++) {
    const work = await shardWork(outcome, { index: i, total: shards }, manifest);
    const report = shardReport(outcome.report, work.plan, work.block);
    largest = Math.max(largest, report.runs.length);
    await writeFile(path.join(reportsDir, `fal-jobs-report-${i}-of-${shards}-attempt-1.json`), JSON.stringify(report));
  }
  const merged = await repeat(reps, () => measure([process.execPath, cli, "merge", path.join(reportsDir, "*.json"), "--report", path.join(dir, "merged.json")]));
  if (merged.samples[0]!.code !== 0 || !merged.samples[0]!.stdout.includes(`run: ${fmt(runs)} succeeded`)) {
    const again = spawnSync(process.execPath, [cli, "merge", path.join(reportsDir, "*.json")], { encoding: "utf8", maxBuffer: 1 << 26 });
    throw new Error(`merge failed (exit ${merged.samples[0]!.code}): ${merged.samples[0]!.stdout.slice(-500)} ${again.stderr.slice(0, 1500)}`);
  }

  const partitionOver = sharded.wallMs - base.wallMs;
  const perShard = Math.round(runs / shards);
  return {
    title: "7. Scale-out: shards and their merge",
    command: `node dist/cli.js estimate <manifest of ${fmt(runs)} runs> --shard 1/${shards}; node dist/cli.js merge '<${shards} shard reports>/*.json'`,
    table: [
      ["Command", "Median wall", "× floor", "Median peak RSS"],
      ["`node -e ''` (floor)", `${fmt(base.wallMs)} ms`, "1.00×", `${fmt(base.rssMb)} MB`],
      [`estimate, ${fmt(runs)} runs, lock off`, `${fmt(estimate.wallMs)} ms`, `${(estimate.wallMs / base.wallMs).toFixed(2)}×`, `${fmt(estimate.rssMb)} MB`],
      [`the same with --shard 1/${shards} (every run keyed and partitioned)`, `${fmt(sharded.wallMs)} ms`, `${(sharded.wallMs / base.wallMs).toFixed(2)}×`, `${fmt(sharded.rssMb)} MB`],
      [`partitionRuns alone, ${fmt(runs)} keys into ${shards} shards (in process)`, `${fmt(partitionMs)} ms`, "—", "—"],
      [`merge ${shards} shard reports of about ${fmt(perShard)} runs each (largest ${fmt(largest)})`, `${fmt(merged.wallMs)} ms`, `${(merged.wallMs / base.wallMs).toFixed(2)}×`, `${fmt(merged.rssMb)} MB`],
    ],
    verdicts:
      runs === 100_000
        ? [
            `estimate with --shard: ${fmt(partitionOver)} ms above the floor (the estimate benchmark's target < 1,000 ms) ${partitionOver < 1000 ? "✅" : "❌"}, peak RSS ${fmt(sharded.rssMb)} MB (target < 300 MB) ${sharded.rssMb < 300 ? "✅" : "❌"}`,
            `merge of ${shards} × ${fmt(perShard)} runs: ${fmt(merged.wallMs)} ms (target < 2,000 ms) ${merged.wallMs < 2000 ? "✅" : "❌"}`,
          ]
        : [],
  };
}

/** A schema-valid shard report: every run of the shard succeeded, billed at its estimate by fal's header. */
function shardReport(estimate: RunModeReport | Awaited<ReturnType<typeof estimateManifest>>["report"], plan: Parameters<typeof iterateRuns>[0], block: NonNullable<RunModeReport["shard"]>): RunModeReport {
  const runs: RunEntry[] = [];
  const perJob = new Map<string, { runs: number; nano: number }>();
  let billed = 0;
  for (const run of iterateRuns(plan)) {
    const cost = estimate.jobs[run.job.index]!.variants[0]!.cost_per_run_nano ?? 0;
    billed += cost;
    const j = perJob.get(run.job.id) ?? perJob.set(run.job.id, { runs: 0, nano: 0 }).get(run.job.id)!;
    j.runs++;
    j.nano += cost;
    const at = "2026-12-01T10:00:00.000Z";
    runs.push({
      id: run.id,
      job: run.job.id,
      model: run.job.model,
      variant: run.variant.label,
      repeat: run.repeat,
      status: "succeeded",
      submitted: true,
      submit_outcome: "accepted",
      request_id: `req-${runs.length}-${block.index}`,
      error: null,
      timings: { started_at: at, submitted_at: at, completed_at: at, finished_at: at, total_ms: 1000 },
      estimated: formatUsd(cost),
      estimated_nano: cost,
      billed: { source: "header", units: 1, unit_price: cost / 1e9, cost_nano: cost, cost: formatUsd(cost) },
      over_estimate: false,
      dir: `${run.job.id}/${runs.length}`,
      outputs: [{ source: "images[0]", url: `https://v3.fal.media/files/x/${runs.length}.png`, content_type: "image/png", path: `${run.job.id}/${runs.length}/images_0.png`, bytes: 1_234_567, sha256: "a".repeat(64), error: null }],
    });
  }
  const counts = (n: number) => ({ succeeded: n, failed: 0, cancelled: 0, "skipped-budget": 0, "timed-out": 0 });
  const summary = (n: number, nano: number) => ({ counts: counts(n), billed_nano: nano, billed_runs: n, pending_runs: 0, unknown_runs: 0, delta_nano: 0, error_pct: nano > 0 ? 0 : null, over_estimate_runs: 0 });
  return {
    ...estimate,
    mode: "run",
    jobs: estimate.jobs.map((j) => {
      const s = perJob.get(j.id) ?? { runs: 0, nano: 0 };
      return { ...j, run: { ...summary(s.runs, s.nano), billed_sources: s.runs ? ["header" as const] : [], errors: [] } };
    }),
    runs,
    locked: [],
    execution: {
      started_at: "2026-12-01T10:00:00.000Z",
      finished_at: "2026-12-01T10:30:00.000Z",
      duration_ms: 1_800_000,
      cancelled: false,
      cancel_reason: null,
      billing: { source: "header-and-outputs", status: "not-used", detail: null },
      billed: formatUsd(billed),
      ...summary(runs.length, billed),
      artifact: { name: `fal-outputs-${block.index}-of-${block.total}-attempt-1`, id: block.index, url: `https://github.com/acme/widgets/actions/runs/1/artifacts/${block.index}` },
      artifact_error: null,
      output_dir: "/tmp/fal-outputs",
    },
    shard: block,
  } as RunModeReport;
}
