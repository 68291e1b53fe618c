import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fmt, measure, repeat } from "./measure.js";
import type { BenchResult } from "./report.js";

/**
 * Whole-process benchmarks against the floor (`node -e ''`): estimating huge
 * manifests with the CLI, and the action's cold start on the example.
 */

const MODELS = [
  "fal-ai/flux/dev",
  "fal-ai/flux/schnell",
  "fal-ai/kling-video/v2.1/master/text-to-video",
  // a per-second video model whose duration options include "5" (veo3 takes 4s, 6s or 8s: its inputs are checked now)
  "fal-ai/wan-25-preview/text-to-video",
  "fal-ai/kokoro/american-english",
];

/** A manifest of 10 jobs whose matrices (10 × runs/100) expand to `runs` runs in all. */
export function scaleManifest(runs: number): string {
  const perJob = runs / 10;
  if (!Number.isInteger(perJob / 10)) throw new Error(`runs must be a multiple of 100, got ${runs}`);
  const list = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`).join(", ");
  const jobs = Array.from({ length: 10 }, (_, j) => {
    const model = MODELS[j % MODELS.length]!;
    return [
      `  - id: job-${j}`,
      `    model: ${model}`,
      `    matrix: {a: [${list(10)}], b: [${list(perJob / 10)}]}`,
      `    input: {prompt: "a \${{ matrix.a }} in \${{ matrix.b }}", num_images: 1, duration: "5"}`,
    ].join("\n");
  });
  return `version: 1\nbudget: 9000000\njobs:\n${jobs.join("\n")}\n`;
}

async function floor(reps: number) {
  return repeat(reps, () => measure([process.execPath, "-e", ""]));
}

export async function estimateAtScale(root: string, sizes: number[], reps: number): Promise<BenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), "fal-bench-est-"));
  const base = await floor(reps);
  const rows: string[][] = [["`node -e ''` (floor)", "—", `${fmt(base.wallMs)} ms`, "1.00×", `${fmt(base.rssMb)} MB`]];
  const verdicts: string[] = [];
  for (const n of sizes) {
    const file = path.join(dir, `m${n}.yaml`);
    await writeFile(file, scaleManifest(n));
    const r = await repeat(reps, () => measure([process.execPath, path.join(root, "dist/cli.js"), "estimate", file, "--json", "--price-source", "catalog"]));
    const runsSeen = (JSON.parse(r.samples[0]!.stdout) as { totals: { runs: number } }).totals.runs;
    if (runsSeen !== n) throw new Error(`expected ${n} runs, the estimate counted ${runsSeen}`);
    rows.push([`\`fal-jobs estimate --json\`, ${fmt(n)} runs`, fmt(n), `${fmt(r.wallMs)} ms`, `${(r.wallMs / base.wallMs).toFixed(2)}×`, `${fmt(r.rssMb)} MB`]);
    if (n === 100_000) {
      const over = r.wallMs - base.wallMs;
      verdicts.push(`100,000 runs: ${fmt(over)} ms above the floor (target < 1,000 ms) ${over < 1000 ? "✅" : "❌"}, peak RSS ${fmt(r.rssMb)} MB (target < 300 MB) ${r.rssMb < 300 ? "✅" : "❌"}`);
    }
  }
  return {
    title: "1. Estimate at scale",
    command: "node dist/cli.js estimate <manifest> --json --price-source catalog",
    table: [["Command", "Runs", "Median wall", "× floor", "Median peak RSS"], ...rows],
    verdicts,
  };
}

export async function coldStart(root: string, reps: number): Promise<BenchResult> {
  const runner = await mkdtemp(path.join(tmpdir(), "fal-bench-cold-"));
  await mkdir(path.join(runner, "out"), { recursive: true });
  const output = path.join(runner, "output");
  const summary = path.join(runner, "summary.md");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "push",
    GITHUB_REPOSITORY: "acme/widgets",
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    INPUT_MANIFEST: path.join(root, "examples/fal-jobs.yaml"),
    "INPUT_DRY-RUN": "true",
    "INPUT_PRICE-SOURCE": "catalog",
    INPUT_COMMENT: "update",
    "INPUT_OUTPUT-DIR": path.join(runner, "out"),
  };
  const once = async () => {
    await writeFile(output, "");
    await writeFile(summary, "");
    const s = await measure([process.execPath, path.join(root, "dist/index.js")], { env, cwd: runner });
    if (s.code !== 0) throw new Error(`the dry run failed (exit ${s.code}): ${s.stdout.slice(-400)}`);
    return s;
  };
  const base = await floor(reps);
  const ours = await repeat(reps, once);
  const ratio = ours.wallMs / base.wallMs;
  return {
    title: "2. Cold start",
    command: "INPUT_MANIFEST=examples/fal-jobs.yaml INPUT_DRY-RUN=true … node dist/index.js (a push event: summary, no comment)",
    table: [
      ["Command", "Median wall", "× floor", "Median peak RSS"],
      ["`node -e ''` (floor)", `${fmt(base.wallMs)} ms`, "1.00×", `${fmt(base.rssMb)} MB`],
      ["`node dist/index.js`, dry run of the example", `${fmt(ours.wallMs)} ms`, `${ratio.toFixed(2)}×`, `${fmt(ours.rssMb)} MB`],
    ],
    verdicts: [`cold start ${ratio.toFixed(2)}× the floor (target ≤ 3×) ${ratio <= 3 ? "✅" : "❌"}`],
  };
}
