import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { runKeys } from "../src/lock/key.js";
import { emptyLock, type Lock } from "../src/lock/schema.js";
import { writeLockFile } from "../src/lock/write.js";
import { parseManifest } from "../src/manifest/load.js";
import { buildPlan, iterateRuns } from "../src/plan/expand.js";
import { fmt, measure, repeat } from "./measure.js";
import type { BenchResult } from "./report.js";
import { scaleManifest } from "./startup.js";

/**
 * The lock at scale: a manifest of `n` runs estimated against a lock that
 * holds every one of them (so the estimate must key and look up every run),
 * and the time to write a lock of `n` entries (serialize + atomic write).
 */
export async function lockAtScale(root: string, n: number, reps: number): Promise<BenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), "fal-bench-lock-"));
  const manifestText = scaleManifest(n);
  const manifest = path.join(dir, "fal-jobs.yaml");
  await writeFile(manifest, manifestText);

  const plan = buildPlan(parseManifest(manifestText));
  const keys = runKeys(plan);
  const lock: Lock = { ...emptyLock(), stores: { "1.1": { repository: "acme/widgets", run_id: "1", run_attempt: "1", artifact: { name: "fal-outputs-attempt-1", id: 1, url: "https://github.com/acme/widgets/actions/runs/1/artifacts/1" } } } };
  let i = 0;
  for (const run of iterateRuns(plan)) {
    const id = (i++).toString(16).padStart(8, "0");
    lock.runs[keys.of(run)] = {
      job: run.job.id,
      run: run.id,
      model: run.job.model,
      request_id: `0199${id}-aaaa-bbbb-cccc-${id}dddd`,
      finished_at: "2026-12-01T10:00:00.000Z",
      estimated_nano: 25_000_000,
      billed: "0.025",
      billed_nano: 25_000_000,
      billed_source: "header",
      outputs: [{ name: `${run.job.id}/${id}/images_0.png`, content_type: "image/png", size: 1_234_567, sha256: id.repeat(8), url: `https://v3.fal.media/files/penguin/${id}.png` }],
      stored_in: "1.1",
    };
  }
  const lockFile = path.join(dir, "fal-jobs.lock.json");
  const writes: number[] = [];
  for (let r = 0; r < reps; r++) {
    const started = performance.now();
    await writeLockFile(lockFile, lock);
    writes.push(performance.now() - started);
  }
  const writeMs = writes.sort((a, b) => a - b)[Math.floor(writes.length / 2)]!;

  const base = await repeat(reps, () => measure([process.execPath, "-e", ""]));
  const est = await repeat(reps, () => measure([process.execPath, path.join(root, "dist/cli.js"), "estimate", manifest, "--json", "--price-source", "catalog"]));
  const totals = (JSON.parse(est.samples[0]!.stdout) as { totals: { runs: number; locked_runs: number } }).totals;
  if (totals.locked_runs !== n || totals.runs !== 0) throw new Error(`expected ${n} locked runs and 0 new, got ${totals.locked_runs} and ${totals.runs}`);
  const over = est.wallMs - base.wallMs;
  return {
    title: "6. The lock at scale",
    command: `node dist/cli.js estimate <manifest of ${fmt(n)} runs> --json --price-source catalog, beside a lock holding all of them`,
    table: [
      ["Command", "Median wall", "× floor", "Median peak RSS"],
      ["`node -e ''` (floor)", `${fmt(base.wallMs)} ms`, "1.00×", `${fmt(base.rssMb)} MB`],
      [`estimate, ${fmt(n)} runs against a ${fmt(n)}-entry lock`, `${fmt(est.wallMs)} ms`, `${(est.wallMs / base.wallMs).toFixed(2)}×`, `${fmt(est.rssMb)} MB`],
      [`write a ${fmt(n)}-entry lock (serialize + atomic write, in process)`, `${fmt(writeMs)} ms`, "—", "—"],
    ],
    verdicts:
      n === 100_000
        ? [
            `estimate against the lock: ${fmt(over)} ms above the floor (target < 1,000 ms) ${over < 1000 ? "✅" : "❌"}, peak RSS ${fmt(est.rssMb)} MB (target < 300 MB) ${est.rssMb < 300 ? "✅" : "❌"}`,
            `writing the lock: ${fmt(writeMs)} ms (target < 1,000 ms) ${writeMs < 1000 ? "✅" : "❌"}`,
          ]
        : [],
  };
}
