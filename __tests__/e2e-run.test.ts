import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Report, RunModeReport } from "../src/report/model.js";
import { FAL_KEY, FakeFal } from "./fakes/fal.js";
import { annotations, FAST_RETRIES, runAction, type ActionOptions } from "./helpers/action.js";
import { useRunFakes } from "./helpers/run-fakes.js";

/**
 * Real runs through the built dist/index.js, as the runner runs it, against
 * the loopback fal queue/CDN and artifact service.
 */

const fakes = useRunFakes();

const MANIFEST = `version: 1
budget: 1
defaults: {concurrency: 3, timeout: 30s, retries: 2}
jobs:
  - id: hero
    model: fal-ai/flux/dev
    input: {prompt: "a city", image_size: square_hd, num_images: 2}
    repeat: 2
  - id: thumbs
    model: fal-ai/flux/schnell
    matrix: {animal: [cat, dog]}
    input: {prompt: "a \${{ matrix.animal }}", image_size: square}
`;
// hero: 2 runs × 2 images × 1 MP × $0.025 = $0.10; thumbs: 2 runs × 1 MP × $0.003 = $0.006

function realRun(opts: ActionOptions & { manifest?: string } = {}) {
  return runAction({
    ...opts,
    inputs: { "dry-run": "false", "fal-key": FAL_KEY, "price-source": "catalog", "artifact-name": "gen", ...opts.inputs },
    files: { "fal-jobs.yaml": opts.manifest ?? MANIFEST, ...opts.files },
    env: { ...fakes.env(), GITHUB_RUN_ATTEMPT: "1", ...opts.env },
  });
}

/** The report a real run wrote; a run report, or the test fails here. */
async function reportOf(run: { outputs: Record<string, string> }): Promise<RunModeReport> {
  const report = JSON.parse(await readFile(run.outputs["report-path"]!, "utf8")) as Report;
  if (report.mode !== "run") throw new Error(`expected a run report, got mode ${report.mode}`);
  return report;
}

/** stdout without the runner's own mask command, which is how the key gets masked. */
const logsWithoutMask = (s: string) => s.split("\n").filter((l) => !l.startsWith("::add-mask::")).join("\n");

describe("the built action, real run", () => {
  it("submits every run once, keeps every output byte-exact in the artifact, and reports billed cost", async () => {
    // Long enough that the status stream sees each thumbs run running, even on a loaded machine.
    fakes.fal.setModel("fal-ai/flux/schnell", { latencyMs: 400 });
    const run = await realRun();
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(fakes.fal.submitCount()).toBe(4);
    expect(fakes.fal.submitCount("fal-ai/flux/dev")).toBe(2);
    expect(new Set(fakes.fal.submissions.map((s) => JSON.stringify(s.input))).size).toBe(3);

    const report = await reportOf(run);
    expect(report.mode).toBe("run");
    expect(report.runs!.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
    expect(run.outputs).toMatchObject({ "estimated-cost": "0.106", "over-budget": "false", "artifact-id": expect.stringMatching(/^\d+$/) });
    expect(run.outputs["artifact-url"]).toBe(`https://github.com/acme/widgets/actions/runs/1000/artifacts/${run.outputs["artifact-id"]}`);
    // No billing API key and no header: billed cost comes from what fal returned (images × their megapixels).
    expect(run.outputs["billed-cost"]).toBe("0.106");

    const zip = fakes.artifacts.zipEntries("gen-attempt-1");
    const names = zip.map((e) => e.name);
    expect(names).toContain("fal-jobs-report.json");
    let images = 0;
    for (const r of report.runs!) {
      expect(names).toContain(`${r.dir}/result.json`);
      const resultJson = JSON.parse(zip.find((e) => e.name === `${r.dir}/result.json`)!.data.toString()) as { request_id: string; status: string };
      expect(resultJson).toMatchObject({ request_id: r.request_id, status: "succeeded" });
      for (const o of r.outputs) {
        const entry = zip.find((e) => e.name === o.path);
        expect(entry, o.path!).toBeDefined();
        const urlPath = new URL(o.url).pathname;
        expect(createHash("sha256").update(entry!.data).digest("hex")).toBe(FakeFal.sha256(urlPath));
        expect(o.sha256).toBe(FakeFal.sha256(urlPath));
        images++;
      }
    }
    expect(images).toBe(6);
    expect(run.summary).toMatch(/billed/i);
    // The log: a group, and a line per state change of each run.
    expect(run.stdout).toContain("::group::fal-jobs: running");
    for (const state of ["submitted", "running", "succeeded"]) expect(run.stdout).toMatch(new RegExp(`^thumbs\\[animal=dog\\]#1: ${state}`, "m"));
  });

  it("never lets the fal key out: not in logs, report, summary, artifact, or anywhere fal did not need it", async () => {
    const run = await realRun();
    expect(run.stdout).toContain(`::add-mask::${FAL_KEY}`);
    expect(logsWithoutMask(run.stdout) + run.stderr).not.toContain(FAL_KEY);
    expect(await readFile(run.outputs["report-path"]!, "utf8")).not.toContain(FAL_KEY);
    expect(run.summary).not.toContain(FAL_KEY);
    expect(fakes.artifacts.findSecret(FAL_KEY)).toEqual([]);
    expect(fakes.fal.leaked(FAL_KEY)).toEqual([]);
  });

  it("submits nothing when over budget, when the manifest is invalid, or when there is no key", async () => {
    const over = await realRun({ inputs: { budget: "0.05" } });
    expect(over.code).toBe(1);
    expect(over.outputs["over-budget"]).toBe("true");
    const invalid = await realRun({ manifest: MANIFEST.replace("repeat: 2", "repeat: -2") });
    expect(invalid.code).toBe(1);
    expect(annotations(invalid.stdout).some((a) => a.props.file === "fal-jobs.yaml" && a.props.line === "8")).toBe(true);
    const noKey = await realRun({ inputs: { "fal-key": "" } });
    expect(noKey.code).toBe(1);
    expect(noKey.stdout).toMatch(/no fal key/);
    expect(fakes.fal.submitCount()).toBe(0);
  });

  it("a run past its timeout is cancelled at fal and ends timed-out; the others still finish and upload", async () => {
    fakes.fal.setModel("acme/slow", { latencyMs: 20_000 });
    const manifest = `version: 1\nbudget: 1\npricing:\n  acme/slow: {unit: images, unit_price: 0.01}\njobs:\n  - {id: slow, model: acme/slow, input: {prompt: x}, timeout: 1s}\n  - {id: fast, model: fal-ai/flux/schnell, input: {prompt: y}}\n`;
    const run = await realRun({ manifest });
    const report = await reportOf(run);
    const slow = report.runs!.find((r) => r.job === "slow")!;
    expect(slow.status).toBe("timed-out");
    expect(fakes.fal.cancels).toContain(slow.request_id);
    expect(report.runs!.find((r) => r.job === "fast")!.status).toBe("succeeded");
    expect(run.code).toBe(1);
    expect(run.outputs["artifact-id"]).toMatch(/^\d+$/);
    // Without a billing key or a result response, what fal billed for it is unknown: said so, never $0.
    expect(slow.billed).toMatchObject({ source: "unknown", cost: null });
    expect(report.execution!.unknown_runs).toBe(1);
    expect(annotations(run.stdout, "warning").map((a) => a.message).join("\n")).toMatch(/billed cost of 1 run\(s\) is unknown/);
  });

  it("SIGTERM cancels every queued fal request, then still writes the report and uploads", async () => {
    // Queued at fal: cancelling removes them. (A request fal runs is left to finish for a re-run: e2e-resume.)
    fakes.fal.setModel("acme/slow", { queueMs: 30_000 });
    const manifest = `version: 1\nbudget: 1\ndefaults: {concurrency: 2}\npricing:\n  acme/slow: {unit: images, unit_price: 0.01}\njobs:\n  - {id: slow, model: acme/slow, input: {prompt: x}, repeat: 4}\n`;
    const run = await realRun({
      manifest,
      onStart: (child) => {
        const t = setInterval(() => {
          if (fakes.fal.submitCount() >= 2) {
            clearInterval(t);
            child.kill("SIGTERM");
          }
        }, 20);
      },
    });
    const report = await reportOf(run);
    expect(fakes.fal.submitCount()).toBe(2);
    expect(new Set(fakes.fal.cancels)).toEqual(new Set(fakes.fal.submissions.map((s) => s.requestId)));
    expect(report.execution!.cancelled).toBe(true);
    expect(report.runs!.map((r) => r.status).sort()).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);
    expect(report.runs!.filter((r) => r.submitted)).toHaveLength(2);
    expect(run.code).toBe(1);
    expect(fakes.artifacts.zipFiles("gen-attempt-1")["fal-jobs-report.json"]).toBeDefined();
  });

  it("a dead output URL, a burst of 5xx on status, and a failing artifact service each end in a defined state", async () => {
    fakes.fal.disableStream();
    // As many 503s as the default `retries: 2`: our own retries ride them out (the client no longer adds 1–30 s backoffs).
    fakes.fal.failStatus(2, 503);
    fakes.fal.setModel("fal-ai/flux/schnell", {
      outcome: ({ fake, requestId }) => ({
        output: { images: [{ url: `${fake.url}/cdn/${requestId}/ok.png`, content_type: "image/png" }, { url: fake.deadPath(`/cdn/${requestId}/gone.png`), content_type: "image/png" }] },
      }),
    });
    fakes.artifacts.fail({ route: "CreateArtifact", status: 403, msg: "storage quota exceeded" });
    const manifest = `version: 1\nbudget: 1\njobs:\n  - {id: pics, model: fal-ai/flux/schnell, input: {prompt: x, num_images: 2}}\n`;
    const run = await realRun({ manifest, env: FAST_RETRIES });
    const report = await reportOf(run);
    const [r] = report.runs!;
    expect(r!.status).toBe("succeeded");
    expect(fakes.fal.requests.filter((q) => q.url.includes("/status") && q.status === 503)).toHaveLength(2);
    expect(r!.outputs.map((o) => [o.path !== null, o.error !== null])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(r!.outputs[1]!.error).toMatch(/404/);
    // The files stay on disk, the report says the upload failed, and the step warns.
    expect(report.execution!.artifact).toBe(null);
    expect(report.execution!.artifact_error).toMatch(/quota|403/i);
    await expect(readFile(path.join(run.workspace, "fal-outputs", r!.outputs[0]!.path!))).resolves.toBeInstanceOf(Buffer);
    expect(annotations(run.stdout, "warning").map((a) => a.message).join("\n")).toMatch(/not uploaded/);
  });
});
