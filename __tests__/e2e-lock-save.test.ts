import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { annotations } from "./helpers/action.js";
import { useRunFakes } from "./helpers/run-fakes.js";
import { FakeGitHubRepo } from "./fakes/github-repo.js";

/**
 * `lock-save: commit` through the built dist/index.js, against the loopback
 * fal, artifact and GitHub (contents, refs, pulls) fakes: the lock reaches
 * the branch after each real run, so the next run — even one that checked out
 * an older commit — pays for nothing twice; a concurrent change is merged, not
 * overwritten; a protected branch gets a pull request that later runs honour.
 */

const fakes = useRunFakes();
let repo: FakeGitHubRepo;
beforeEach(async () => {
  repo = await FakeGitHubRepo.start();
});
afterEach(async () => {
  await repo.close();
});

const MANIFEST = `version: 1
budget: 5
jobs:
  - {id: cats, model: fal-ai/flux/schnell, repeat: 3, input: {prompt: a cat}}
`;

/** A real run on a push to main in a fresh checkout (no lock in the workspace unless the branch had one). */
async function pushRun(runId: number, inputs: Record<string, string> = {}, ref = "refs/heads/main") {
  const workspace = await mkdtemp(path.join(tmpdir(), "fal-jobs-save-"));
  const before = fakes.fal.submitCount();
  const run = await fakes.realRun(MANIFEST, {
    workspace,
    inputs: { "lock-save": "commit", "github-token": "ghs_fake", ...inputs },
    env: { GITHUB_RUN_ID: String(runId), GITHUB_REF: ref, GITHUB_API_URL: repo.url },
  });
  return { ...run, submitted: fakes.fal.submitCount() - before };
}

const lockOn = (branch: string) => JSON.parse(repo.file(branch, "fal-jobs.lock.json") ?? "null") as { runs: Record<string, { request_id: string }> } | null;

describe("lock-save: commit", () => {
  it("sequential pushes: the lock is committed to the branch, and the next run reads it there even from a stale checkout", async () => {
    const first = await pushRun(1);
    expect(first.code).toBe(0);
    expect(first.submitted).toBe(3);
    expect(Object.keys(lockOn("main")!.runs)).toHaveLength(3);
    expect(first.summary).toMatch(/The lock changed and was committed to `main@[0-9a-f]{12}`/);

    const second = await pushRun(2);
    expect(second.code).toBe(0);
    expect(second.submitted).toBe(0);
    expect(second.outputs["locked-runs"]).toBe("3");
    // Nothing new: no second commit.
    expect(repo.writes.filter((w) => w.status < 300)).toHaveLength(1);
  });

  it("a lock changed on the branch while the run worked is merged, not overwritten", async () => {
    const other = {
      job: "dogs",
      run: "dogs#1",
      model: "fal-ai/flux/schnell",
      request_id: "req-from-another-run",
      finished_at: "2026-12-01T00:00:00.000Z",
      estimated_nano: 3_000_000,
      billed: "0.003",
      billed_nano: 3_000_000,
      billed_source: "header",
      outputs: [],
      stored_in: null,
    };
    let raced = false;
    repo.beforeWrite = (branch, file) => {
      if (raced || branch !== "main") return;
      raced = true;
      repo.commitFile(branch, file, `${JSON.stringify({ key_scheme: "fal-jobs-run-key/1", runs: { ["e".repeat(64)]: other }, stores: {}, version: 1 }, null, 2)}\n`);
    };
    const run = await pushRun(1);
    expect(run.code).toBe(0);
    // The first write (a new file, so no sha) met the other run's commit (422 "sha wasn't supplied"), read it again and merged.
    expect(repo.writes.map((w) => w.status)).toEqual([422, 200]);
    const lock = lockOn("main")!;
    expect(Object.keys(lock.runs)).toHaveLength(4);
    expect(lock.runs["e".repeat(64)]!.request_id).toBe("req-from-another-run");
  });

  it("a protected branch: the lock goes to a pull request, and later runs honour it until it is merged", async () => {
    repo.protectedBranches.add("main");
    const first = await pushRun(1);
    expect(first.code).toBe(0);
    expect(first.submitted).toBe(3);
    expect(lockOn("main")).toBeNull();
    expect(Object.keys(lockOn("fal-jobs/lock/main")!.runs)).toHaveLength(3);
    expect(repo.pulls).toHaveLength(1);
    expect(repo.pulls[0]).toMatchObject({ head: "fal-jobs/lock/main", base: "main" });
    expect(first.summary).toContain("it is in [a pull request](https://github.com/acme/widgets/pull/1)");

    const second = await pushRun(2, { "budget": "1" }, "refs/heads/main");
    expect(second.submitted).toBe(0);
    expect(repo.pulls).toHaveLength(1);
  });

  it("is refused before anything is spent where there is no branch to commit to", async () => {
    const run = await pushRun(1, {}, "refs/pull/7/merge");
    expect(run.code).toBe(1);
    expect(run.submitted).toBe(0);
    expect(annotations(run.stdout).map((a) => a.message).join("\n") + run.stdout).toMatch(/lock-save: commit needs a branch/);
  });
});
