import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseFigures } from "../src/comment/marker.js";
import type { EstimateReport, Report } from "../src/report/model.js";
import { reportJsonSchema } from "../src/report/schema.js";
import { displayUsd, formatUsd } from "../src/util/money.js";
import { DEFAULT_OWNER, DEFAULT_REPO, FakeGitHub, GITHUB_TOKEN } from "./fakes/github-server.js";
import { annotations, CLI, runAction } from "./helpers/action.js";
import { useRunFakes } from "./helpers/run-fakes.js";

/**
 * The base diff through the built dist/index.js: on a pull request the manifest (and its lock) at the base commit is
 * estimated too, from git when the checkout has the commit, else through the loopback GitHub fake's contents API,
 * and the comment, the report and fail-on-increase compare with it. Expected figures come from the built CLI's own
 * estimate of each manifest, never typed in.
 */

const fakes = useRunFakes();
let gh: FakeGitHub;
beforeEach(async () => {
  gh = await FakeGitHub.start();
});
afterEach(async () => {
  await gh.close();
});

const PR = 17;
const BASE = "ba5e".padEnd(40, "0");
const HEAD = "4ead".padEnd(40, "0");

const BASE_MANIFEST = `version: 1
budget: 5
jobs:
  - id: hero
    model: fal-ai/flux/dev
    input: {prompt: "a lighthouse", image_size: landscape_4_3}
  - id: cats
    model: fal-ai/flux/schnell
    matrix: {mood: [happy, sad]}
    input: {prompt: "a \${{ matrix.mood }} cat", image_size: square}
`;
// hero twice the images (new runs), cats as they were, and a new job.
const HEAD_MANIFEST = `${BASE_MANIFEST.replace('image_size: landscape_4_3}', "image_size: landscape_4_3, num_images: 2}")}  - id: dogs
    model: fal-ai/flux/schnell
    repeat: 2
    input: {prompt: "a dog", image_size: square}
`;

interface PrRun {
  workspace?: string;
  files?: Record<string, string>;
  base?: string;
  inputs?: Record<string, string>;
  runId?: string;
}

function prRun(o: PrRun = {}) {
  return runAction({
    workspace: o.workspace,
    files: o.files ?? (o.workspace ? undefined : { "fal-jobs.yaml": HEAD_MANIFEST }),
    inputs: { "github-token": GITHUB_TOKEN, "price-source": "catalog", ...o.inputs },
    event: { name: "pull_request", payload: { number: PR, pull_request: { number: PR, head: { sha: HEAD }, base: { sha: o.base ?? BASE } } } },
    env: { ...gh.env(), GITHUB_REPOSITORY: `${DEFAULT_OWNER}/${DEFAULT_REPO}`, GITHUB_RUN_ID: o.runId ?? "1000" },
  });
}

async function reportOf(run: { outputs: Record<string, string> }): Promise<Report> {
  return JSON.parse(await readFile(run.outputs["report-path"]!, "utf8")) as Report;
}

/** The built CLI's estimate of `manifest` (with `lock` when given): the figures the action must agree with. */
async function cliEstimate(manifest: string, lock?: string): Promise<EstimateReport> {
  const dir = await mkdtemp(path.join(tmpdir(), "fal-jobs-cli-"));
  await writeFile(path.join(dir, "m.yaml"), manifest);
  if (lock) await writeFile(path.join(dir, "lock.json"), lock);
  const child = spawn(process.execPath, [CLI, "estimate", "m.yaml", "--price-source", "catalog", "--json", "--lock", lock ? "lock.json" : "off"], { cwd: dir, env: { PATH: process.env.PATH ?? "" } });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.on("close", resolve));
  return JSON.parse(out) as EstimateReport;
}

type Figures = { runs: number; estimated: string; estimated_nano: number; unknown_runs: number };
const pick = ({ runs, estimated, estimated_nano, unknown_runs }: Figures): Figures => ({ runs, estimated, estimated_nano, unknown_runs });
const figures = (r: EstimateReport) => ({ to_spend: pick(r.totals), full: r.totals.full });

/** A figure in a table cell: kept on one line by no-break spaces, and a word joiner after a minus sign. */
const cell = (text: string) => text.replace(/ /g, "\u00a0").replace(/\u2212/g, "\u2212\u2060");

/** "+$0.05 (+100%)" the way the comment writes a rise from `base` to `head` (the manifests here keep it at 10% or more). */
function rise(base: number, head: number): string {
  return `+${displayUsd(head - base)} (${base === 0 ? "from $0" : `+${Math.round(((head - base) / base) * 100)}%`})`;
}

const contentRequests = () => gh.requests.filter((r) => r.url.includes("/contents/"));

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" }).trim();
}

describe("the base diff on pull requests", () => {
  it("the comment shows to spend, full and the change against the base, whose manifest and lock come from the contents API", async () => {
    // main ran the base manifest for real: its lock holds every base run.
    const main = await mkdtemp(path.join(tmpdir(), "fal-jobs-main-"));
    const paid = await fakes.realRun(BASE_MANIFEST, { workspace: main });
    expect(paid.code, paid.stdout).toBe(0);
    const lock = await readFile(path.join(main, "fal-jobs.lock.json"), "utf8");
    gh.addCommit(BASE, { "fal-jobs.yaml": BASE_MANIFEST, "fal-jobs.lock.json": lock });

    // The pull request branch has main's lock and the changed manifest.
    const run = await prRun({ files: { "fal-jobs.yaml": HEAD_MANIFEST, "fal-jobs.lock.json": lock } });
    expect(run.code, run.stdout).toBe(0);
    const report = await reportOf(run);
    const [head, base] = [await cliEstimate(HEAD_MANIFEST, lock), await cliEstimate(BASE_MANIFEST, lock)];

    expect(report.base).toMatchObject({ sha: BASE, source: "api", detail: null, totals: figures(base), fail_on_increase: null });
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(reportJsonSchema());
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.base!.jobs).toEqual(base.jobs.map((j) => ({ id: j.id, to_spend: pick(j), full: j.full })));
    // Everything at the base is locked: nothing to spend there. The pull request spends on its new runs only.
    expect(base.totals.estimated_nano).toBe(0);
    expect(head.totals.estimated_nano).toBeGreaterThan(0);
    expect(head.totals.full.estimated_nano).toBeGreaterThan(head.totals.estimated_nano);
    expect(report.totals.estimated_nano).toBe(head.totals.estimated_nano);
    expect(run.outputs["full-cost"]).toBe(formatUsd(head.totals.full.estimated_nano));

    const [comment] = gh.commentsOn(PR);
    const body = comment!.body;
    expect(body).toContain(`| **To spend (new runs)** | ${head.totals.runs} | **${displayUsd(head.totals.estimated_nano)}** | $0.00 | ${cell(rise(0, head.totals.estimated_nano))} |`);
    expect(body).toContain(`| Already paid (in the lock) | ${head.totals.locked_runs} | — | | |`);
    expect(body).toContain(`| Whole manifest | ${head.totals.full.runs} | ${displayUsd(head.totals.full.estimated_nano)} | ${displayUsd(base.totals.full.estimated_nano)} | ${cell(rise(base.totals.full.estimated_nano, head.totals.full.estimated_nano))} |`);
    const job = (r: EstimateReport, id: string) => r.jobs.find((j) => j.id === id)!;
    const row = (id: string) => body.split("\n").find((l) => l.startsWith(`| ${id}<br>`))!;
    const hero = [job(base, "hero"), job(head, "hero")] as const;
    // Per job, the change in what merging spends on it.
    expect(row("hero")).toMatch(new RegExp(`\\| ${displayUsd(hero[1].estimated_nano).replace(/[$.]/g, "\\$&")} \\| ${cell(rise(hero[0].estimated_nano, hero[1].estimated_nano)).replace(/[$.()+]/g, "\\$&")} \\|$`));
    const dogs = job(head, "dogs");
    expect(row("dogs")).toMatch(new RegExp(`\\| ${cell(`+${displayUsd(dogs.estimated_nano)}`).replace(/[$.+]/g, "\\$&")} <sub>new job</sub> \\|$`));
    expect(body).toContain(`<b>Per job</b>: ${head.jobs.length} jobs · ${head.jobs.length - 1} changed against the base branch`);
    expect(body).toContain(`Base branch: commit \`${BASE.slice(0, 12)}\`, read through the GitHub API`);
    // The job summary renders the same tables.
    expect(run.summary).toContain(`| Whole manifest | ${head.totals.full.runs} | ${displayUsd(head.totals.full.estimated_nano)} | ${displayUsd(base.totals.full.estimated_nano)} |`);

    // Both files were read raw at the base commit.
    expect(contentRequests().map((r) => [decodeURIComponent(r.url), r.headers.accept])).toEqual([
      [`/repos/${DEFAULT_OWNER}/${DEFAULT_REPO}/contents/fal-jobs.yaml?ref=${BASE}`, "application/vnd.github.v3.raw"],
      [`/repos/${DEFAULT_OWNER}/${DEFAULT_REPO}/contents/fal-jobs.lock.json?ref=${BASE}`, "application/vnd.github.v3.raw"],
    ]);
  });

  it("reads the base from git when the checkout has the commit, and through the API when a shallow clone does not", async () => {
    const repo = await mkdtemp(path.join(tmpdir(), "fal-jobs-git-"));
    git(repo, "init", "-q");
    await writeFile(path.join(repo, "fal-jobs.yaml"), BASE_MANIFEST);
    git(repo, "add", "fal-jobs.yaml");
    git(repo, "commit", "-q", "-m", "base");
    const baseSha = git(repo, "rev-parse", "HEAD");
    await writeFile(path.join(repo, "fal-jobs.yaml"), HEAD_MANIFEST);
    git(repo, "commit", "-q", "-am", "head");
    const [head, base] = [await cliEstimate(HEAD_MANIFEST), await cliEstimate(BASE_MANIFEST)];

    const fromGit = await prRun({ workspace: repo, base: baseSha, inputs: { comment: "off" } });
    expect(fromGit.code, fromGit.stdout).toBe(0);
    const report = await reportOf(fromGit);
    expect(report.base).toMatchObject({ sha: baseSha, source: "git", totals: figures(base) });
    expect(report.totals.full.estimated_nano).toBe(head.totals.full.estimated_nano);
    expect(gh.requests).toEqual([]);

    // actions/checkout's default: one commit deep, without the base.
    const shallow = await mkdtemp(path.join(tmpdir(), "fal-jobs-shallow-"));
    git(shallow, "clone", "-q", "--depth", "1", `file://${repo}`, ".");
    gh.addCommit(baseSha, { "fal-jobs.yaml": BASE_MANIFEST });
    const fromApi = await prRun({ workspace: shallow, base: baseSha, inputs: { comment: "off" } });
    expect(fromApi.code, fromApi.stdout).toBe(0);
    expect((await reportOf(fromApi)).base).toMatchObject({ sha: baseSha, source: "api", totals: figures(base) });
    expect(fromApi.stdout).toMatch(/the checkout cannot give the base commit \(the repository does not have commit [0-9a-f]{12}\): reading the base through the GitHub API/);
    expect(contentRequests()).toHaveLength(2); // the manifest, then the (missing) lock
  });

  it("a manifest that did not exist at the base is an empty one: base $0, every job added", async () => {
    gh.addCommit(BASE, { "README.md": "no manifest yet\n" });
    const run = await prRun();
    expect(run.code, run.stdout).toBe(0);
    const report = await reportOf(run);
    expect(report.base).toMatchObject({ source: "absent", totals: { to_spend: { estimated_nano: 0, runs: 0 }, full: { estimated_nano: 0, runs: 0 } }, jobs: [] });
    const body = gh.commentsOn(PR)[0]!.body;
    expect(body).toContain("no manifest there: $0");
    expect(body).toContain(`| **To spend (new runs)** | ${report.totals.runs} | **${displayUsd(report.totals.estimated_nano)}** | $0.00 | ${cell(`+${displayUsd(report.totals.estimated_nano)} (from $0)`)} |`);
    for (const j of report.jobs) expect(body.split("\n").find((l) => l.startsWith(`| ${j.id}<br>`))).toMatch(/<sub>new job<\/sub> \|$/);
  });

  it("fail-on-increase, in USD and in percent: passes up to the limit, fails above it saying which figure rose and by how much", async () => {
    gh.addCommit(BASE, { "fal-jobs.yaml": BASE_MANIFEST });
    const free = await reportOf(await prRun({ inputs: { comment: "off" } }));
    const baseNano = free.base!.totals!.to_spend.estimated_nano;
    const delta = free.totals.estimated_nano - baseNano;
    expect(delta).toBeGreaterThan(0);
    const pct = (delta / baseNano) * 100;

    const limited = (limit: string) => prRun({ inputs: { comment: "off", "fail-on-increase": limit } });
    const failures = (run: { stdout: string }) => annotations(run.stdout).map((a) => a.message).join("\n");

    const usdOver = await limited(formatUsd(Math.floor(delta / 2)));
    expect(usdOver.code).toBe(1);
    expect(failures(usdOver)).toContain(`raises the to-spend estimate (new runs) by ${rise(baseNano, free.totals.estimated_nano)}, from ${displayUsd(baseNano)} at the base commit ${BASE.slice(0, 12)}`);
    expect(failures(usdOver)).toContain("raises the full estimate (the whole manifest) by +");
    expect((await reportOf(usdOver)).base!.fail_on_increase).toEqual({ usd_nano: Math.floor(delta / 2), percent: null });
    // An increase of exactly the limit is within it.
    expect((await limited(formatUsd(delta))).code).toBe(0);

    const pctOver = await limited(`${Math.floor(pct / 2)}%`);
    expect(pctOver.code).toBe(1);
    expect(failures(pctOver)).toContain(`more than fail-on-increase allows (+${Math.floor(pct / 2)}%`);
    expect((await limited(`${Math.ceil(pct)}%`)).code).toBe(0);
  });

  it("a real run on a pull request checks fail-on-increase before it submits anything", async () => {
    gh.addCommit(BASE, { "fal-jobs.yaml": BASE_MANIFEST });
    const run = await fakes.realRun(HEAD_MANIFEST, {
      inputs: { "github-token": GITHUB_TOKEN, comment: "off", "fail-on-increase": "0" },
      event: { name: "pull_request", payload: { pull_request: { number: PR, base: { sha: BASE } } } },
      env: { ...gh.env(), GITHUB_REPOSITORY: `${DEFAULT_OWNER}/${DEFAULT_REPO}` },
    });
    expect(run.code).toBe(1);
    expect(annotations(run.stdout).map((a) => a.message).join("\n")).toMatch(/raises the to-spend estimate/);
    expect(fakes.fal.submitCount()).toBe(0);
  });

  it("a base that cannot be read is a warning, unless fail-on-increase needs it: then the check fails and says why", async () => {
    gh.fail({ path: "/contents/", status: 500 });
    const warned = await prRun({ inputs: { comment: "off" } });
    expect(warned.code, warned.stdout).toBe(0);
    expect(annotations(warned.stdout, "warning").map((a) => a.message).join("\n")).toMatch(/the estimate at the base commit ba5e0+ could not be made.*500/);
    expect((await reportOf(warned)).base).toMatchObject({ source: "unavailable", totals: null });

    const needed = await prRun({ inputs: { comment: "off", "fail-on-increase": "20%" } });
    expect(needed.code).toBe(1);
    expect(annotations(needed.stdout).map((a) => a.message).join("\n")).toMatch(/fail-on-increase \(\+20%\) needs the estimate at the base commit, which could not be made: .*contents: read/);
  });

  it("comment: on-change writes nothing while the figures are the base's, then comments when they change, and edits only on a change of figures", async () => {
    gh.addCommit(BASE, { "fal-jobs.yaml": BASE_MANIFEST });
    const onChange = { comment: "on-change" };
    const untouched = await prRun({ files: { "fal-jobs.yaml": BASE_MANIFEST }, inputs: onChange, runId: "1" });
    expect(untouched.code, untouched.stdout).toBe(0);
    expect(gh.commentsOn(PR)).toHaveLength(0);
    expect(gh.writes()).toHaveLength(0);
    expect(untouched.stdout).toMatch(/no PR comment: this pull request does not change the estimate/);

    const changed = await prRun({ inputs: onChange, runId: "2" });
    const [comment] = gh.commentsOn(PR);
    expect(comment!.body).toContain("| **To spend (new runs)** |");
    const digest = parseFigures(comment!.body);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(changed.outputs["comment-url"]).toContain(String(comment!.id));

    // main moved on without touching the manifest: the text would name the new base commit, but no figure changed.
    const moved = "ba5e2".padEnd(40, "0");
    gh.addCommit(moved, { "fal-jobs.yaml": BASE_MANIFEST });
    await prRun({ base: moved, inputs: onChange, runId: "3" });
    expect(comment!.history.map((h) => h.action)).toEqual(["created"]);
    // `update` compares the text, and would have edited it.
    await prRun({ base: moved, inputs: { comment: "update" }, runId: "4" });
    expect(comment!.history.map((h) => h.action)).toEqual(["created", "updated"]);

    await prRun({ base: moved, files: { "fal-jobs.yaml": HEAD_MANIFEST.replace("repeat: 2", "repeat: 3") }, inputs: onChange, runId: "5" });
    expect(comment!.history.map((h) => h.action)).toEqual(["created", "updated", "updated"]);
    expect(parseFigures(comment!.body)).not.toBe(digest);
    expect(gh.commentsOn(PR)).toHaveLength(1);
  });
});
