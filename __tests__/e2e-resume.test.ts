import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunModeReport } from "../src/report/model.js";
import { ACTIONS_READ_TOKEN, FakeArtifactServer } from "./fakes/artifact-server.js";
import { FakeFal } from "./fakes/fal.js";
import { readRunReport, type ActionOptions } from "./helpers/action.js";
import { useRunFakes } from "./helpers/run-fakes.js";

/**
 * Re-runs resume, through the built dist/index.js against the loopback fakes:
 * attempt N of a workflow run reads what earlier attempts recorded (their
 * state artifacts) and never pays twice for what they submitted. Every
 * attempt gets a fresh workspace, as a re-run gets a fresh runner, and its
 * own runtime token, as GitHub gives each attempt.
 */

const fakes = useRunFakes();

const RUN_ID = "4242";

/** Attempt `n` of workflow run RUN_ID, in a fresh workspace. */
async function attempt(n: number, manifest: string, opts: ActionOptions = {}) {
  const before = fakes.fal.submitCount();
  const workspace = await mkdtemp(path.join(tmpdir(), `fal-jobs-attempt-${n}-`));
  const run = await fakes.realRun(manifest, {
    ...opts,
    workspace,
    inputs: { "artifact-name": "gen", comment: "off", ...opts.inputs },
    env: { ...fakes.artifacts.attemptEnv(RUN_ID, n), GITHUB_RUN_ID: RUN_ID, GITHUB_RUN_ATTEMPT: String(n), ...opts.env },
  });
  return { ...run, submitted: fakes.fal.submissions.slice(before) };
}

/** Every file a run's report lists, read back from the attempt's outputs artifact, next to the bytes fal served. */
function artifactFiles(name: string, report: RunModeReport, runIds: string[]): Array<{ run: string; stored: Buffer | undefined; served: Buffer }> {
  const entries = new Map(zipOf(name).map((e) => [e.name, e.data]));
  return report.runs
    .filter((r) => runIds.includes(r.id))
    .flatMap((r) => r.outputs.map((o) => ({ run: r.id, stored: o.path === null ? undefined : entries.get(o.path), served: FakeFal.cdnBytes(new URL(o.url).pathname) })));
}

const byId = (report: RunModeReport, id: string) => report.runs.find((r) => r.id === id)!;

/** The entries of an artifact by name, whichever attempt's container holds it. */
function zipOf(name: string) {
  const stored = fakes.artifacts.artifacts().find((a) => a.name === name);
  if (!stored) throw new Error(`no artifact ${name}`);
  return fakes.artifacts.zipEntries(name, stored.runBackendId);
}

const MANIFEST = `version: 1
budget: 5
pricing:
  acme/fast: {unit: images, unit_price: 0.01}
  acme/slow: {unit: images, unit_price: 0.02}
  acme/queued: {unit: images, unit_price: 0.03}
jobs:
  - {id: done, model: acme/fast, input: {prompt: a}}
  - {id: running, model: acme/slow, input: {prompt: b}, repeat: 2, concurrency: 1}
  - {id: waiting, model: acme/queued, input: {prompt: c}}
`;

describe("re-runs resume: nothing is paid twice across attempts", () => {
  it("after a cancelled attempt, submits only the runs fal never ran and collects the others by request id, byte-exact", async () => {
    // Runs until the test finishes it, however long the first attempt takes on a loaded machine.
    fakes.fal.setModel("acme/slow", { latencyMs: 60_000 });
    fakes.fal.setModel("acme/queued", { queueMs: 60_000 });
    const first = await attempt(1, MANIFEST, {
      onStart: (child) => {
        // SIGTERM once the action has said that `done` succeeded, the first `running` runs at fal and `waiting` is
        // queued there (the policy goes by what fal last said).
        let log = "";
        const watch = (d: Buffer) => {
          log += d.toString();
          if (!["done#1: succeeded", "running#1: running", "waiting#1: in queue"].every((line) => log.includes(line))) return;
          child.stdout!.off("data", watch);
          child.kill("SIGTERM");
        };
        child.stdout!.on("data", watch);
      },
    });
    expect(first.signal, first.stderr).toBe(null);
    expect(first.submitted.map((s) => s.model).sort()).toEqual(["acme/fast", "acme/queued", "acme/slow"]);
    const report1 = await readRunReport(first);
    const slow = first.submitted.find((s) => s.model === "acme/slow")!;
    const queued = first.submitted.find((s) => s.model === "acme/queued")!;
    // The policy: the queued request is cancelled (fal removes it, nothing billed); the running one is left to
    // finish, since fal would bill it anyway, and recorded for the re-run.
    expect(fakes.fal.cancels).toEqual([queued.requestId]);
    expect(byId(report1, "running#1")).toMatchObject({ status: "cancelled", uncollected: true, request_id: slow.requestId });
    expect(byId(report1, "running#2")).toMatchObject({ status: "cancelled", submitted: false });
    expect(report1.execution.uncollected_runs).toBe(1);
    expect(report1.warnings.join("\n")).toMatch(/1 run\(s\) were still running at fal.*Re-run this workflow run/);
    expect(zipOf("gen-state-attempt-1").map((e) => e.name).sort()).toEqual(["fal-jobs-journal.jsonl", "fal-jobs-report.json", "fal-jobs.lock.json"]);

    // fal finishes the running request while nobody waits for it (now, rather than after its minute of latency); the
    // queue frees up for the re-run, and what runs from now on runs quickly.
    fakes.fal.setModel("acme/queued", {});
    fakes.fal.setModel("acme/slow", {});
    fakes.fal.finish(slow.requestId);
    expect(fakes.fal.runs.get(slow.requestId)!.state).toBe("COMPLETED");

    const second = await attempt(2, MANIFEST);
    expect(second.code, second.stdout).toBe(0);
    // Submitted again: only what fal never ran (the cancelled queued request, and the run never sent).
    expect(second.submitted.map((s) => s.model).sort()).toEqual(["acme/queued", "acme/slow"]);
    const report2 = await readRunReport(second);
    expect(byId(report2, "running#1")).toMatchObject({ status: "succeeded", request_id: slow.requestId, resumed: { attempt: "1", request_id: slow.requestId, outcome: "collected" } });
    expect(report2.locked.map((l) => l.id)).toEqual(["done#1"]);
    expect(report2.execution.resume).toEqual({ attempt: "2", from_attempts: ["1"], collected_runs: 1, resubmitted_runs: 0 });
    // The collected run counts against this attempt's budget (it was paid), at what fal billed for it.
    expect(byId(report2, "running#1").billed.cost).toBe("0.02");
    expect(report2.execution.billed).toBe("0.07");

    // Every output paid for arrives, byte for byte: `done` in attempt 1's artifact, the rest in attempt 2's.
    const files = [...artifactFiles("gen-attempt-1", report1, ["done#1"]), ...artifactFiles("gen-attempt-2", report2, ["running#1", "running#2", "waiting#1"])];
    expect(files.map((f) => f.run).sort()).toEqual(["done#1", "running#1", "running#2", "waiting#1"]);
    for (const f of files) expect(f.stored, f.run).toEqual(f.served);

    // The lock this attempt writes holds all four runs, each pointing at the artifact that has its files.
    const lock = JSON.parse(await readFile(path.join(second.workspace, "fal-jobs.lock.json"), "utf8")) as { runs: Record<string, { run: string; stored_in: string }>; stores: Record<string, { artifact: { name: string } | null }> };
    const where = Object.fromEntries(Object.values(lock.runs).map((e) => [e.run, lock.stores[e.stored_in]!.artifact?.name]));
    expect(where).toEqual({ "done#1": "gen-attempt-1", "running#1": "gen-attempt-2", "running#2": "gen-attempt-2", "waiting#1": "gen-attempt-2" });
  });

  it("after an attempt that ran everything but failed later (an artifact outage), submits nothing", async () => {
    const manifest = `version: 1\nbudget: 1\njobs:\n  - {id: pics, model: fal-ai/flux/schnell, repeat: 2, input: {prompt: x}}\n`;
    fakes.artifacts.fail({ route: "CreateArtifact", name: "gen-attempt-1", status: 403, msg: "storage quota exceeded" });
    const first = await attempt(1, manifest);
    const report1 = await readRunReport(first);
    expect(first.submitted).toHaveLength(2);
    expect(report1.runs.every((r) => r.status === "succeeded")).toBe(true);
    expect(report1.execution.artifact_error).toMatch(/quota/);
    // The state went up even though the outputs did not.
    expect(report1.execution.state_artifact).toMatchObject({ name: "gen-state-attempt-1" });

    const second = await attempt(2, manifest);
    expect(second.code, second.stdout).toBe(0);
    expect(second.submitted).toHaveLength(0);
    expect(second.outputs["locked-runs"]).toBe("2");
    expect(second.outputs["estimated-cost"]).toBe("0.00");
    // This attempt's checkout had no lock: the one it writes holds attempt 1's runs, and says it changed.
    expect(second.outputs["lock-changed"]).toBe("true");
    const lock = JSON.parse(await readFile(path.join(second.workspace, "fal-jobs.lock.json"), "utf8")) as { runs: Record<string, { request_id: string }> };
    expect(Object.values(lock.runs).map((e) => e.request_id).sort()).toEqual(first.submitted.map((s) => s.requestId).sort());
  });

  it("a request fal no longer has is submitted again, and the report says so", async () => {
    fakes.fal.setModel("acme/slow", { latencyMs: 3000 });
    const manifest = `version: 1\nbudget: 1\npricing:\n  acme/slow: {unit: images, unit_price: 0.02}\njobs:\n  - {id: running, model: acme/slow, input: {prompt: b}}\n`;
    const first = await attempt(1, manifest, {
      // Once the action has seen fal run it (its log says so), as the policy goes by what fal last said.
      onStart: (child) => {
        const watch = (d: Buffer) => {
          if (!d.toString().includes("running#1: running")) return;
          child.stdout!.off("data", watch);
          child.kill("SIGTERM");
        };
        child.stdout!.on("data", watch);
      },
    });
    expect(fakes.fal.cancels).toEqual([]);
    const [lost] = first.submitted;
    fakes.fal.forget(lost!.requestId);
    fakes.fal.setModel("acme/slow", {});

    const second = await attempt(2, manifest);
    expect(second.submitted).toHaveLength(1);
    const report2 = await readRunReport(second);
    expect(report2.runs[0]).toMatchObject({ status: "succeeded", request_id: second.submitted[0]!.requestId, resumed: { request_id: lost!.requestId, outcome: "gone" } });
    expect(report2.execution.resume).toMatchObject({ collected_runs: 0, resubmitted_runs: 1 });
    expect(report2.warnings.join("\n")).toMatch(/1 run\(s\) that an earlier attempt had submitted could not be collected \(e\.g\. running#1: fal no longer has request req-\S+ \(HTTP 404: Request not found\)\): 1 were submitted again/);
  });

  it("a step killed mid-batch (no time to upload) leaves its journal: the post step uploads it, and the re-run collects from it", async () => {
    fakes.fal.setModel("acme/slow", { latencyMs: 60_000 });
    const manifest = `version: 1\nbudget: 1\npricing:\n  acme/fast: {unit: images, unit_price: 0.01}\n  acme/slow: {unit: images, unit_price: 0.02}\njobs:\n  - {id: done, model: acme/fast, input: {prompt: a}}\n  - {id: running, model: acme/slow, input: {prompt: b}, repeat: 2, concurrency: 1}\n`;
    const first = await attempt(1, manifest, {
      onStart: (child) => {
        let log = "";
        const watch = (d: Buffer) => {
          log += d.toString();
          if (!log.includes("done#1: succeeded") || !log.includes("running#1: running")) return;
          child.stdout!.off("data", watch);
          child.kill("SIGKILL");
        };
        child.stdout!.on("data", watch);
      },
    });
    expect(first.signal).toBe("SIGKILL");
    expect(fakes.artifacts.artifacts()).toEqual([]);
    // The runner then runs the post step: the same file, with the state the main step saved, in the same workspace.
    const post = await fakes.realRun(manifest, { workspace: first.workspace, state: first.state, inputs: { "artifact-name": "gen", comment: "off" }, env: { ...fakes.artifacts.attemptEnv(RUN_ID, 1), GITHUB_RUN_ID: RUN_ID, GITHUB_RUN_ATTEMPT: "1" } });
    expect(post.code, post.stdout).toBe(0);
    expect(post.stdout).toMatch(/uploaded it now as gen-state-attempt-1/);
    expect(fakes.fal.submitCount()).toBe(2);
    expect(zipOf("gen-state-attempt-1").map((e) => e.name)).toEqual(["fal-jobs-journal.jsonl"]);

    const [done, slow] = ["acme/fast", "acme/slow"].map((m) => fakes.fal.submissions.find((s) => s.model === m)!);
    fakes.fal.finish(slow!.requestId);
    expect(slow!.state).toBe("COMPLETED");
    fakes.fal.setModel("acme/slow", {});
    const second = await attempt(2, manifest);
    expect(second.code, second.stdout).toBe(0);
    // Only the run the killed step never sent; both requests it did send are collected by their ids.
    expect(second.submitted.map((s) => s.model)).toEqual(["acme/slow"]);
    const report2 = await readRunReport(second);
    expect(byId(report2, "done#1").resumed).toMatchObject({ request_id: done!.requestId, outcome: "collected" });
    expect(byId(report2, "running#1").resumed).toMatchObject({ request_id: slow!.requestId, outcome: "collected" });
    for (const f of artifactFiles("gen-attempt-2", report2, ["done#1", "running#1", "running#2"])) expect(f.stored, f.run).toEqual(f.served);
  });

  it("the post step does nothing after a main step that uploaded its state, or a dry run", async () => {
    const manifest = `version: 1\nbudget: 1\njobs:\n  - {id: pics, model: fal-ai/flux/schnell, input: {prompt: x}}\n`;
    const real = await attempt(1, manifest);
    const dry = await attempt(2, manifest, { inputs: { "dry-run": "true" } });
    const names = () => fakes.artifacts.allArtifacts().map((a) => a.name).sort();
    const before = names();
    for (const main of [real, dry]) {
      const post = await fakes.realRun(manifest, { workspace: main.workspace, state: main.state, inputs: { "artifact-name": "gen", comment: "off" } });
      expect(post.code).toBe(0);
      expect(post.stdout).toBe("");
    }
    expect(names()).toEqual(before);
  });

  it("when the service will not serve an earlier attempt's state, asks GitHub's REST API; when neither does, submits nothing and says why", async () => {
    // As one public report saw GitHub's service answer a re-run asking for an earlier attempt's artifact.
    await fakes.artifacts.close();
    fakes.artifacts = await FakeArtifactServer.start({ crossAttemptDownloads: false });
    const manifest = `version: 1\nbudget: 1\njobs:\n  - {id: pics, model: fal-ai/flux/schnell, repeat: 2, input: {prompt: x}}\n`;
    const first = await attempt(1, manifest);
    expect(first.submitted).toHaveLength(2);
    const api = { GITHUB_API_URL: fakes.artifacts.url.replace(/\/$/, "") };

    const noToken = await attempt(2, manifest, { env: api });
    expect(noToken.code).toBe(1);
    expect(noToken.submitted).toHaveLength(0);
    expect(noToken.stdout).toMatch(/attempt 2 of the workflow run, but what earlier attempts recorded could not be read \(.*workflow run not found; with a github-token that has `actions: read` the REST API would be asked too\)\. Nothing was submitted/);

    const noPermission = await attempt(3, manifest, { env: api, inputs: { "github-token": "ghs_FakeContentsReadOnly0000000000000000" } });
    expect(noPermission.code).toBe(1);
    expect(noPermission.submitted).toHaveLength(0);
    expect(noPermission.stdout).toMatch(/the artifact service: .*workflow run not found; the REST API: .*Resource not accessible by integration.*needs `actions: read`/);

    const withPermission = await attempt(4, manifest, { env: api, inputs: { "github-token": ACTIONS_READ_TOKEN } });
    expect(withPermission.code, withPermission.stdout).toBe(0);
    expect(withPermission.submitted).toHaveLength(0);
    expect(withPermission.outputs["locked-runs"]).toBe("2");
    expect(fakes.artifacts.requestsFor("RestDownload").filter((r) => r.status === 302)).toHaveLength(1);
  });
});
