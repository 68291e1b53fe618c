import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { RunModeReport } from "../src/report/model.js";
import { FAL_KEY } from "./fakes/fal.js";
import { runAction, type ActionOptions } from "./helpers/action.js";
import { useRunFakes } from "./helpers/run-fakes.js";

/**
 * A cancelled (SIGTERM) or deadline-bound real run stops its downloads and
 * writes its report within seconds: the runner kills a cancelled step soon
 * after SIGTERM.
 */

const fakes = useRunFakes();

const CLIP = `version: 1
budget: 1
pricing:
  acme/clip: {unit: videos, unit_price: 0.01}
jobs:
  - {id: clip, model: acme/clip, input: {prompt: x}}
`;

function realRun(opts: ActionOptions) {
  return runAction({
    ...opts,
    inputs: { "dry-run": "false", "fal-key": FAL_KEY, "artifact-name": "gen", comment: "off", ...opts.inputs },
    files: { "fal-jobs.yaml": CLIP },
    env: { ...fakes.env() },
  });
}

/** Every file under `dir`, relative. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

describe("the built action stops downloading when cancelled", () => {
  const slowClip = () =>
    fakes.fal.setModel("acme/clip", {
      // 100 MB at 16 KiB per 100 ms: hours, unless the download obeys the run's signal.
      outcome: ({ fake }) => ({ output: { video: { url: fake.addSlowFile("/cdn/slow.mp4", 100_000_000, 16 * 1024, 100), content_type: "video/mp4" } } }),
    });
  const downloadStarted = () => fakes.fal.requests.some((r) => r.url === "/cdn/slow.mp4");

  async function expectNotDownloaded(run: { workspace: string; outputs: Record<string, string> }, reason: RegExp): Promise<void> {
    const report = JSON.parse(await readFile(path.join(run.workspace, "fal-outputs", "fal-jobs-report.json"), "utf8")) as RunModeReport;
    expect(report.execution!.cancelled).toBe(true);
    const [r] = report.runs!;
    expect(r!.outputs).toHaveLength(1);
    expect(r!.outputs[0]).toMatchObject({ source: "video", path: null, sha256: null });
    expect(r!.outputs[0]!.error).toMatch(reason);
    // Neither a final name nor a temporary file is left behind.
    expect((await filesUnder(path.join(run.workspace, "fal-outputs"))).filter((f) => !/(^|[/\\])(result\.json|fal-jobs-report\.json|fal-jobs-journal\.jsonl)$/.test(f))).toEqual([]);
  }

  it("SIGTERM during a slow download: exits within seconds with the report, the output marked not downloaded", async () => {
    slowClip();
    let signalledAt = 0;
    const run = await realRun({
      timeoutMs: 25_000,
      onStart: (child) => {
        const t = setInterval(() => {
          if (!downloadStarted()) return;
          clearInterval(t);
          setTimeout(() => {
            signalledAt = Date.now();
            child.kill("SIGTERM");
          }, 300);
        }, 20);
      },
    });
    const exitedAfter = Date.now() - signalledAt;
    expect(signalledAt).toBeGreaterThan(0);
    expect(run.signal, run.stderr).toBe(null);
    expect(exitedAfter).toBeLessThan(8000);
    await expectNotDownloaded(run, /cancel.*SIGTERM/i);
  });

  it("the deadline input stops a slow download the same way", async () => {
    slowClip();
    const started = Date.now();
    const run = await realRun({ inputs: { deadline: "3s" }, timeoutMs: 25_000 });
    expect(run.signal, run.stderr).toBe(null);
    expect(downloadStarted()).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000 + 8000);
    await expectNotDownloaded(run, /cancel.*deadline/i);
  });
});
