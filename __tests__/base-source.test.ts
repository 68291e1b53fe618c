import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readRunContext } from "../src/action/context.js";
import { gitReadAt } from "../src/adapters/git/show.js";
import { readFileAtCommit } from "../src/adapters/github/contents.js";
import { baseFromFiles, loadBase } from "../src/flows/base.js";
import { estimateManifest } from "../src/flows/estimate-flow.js";
import { FAL_DEFAULTS } from "../src/adapters/fal/endpoints.js";
import { runKeys } from "../src/lock/key.js";
import { emptyLock, type Lock } from "../src/lock/schema.js";
import { writeLockFile } from "../src/lock/write.js";
import { parseManifest } from "../src/manifest/load.js";
import { buildPlan, iterateRuns } from "../src/plan/expand.js";
import { DEFAULT_OWNER, DEFAULT_REPO, FakeGitHub, GITHUB_TOKEN, READONLY_TOKEN } from "./fakes/github-server.js";

/** Where a pull request's base is read: the event, the checkout's git, GitHub's contents API (loopback fake), files. */

describe("the base commit, from the event", () => {
  async function contextFor(name: string, payload: unknown) {
    const file = path.join(await mkdtemp(path.join(tmpdir(), "fal-event-")), "event.json");
    await writeFile(file, JSON.stringify(payload));
    return readRunContext({ GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: file });
  }
  const sha = "0123456789abcdef".repeat(4).slice(0, 40);

  it("is pull_request.base.sha on pull_request and pull_request_target events, when it is a full commit id", async () => {
    for (const name of ["pull_request", "pull_request_target"]) expect((await contextFor(name, { pull_request: { number: 3, base: { sha } } })).baseSha).toBe(sha);
    expect((await contextFor("pull_request", { pull_request: { number: 3, base: { sha: sha + "0".repeat(24) } } })).baseSha).toBe(sha + "0".repeat(24));
    // Anything else is no base (null: a pull request without one), never text that reaches git or a URL.
    for (const bad of ["--output=/etc/passwd", sha.toUpperCase(), sha.slice(1), 42, null]) {
      expect((await contextFor("pull_request", { pull_request: { number: 3, base: { sha: bad } } })).baseSha, String(bad)).toBeNull();
    }
    expect((await contextFor("push", { pull_request: { number: 3, base: { sha } } })).baseSha).toBeUndefined();
  });
});

describe("the checkout's git", () => {
  let repo: string;
  let base: string;
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: repo, encoding: "utf8" }).trim();
  beforeEach(async () => {
    repo = await mkdtemp(path.join(tmpdir(), "fal-git-"));
    git("init", "-q");
    await mkdir(path.join(repo, "ci"));
    await writeFile(path.join(repo, "ci", "fal-jobs.yaml"), "at base\n");
    git("add", ".");
    git("commit", "-q", "-m", "base");
    base = git("rev-parse", "HEAD");
    await writeFile(path.join(repo, "ci", "fal-jobs.yaml"), "at head\n");
  });

  it("reads files as committed at the base, relative to the working directory wherever that is in the repository, in one git process", async () => {
    const read = await gitReadAt(base, ["ci/fal-jobs.yaml", path.join(repo, "ci", "fal-jobs.yaml"), "nope.yaml"], repo);
    expect(read).toEqual({ commit: true, files: new Map([["ci/fal-jobs.yaml", "at base\n"], [path.join(repo, "ci", "fal-jobs.yaml"), "at base\n"], ["nope.yaml", null]]) });
    expect(await gitReadAt(base, ["fal-jobs.yaml", "../ci/fal-jobs.yaml"], path.join(repo, "ci"))).toMatchObject({ commit: true, files: new Map([["fal-jobs.yaml", "at base\n"], ["../ci/fal-jobs.yaml", "at base\n"]]) });
  });

  it("keeps bytes exactly (multi-byte text, no trailing newline, a large file) and refuses a folder", async () => {
    const big = `${"é".repeat(300_000)}\n${"x".repeat(1000)}`;
    await writeFile(path.join(repo, "big.txt"), big);
    await writeFile(path.join(repo, "tail.txt"), "no newline");
    git("add", "big.txt", "tail.txt");
    git("commit", "-q", "-m", "more");
    const head = git("rev-parse", "HEAD");
    expect(await gitReadAt(head, ["tail.txt", "big.txt", "ci/fal-jobs.yaml"], repo)).toEqual({ commit: true, files: new Map([["tail.txt", "no newline"], ["big.txt", big], ["ci/fal-jobs.yaml", "at base\n"]]) });
    await expect(gitReadAt(base, ["ci"], repo)).rejects.toThrow(/ci is a tree at .*, not a file/);
  });

  it("a commit it lacks, or no repository at all, is no commit, with the reason", async () => {
    expect(await gitReadAt("f".repeat(40), ["ci/fal-jobs.yaml"], repo)).toEqual({ commit: false, why: "the repository does not have commit ffffffffffff" });
    expect(await gitReadAt(base, ["ci/fal-jobs.yaml"], await mkdtemp(path.join(tmpdir(), "fal-not-git-")))).toMatchObject({ commit: false, why: expect.stringMatching(/not a git repository/) });
  });
});

describe("GitHub's contents API", () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await FakeGitHub.start();
  });
  afterEach(async () => {
    await gh.close();
  });
  const sha = "b".repeat(40);
  const read = (path: string, token = GITHUB_TOKEN, at = sha) => readFileAtCommit({ token, owner: DEFAULT_OWNER, repo: DEFAULT_REPO, sha: at, path, baseUrl: gh.url });

  it("reads the file raw at the commit, with a read-only token too", async () => {
    gh.addCommit(sha, { "ci/fal-jobs.yaml": "version: 1 # é\n" });
    expect(await read("ci/fal-jobs.yaml", READONLY_TOKEN)).toBe("version: 1 # é\n");
  });

  it("a file the commit does not have is null, but only once the commit itself is visible: otherwise an error, never an empty manifest", async () => {
    gh.addCommit(sha, {});
    expect(await read("fal-jobs.yaml")).toBeNull();
    await expect(read("fal-jobs.yaml", GITHUB_TOKEN, "c".repeat(40))).rejects.toThrow(/GitHub cannot show commit cccccccccccc of octo-org\/octo-repo to this token \(404/);
  });

  it("a folder, a server error or a refused token is an error naming it", async () => {
    gh.addCommit(sha, { "ci/fal-jobs.yaml": "x" });
    await expect(read("ci")).rejects.toThrow(/ci is not a file at b{12}/);
    await expect(read("ci/fal-jobs.yaml", "ghs_unknown")).rejects.toThrow(/GitHub contents API: 401 Bad credentials/);
    gh.fail({ path: "/contents/", status: 502 });
    await expect(read("ci/fal-jobs.yaml")).rejects.toThrow(/GitHub contents API: injected failure 502/);
  });
});

describe("the base as files (the CLI)", () => {
  it("reads the manifest and lock given; a manifest file that does not exist is an empty base, a bad one is unavailable with its position", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "fal-base-files-"));
    await writeFile(path.join(dir, "base.yaml"), "version: 1\njobs:\n  - {id: a, model: fal-ai/flux/dev, input: {prompt: x}}\n");
    await writeFile(path.join(dir, "bad.yaml"), "version: 1\njobs:\n  - {id: a, modle: x}\n");
    const loaded = await loadBase(baseFromFiles(path.join(dir, "base.yaml"), path.join(dir, "no-lock.json")));
    expect(loaded).toMatchObject({ status: "read", via: "file", sha: null });
    expect(await loadBase(baseFromFiles(path.join(dir, "none.yaml"), null))).toMatchObject({ status: "absent", detail: expect.stringContaining("none.yaml did not exist") });
    const bad = await loadBase(baseFromFiles(path.join(dir, "bad.yaml"), null));
    expect(bad).toMatchObject({ status: "unavailable", detail: expect.stringMatching(/^the manifest there is not valid: .*bad\.yaml:3:\d+: jobs\[0\]\..*`modle`/) });
  });
});

describe("what merging will spend, with the base's lock", () => {
  it("does not count runs the base's lock holds, even when the pull request's own lock is older", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "fal-base-lock-"));
    const baseYaml = "version: 1\nbudget: 10\njobs:\n  - {id: a, model: fal-ai/flux/dev, repeat: 2, input: {prompt: x, image_size: square_hd}}\n";
    const headYaml = `${baseYaml}  - {id: b, model: fal-ai/flux/dev, input: {prompt: y, image_size: square_hd}}\n`;
    await writeFile(path.join(dir, "base.yaml"), baseYaml);
    await writeFile(path.join(dir, "fal-jobs.yaml"), headYaml);
    // The base branch generated both runs of `a` after this branch was cut: its lock has them, this branch's has none.
    const plan = buildPlan(parseManifest(baseYaml));
    const keys = runKeys(plan);
    const baseLock: Lock = { ...emptyLock(), runs: {} };
    for (const run of iterateRuns(plan)) {
      baseLock.runs[keys.of(run)] = { job: "a", run: run.id, model: "fal-ai/flux/dev", request_id: `r-${run.repeat}`, finished_at: "2026-12-01T00:00:00.000Z", estimated_nano: 25_000_000, billed: "0.025", billed_nano: 25_000_000, billed_source: "header", outputs: [], stored_in: null };
    }
    await writeLockFile(path.join(dir, "base.lock.json"), baseLock);
    const estimate = (withBase: boolean) =>
      estimateManifest({
        manifestPath: path.join(dir, "fal-jobs.yaml"),
        priceSource: "catalog",
        endpoints: FAL_DEFAULTS,
        lockPath: path.join(dir, "fal-jobs.lock.json"),
        base: withBase ? baseFromFiles(path.join(dir, "base.yaml"), path.join(dir, "base.lock.json")) : undefined,
      });
    const alone = await estimate(false);
    expect(alone.report.totals).toMatchObject({ runs: 3, locked_runs: 0 });
    const merged = await estimate(true);
    expect(merged.report.totals).toMatchObject({ runs: 1, locked_runs: 2, removed_runs: 0 });
    expect(merged.estimate.totalNano).toBe(alone.full.jobs[1]!.totalNano);
  });
});

