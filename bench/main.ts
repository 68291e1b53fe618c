import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { BenchResult } from "./report.js";

/**
 * `npm run bench [-- --smoke] [-- --only name,name]`: every benchmark on
 * loopback, bounded in count and time, written to BENCHMARKS.md. A smoke run
 * and a run of some benchmarks (--only) write to bench/results/ instead, so
 * neither overwrites the full set of real figures.
 */

const root = process.cwd();
const args = process.argv.slice(2);

// Measured children load only their own code (each a lazy chunk), so their memory is their own.
if (args[0] === "child" && args[1] === "download") {
  await (await import("./child-download.js")).downloadChild(args.slice(2));
} else if (args[0] === "child" && args[1] === "orchestrate") {
  await (await import("./child-orchestrate.js")).orchestrateChild(args.slice(2));
} else {
  const { bundleSize } = await import("./bundle.js");
  const { renderBenchmarks } = await import("./report.js");
  const { coldStart, estimateAtScale } = await import("./startup.js");
  const { downloads, orchestration } = await import("./workloads.js");
  const smoke = args.includes("--smoke");
  const only = args.includes("--only") ? new Set(args[args.indexOf("--only") + 1]!.split(",")) : undefined;
  const want = (name: string) => !only || only.has(name);
  const reps = smoke ? 1 : 5;
  const results: BenchResult[] = [];
  const step = async (name: string, fn: () => Promise<BenchResult>) => {
    if (!want(name)) return;
    const started = Date.now();
    process.stdout.write(`bench ${name} … `);
    const r = await fn();
    results.push(r);
    console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const v of r.verdicts) console.log(`  ${v}`);
  };

  await step("estimate", () => estimateAtScale(root, smoke ? [1_000] : [1_000, 10_000, 100_000], reps));
  await step("cold-start", () => coldStart(root, smoke ? 1 : 15));
  await step("orchestration", () => orchestration(root, smoke ? { runs: 20, concurrency: 5, modelMs: 50, reps: 1 } : { runs: 1000, concurrency: 50, modelMs: 200, reps: 3 }));
  await step("downloads", () => downloads(root, smoke ? { files: 2, sizeMb: 4, reps: 1 } : { files: 20, sizeMb: 100, reps: 5 }));
  // Memory must not follow the file size: the same download with files ten times smaller and five times larger.
  if (!smoke) await step("downloads-small", () => downloads(root, { files: 20, sizeMb: 10, reps: 3, throughputTarget: false }));
  if (!smoke) await step("downloads-large", () => downloads(root, { files: 4, sizeMb: 500, reps: 1, throughputTarget: false }));
  await step("bundle", () => bundleSize(root));
  await step("lock", async () => (await import("./lock.js")).lockAtScale(root, smoke ? 1_000 : 100_000, reps));
  await step("shard", async () => (await import("./shard.js")).shardAtScale(root, smoke ? 1_000 : 100_000, smoke ? 4 : 20, reps));

  const findings = await (await import("node:fs/promises")).readFile(path.join(root, "bench/findings.md"), "utf8");
  const md = renderBenchmarks(results, { date: new Date().toISOString().slice(0, 10), reps, smoke, findings });
  // BENCHMARKS.md holds every benchmark: a smoke run or a run of some (--only) is written beside it, not over it.
  const file = smoke ? path.join(root, "bench/results/BENCHMARKS.smoke.md") : only ? path.join(root, "bench/results/BENCHMARKS.only.md") : path.join(root, "BENCHMARKS.md");
  if (smoke || only) await (await import("node:fs/promises")).mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, md);
  console.log(`wrote ${path.relative(root, file)}`);
}
