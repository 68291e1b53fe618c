import { spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeGitHub, GITHUB_TOKEN, DEFAULT_OWNER, DEFAULT_REPO } from "./fakes/github-server.js";
import type { FakeFal } from "./fakes/fal.js";
import { CLI, readRunReport, runAction, type ActionRun } from "./helpers/action.js";
import { useRunFakes } from "./helpers/run-fakes.js";
import { FakeGitHubRepo } from "./fakes/github-repo.js";
import { displayUsd } from "../src/util/money.js";
import { mergeShardReports } from "../src/report/merge.js";
import type { RunModeReport } from "../src/report/model.js";
import { parseReport } from "../src/report/schema.js";

/**
 * One batch across a matrix, through the built dist/index.js against the
 * loopback fakes: 3 shards (`shard: i/3`), then the merge job (`merge`) on the
 * reports they uploaded, as actions/download-artifact with merge-multiple puts
 * them in one folder.
 */

const fakes = useRunFakes();
let gh: FakeGitHub;
beforeEach(async () => {
  gh = await FakeGitHub.start();
});
afterEach(async () => {
  await gh.close();
});

const PR = 7;
const event = { name: "pull_request", payload: { pull_request: { number: PR } } };

/** 24 image runs (12 prompts × 2) and 3 video runs: a few expensive runs among many cheap ones. */
const MANIFEST = `version: 1
jobs:
  - id: img
    model: fal-ai/flux/dev
    matrix: {n: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]}
    input: {prompt: "image \${{ matrix.n }}", image_size: square_hd}
    repeat: 2
    concurrency: 2
  - id: clip
    model: fal-ai/veo3
    input: {prompt: "a wave", duration: "4s"}
    repeat: 3
`;
const RUNS = 27;

/** fal bills `factor` × what the input implies: images come back `factor` MP, clips `factor` × 4 s long (no header). */
function billAbove(fal: FakeFal, factor: number): void {
  fal.setModel("fal-ai/flux/dev", {
    latencyMs: 5,
    outcome: ({ fake, requestId }) => ({ output: { images: [{ url: `${fake.url}/cdn/${requestId}/0.png`, content_type: "image/png", width: 1024, height: 1024 * factor }] } }),
  });
  fal.setModel("fal-ai/veo3", { latencyMs: 5, outcome: ({ fake, requestId }) => ({ output: { video: { url: `${fake.url}/cdn/${requestId}/v.mp4`, content_type: "video/mp4", duration: 4 * factor } } }) });
}

async function runShards(budget: string, manifest = MANIFEST, total = 3): Promise<ActionRun[]> {
  const runs: ActionRun[] = [];
  // The matrix's jobs run side by side.
  await Promise.all(
    Array.from({ length: total }, async (_, i) => {
      runs[i] = await fakes.realRun(manifest, { inputs: { budget, shard: `${i + 1}/${total}`, "github-token": GITHUB_TOKEN }, event, env: { ...gh.env(), GITHUB_REPOSITORY: `${DEFAULT_OWNER}/${DEFAULT_REPO}` } });
    }),
  );
  return runs;
}

/** The merge job, on the reports the shards uploaded, written as download-artifact (pattern + merge-multiple) would: one folder. */
async function mergeWith(names: string[], extra: Record<string, string> = {}): Promise<ActionRun> {
  const files: Record<string, string> = {};
  for (const name of names) for (const [file, text] of Object.entries(fakes.artifacts.zipFiles(name))) files[`reports/${file}`] = text;
  return runAction({
    inputs: { merge: "reports/*.json", "github-token": GITHUB_TOKEN },
    files: { "fal-jobs.yaml": MANIFEST, ...files, ...extra },
    event,
    env: { ...gh.env(), GITHUB_REPOSITORY: `${DEFAULT_OWNER}/${DEFAULT_REPO}` },
  });
}

const sumUsd = (values: string[]) => values.reduce((n, v) => n + Math.round(Number(v) * 1e9), 0);

describe("sharded real runs and their merge", () => {
  it("submits every run once across 3 shards, uploads 3 artifacts holding exactly the outputs, and the merge posts one comment with the shards' totals", async () => {
    billAbove(fakes.fal, 1);
    const shards = await runShards("50");
    for (const s of shards) expect(s.code, s.stdout).toBe(0);
    // Every run exactly once: each prompt as often as the manifest asks, and nothing else.
    expect(fakes.fal.submitCount()).toBe(RUNS);
    const perPrompt = new Map<string, number>();
    for (const r of fakes.fal.submissions) perPrompt.set(String(r.input.prompt), (perPrompt.get(String(r.input.prompt)) ?? 0) + 1);
    expect(perPrompt.size).toBe(13);
    expect(perPrompt.get("a wave")).toBe(3);
    for (let n = 1; n <= 12; n++) expect(perPrompt.get(`image ${n}`)).toBe(2);
    // Shards never comment; their summaries say where the comment will come from.
    expect(gh.commentsOn(PR)).toHaveLength(0);
    for (const s of shards) expect(s.summary).toMatch(/Shard \d of 3.*the merge job/);

    const reports = await Promise.all(shards.map(readRunReport));
    expect(reports.map((r) => r.shard!.index).sort()).toEqual([1, 2, 3]);
    expect(reports.reduce((n, r) => n + r.runs.length, 0)).toBe(RUNS);
    // 3 outputs artifacts: their files (outputs only, without the report, lock and result files) are exactly the outputs, each once.
    const outputsOf = (r: (typeof reports)[number]) => r.runs.flatMap((run) => run.outputs.map((o) => o.path!));
    const inArtifacts: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const files = Object.keys(fakes.artifacts.zipFiles(`fal-outputs-${i}-of-3-attempt-1`));
      inArtifacts.push(...files.filter((f) => !/(^|\/)(result\.json|fal-jobs-report\.json|fal-jobs\.lock\.json|fal-jobs-journal\.jsonl)$/.test(f)));
      const report = reports.find((r) => r.shard!.index === i)!;
      expect(files.filter((f) => !/(result\.json|fal-jobs-report\.json|fal-jobs\.lock\.json|fal-jobs-journal\.jsonl)$/.test(f)).sort()).toEqual(outputsOf(report).sort());
    }
    expect(inArtifacts).toHaveLength(RUNS);
    expect(new Set(inArtifacts).size).toBe(RUNS);

    // The merge job: the reports downloaded into one folder.
    const names = [1, 2, 3].map((i) => `fal-outputs-report-${i}-of-3-attempt-1`);
    const merged = await mergeWith(names);
    const ws = merged.workspace;
    expect(merged.code, merged.stdout).toBe(0);
    const billed = sumUsd(shards.map((s) => s.outputs["billed-cost"]!));
    expect(Math.round(Number(merged.outputs["billed-cost"]) * 1e9)).toBe(billed);
    const report = await readRunReport(merged);
    expect(report.runs).toHaveLength(RUNS);
    expect(report.merge!.shards.map((s) => s.status)).toEqual(["complete", "complete", "complete"]);
    expect(report.execution.counts.succeeded).toBe(RUNS);
    // One comment, whose total is the sum of the shards'.
    const comments = gh.commentsOn(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(displayUsd(billed));
    expect(comments[0]!.body).toMatch(/Merged from 3 shard/);
    // One lock: every run, in three stores (one per shard's artifact).
    const lock = JSON.parse(await readFile(path.join(ws, "fal-jobs.lock.json"), "utf8")) as { runs: Record<string, unknown>; stores: Record<string, { artifact: { name: string } | null }> };
    expect(Object.keys(lock.runs)).toHaveLength(RUNS);
    expect(Object.values(lock.stores).map((s) => s.artifact?.name).sort()).toEqual([1, 2, 3].map((i) => `fal-outputs-${i}-of-3-attempt-1`));

    // The CLI merges the same reports to the same figures and lock.
    const cli = await runCli(["merge", "reports/*.json", "--lock", "cli.lock.json", "--report", "cli-report.json"], ws);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/shard 2\/3 complete: \d+ run\(s\), estimated \$[\d.]+, cap \$[\d.]+; billed \$[\d.]+/);
    expect(cli.stdout).toContain(`billed ${displayUsd(billed)}`);
    expect(await readFile(path.join(ws, "cli.lock.json"), "utf8")).toBe(await readFile(path.join(ws, "fal-jobs.lock.json"), "utf8"));
    // The report file, and the --json output, byte for byte what JSON.stringify makes of the merge of the shards'
    // reports read plainly (JSON.parse of their UTF-8 text), however the CLI reads and writes them.
    const cliText = await readFile(path.join(ws, "cli-report.json"), "utf8");
    const expected = await plainMerge(ws, cliText);
    expected.lock.written = "cli.lock.json";
    expect(cliText).toBe(`${JSON.stringify(expected)}\n`);
    const cliJson = await runCli(["merge", "reports/*.json", "--json"], ws);
    expect(cliJson.stdout).toBe(`${JSON.stringify(await plainMerge(ws, cliJson.stdout))}\n`);
    // The action writes it pretty-printed: the same as JSON.stringify with an indent of 2.
    const actionText = await readFile(merged.outputs["report-path"]!, "utf8");
    expect(actionText).toBe(`${JSON.stringify(JSON.parse(actionText), null, 2)}\n`);
    const est = await runCli(["estimate", "fal-jobs.yaml", "--budget", "50", "--price-source", "catalog", "--lock", "off", "--shard", "2/3"], ws);
    const share = reports.find((r) => r.shard!.index === 2)!.shard!;
    expect(est.stdout).toContain(`Shard 2/3 of a real run: ${share.runs} of the ${RUNS} run(s) to submit, estimated ${displayUsd(share.estimated_nano)}, capped at ${displayUsd(share.budget_nano!)}.`);

    // Refused, each with a clear message: a missing shard, a shard twice, a report of another manifest.
    const two = await mergeWith(names.slice(0, 2));
    expect(two.code).toBe(1);
    expect(two.stdout).toMatch(/shard 3 of 3 has no report .*are of unknown cost/);
    expect(two.outputs["billed-cost"]).toBe("");
    const missing = await readRunReport(two);
    expect(missing.merge!.missing_runs).toBe(reports.find((r) => r.shard!.index === 3)!.runs.length);
    expect(missing.execution.unknown_runs).toBe(missing.merge!.missing_runs);

    const twice = await mergeWith(names, { "reports/copy.json": JSON.stringify(reports[0]) });
    expect(twice.code).toBe(1);
    expect(twice.stdout).toMatch(/merge refused: shard \d of 3 is there twice, from the same attempt/);

    const other = structuredClone(reports[1]!);
    other.shard!.manifest_sha256 = "f".repeat(64);
    const foreign = await mergeWith(names, { [`reports/fal-jobs-report-${other.shard!.index}-of-3-attempt-1.json`]: JSON.stringify(other) });
    expect(foreign.code).toBe(1);
    expect(foreign.stdout).toMatch(/merge refused: .* is the report of another manifest/);
    const cliTwice = await runCli(["merge", "reports/*.json"], twice.workspace);
    expect(cliTwice.code).toBe(2);
    expect(cliTwice.stderr).toMatch(/is there twice/);
  }, 120_000);

  it("the shards together commit no more than the budget, however far above its estimate fal bills", async () => {
    // fal bills 8× the estimate for every run; $6 (the estimate is $5.40) across 3 shards.
    billAbove(fakes.fal, 8);
    const shards = await runShards("6");
    const reports = await Promise.all(shards.map(readRunReport));
    const caps = reports.map((r) => r.shard!.budget_nano!);
    expect(caps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(6e9);
    // Every shard split the same plan, the same way.
    expect(new Set(reports.map((r) => r.shard!.partition)).size).toBe(1);
    for (const r of reports) expect(reports[0]!.shard!.shares[r.shard!.index - 1]).toMatchObject({ runs: r.shard!.runs, budget_nano: r.shard!.budget_nano });
    for (const r of reports) {
      // Each started run fit its shard's cap at its start: what was committed before it (billed, once settled) plus its estimate.
      const submitted = r.runs.filter((run) => run.submitted);
      const maxOverrun = Math.max(0, ...submitted.map((run) => run.billed.cost_nano! - run.estimated_nano));
      const concurrency = 2 + 1;
      expect(r.execution.billed_nano).toBeLessThanOrEqual(r.shard!.budget_nano! + concurrency * maxOverrun);
      expect(r.execution.counts["skipped-budget"]).toBeGreaterThan(0);
    }
    // Each run is submitted in one shard at most, and only within that shard's cap.
    expect(fakes.fal.submitCount()).toBe(reports.reduce((n, r) => n + r.runs.filter((run) => run.submitted).length, 0));
    expect(fakes.fal.submitCount()).toBeLessThan(RUNS);
  }, 120_000);

  it("the merge job saves the one lock to the branch (lock-save: commit), and the next sharded run pays for nothing", async () => {
    billAbove(fakes.fal, 1);
    const repo = await FakeGitHubRepo.start();
    try {
      const manifest = "version: 1\njobs:\n  - {id: cats, model: fal-ai/flux/schnell, repeat: 6, input: {prompt: a cat}}\n";
      const push = { GITHUB_REF: "refs/heads/main", GITHUB_API_URL: repo.url };
      const shardsOf = (files: Record<string, string>) =>
        Promise.all([1, 2].map((i) => fakes.realRun(manifest, { inputs: { budget: "5", shard: `${i}/2` }, files, env: push })));
      const first = await shardsOf({});
      for (const s of first) expect(s.code, s.stdout).toBe(0);
      expect(fakes.fal.submitCount()).toBe(6);
      // Shards wrote no lock to the branch.
      expect(repo.file("main", "fal-jobs.lock.json")).toBeUndefined();
      const files: Record<string, string> = { "fal-jobs.yaml": manifest };
      for (const i of [1, 2]) for (const [file, text] of Object.entries(fakes.artifacts.zipFiles(`fal-outputs-report-${i}-of-2-attempt-1`))) files[`reports/${file}`] = text;
      const merged = await runAction({ inputs: { merge: "reports/*.json", "lock-save": "commit", "github-token": "ghs_fake" }, files, env: push });
      expect(merged.code, merged.stdout).toBe(0);
      expect(merged.summary).toMatch(/The lock changed and was committed to `main@[0-9a-f]{12}`/);
      const lock = repo.file("main", "fal-jobs.lock.json")!;
      expect(Object.keys((JSON.parse(lock) as { runs: object }).runs)).toHaveLength(6);
      // The next run checks out the branch head, with that lock: its shards submit nothing.
      const second = await shardsOf({ "fal-jobs.lock.json": lock });
      for (const s of second) expect(s.outputs["new-runs"]).toBe("0");
      expect(fakes.fal.submitCount()).toBe(6);
    } finally {
      await repo.close();
    }
  }, 120_000);

  it("a dry run is not sharded, and a shard cannot save the lock", async () => {
    const dry = await runAction({ inputs: { budget: "50", shard: "2/3" }, files: { "fal-jobs.yaml": MANIFEST } });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/shard 2\/3 is ignored in a dry run/);
    expect(dry.outputs["new-runs"]).toBe(String(RUNS));
    const save = await fakes.realRun(MANIFEST, { inputs: { budget: "50", shard: "1/3", "lock-save": "commit" } });
    expect(save.code).toBe(1);
    expect(save.stdout).toMatch(/lock-save: commit cannot be used with shard/);
    expect(fakes.fal.submitCount()).toBe(0);
    const bad = await fakes.realRun(MANIFEST, { inputs: { budget: "50", shard: "4/3" } });
    expect(bad.stdout).toMatch(/shard: the shard must be 1 to 3 \(got 4\)/);
  });
});

/** The merged report of the shard reports in `ws`/reports, each read by JSON.parse of its UTF-8 text, made when `text`'s report was. */
async function plainMerge(ws: string, text: string): Promise<RunModeReport> {
  const dir = path.join(ws, "reports");
  const names = (await readdir(dir)).filter((n) => !n.startsWith("fal-jobs.lock")).sort();
  const files = await Promise.all(names.map(async (n) => ({ file: `reports/${n}`, report: parseReport(JSON.parse(await readFile(path.join(dir, n), "utf8"))) as RunModeReport })));
  return mergeShardReports(files, new Date((JSON.parse(text) as RunModeReport).generated_at)).report;
}

async function runCli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  return { code, stdout, stderr };
}
