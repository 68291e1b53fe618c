import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EstimateReport, Report, RunModeReport } from "../src/report/model.js";
import { displayUsd } from "../src/util/money.js";
import { FAL_KEY, FakeFal } from "./fakes/fal.js";
import { runCli, type CliOptions } from "./helpers/cli.js";

/**
 * `fal-jobs run` through the built dist/cli.js against the loopback fal: the action's engine (estimate and gate,
 * hard cap, outputs, report, lock) in a terminal's shell: --out, --yes or a question on a terminal, FAL_KEY,
 * Ctrl-C.
 */

/** A test with a loopback fal of its own (the tests of a file run side by side). */
function withFal(test: (fal: FakeFal) => Promise<void>): () => Promise<void> {
  return async () => {
    const fal = await FakeFal.start();
    try {
      await test(fal);
    } finally {
      await fal.close();
    }
  };
}

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

function run(fal: FakeFal, args: string[], opts: CliOptions = {}) {
  return runCli(["run", "--price-source", "catalog", ...args], { ...opts, files: { "fal-jobs.yaml": MANIFEST, ...opts.files }, env: { FAL_KEY, ...fal.env(), ...opts.env } });
}

async function reportIn(dir: string, file = "fal-jobs-output/fal-jobs-report.json"): Promise<Report> {
  return JSON.parse(await readFile(path.join(dir, file), "utf8")) as Report;
}

function runReport(report: Report): RunModeReport {
  if (report.mode !== "run") throw new Error(`expected a run report, got ${report.mode}`);
  return report;
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

describe.concurrent("fal-jobs run", () => {
  it("submits every run once, keeps each output in --out with its sha256, writes the report and the lock; the next run pays for nothing", withFal(async (fal) => {
    const first = await run(fal, ["--yes", "--out", "out"]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // Progress goes to stderr: per job, then the whole batch.
    expect(first.stderr).toMatch(/^hero: 2\/2 done \(2 succeeded\)/m);
    expect(first.stderr).toMatch(/^fal-jobs: 4\/4 runs done · /m);
    expect(fal.submitCount()).toBe(4);

    const report = runReport(await reportIn(first.dir, "out/fal-jobs-report.json"));
    expect(report.runs.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
    for (const r of report.runs) {
      expect(JSON.parse(await readFile(path.join(first.dir, "out", r.dir!, "result.json"), "utf8"))).toMatchObject({ request_id: r.request_id, status: "succeeded" });
      for (const o of r.outputs) expect(sha256(await readFile(path.join(first.dir, "out", o.path!)))).toBe(o.sha256);
    }
    const lockText = await readFile(path.join(first.dir, "fal-jobs.lock.json"), "utf8");
    for (const r of report.runs) expect(lockText).toContain(r.request_id!);
    expect(await readFile(path.join(first.dir, "out", "fal-jobs.lock.json"), "utf8")).toBe(await readFile(path.join(first.dir, "fal-jobs.lock.json"), "utf8"));

    // The estimate first, then the run's own summary: verdict, a row per job, where things are.
    const billed = displayUsd(report.execution.billed_nano);
    const lines = first.stdout.split("\n");
    expect(lines[0]).toMatch(/^JOB +MODEL +RUNS/);
    expect(lines).toContain(`WITHIN BUDGET: estimated ${displayUsd(report.totals.estimated_nano)}, budget $1.00 (from manifest)`);
    expect(lines).toContain(`RUN SUCCEEDED: 4 of 4 run(s) succeeded; billed ${billed} (estimated ${displayUsd(report.totals.estimated_nano)}), budget $1.00`);
    const hero = report.jobs.find((j) => j.id === "hero")!;
    expect(lines.findLast((l) => l.startsWith("hero "))!.split(/ {2,}/)).toEqual(["hero", "2", "2", "-", displayUsd(hero.estimated_nano), displayUsd(hero.run.billed_nano)]);
    expect(lines).toContain(`outputs: ${report.runs.reduce((n, r) => n + r.outputs.length, 0)} file(s) in out; report out/fal-jobs-report.json`);
    expect(lines).toContain("lock: fal-jobs.lock.json updated: the runs it holds are not paid for again");

    // Everything is locked now: nothing is submitted, and nothing asked.
    const again = await run(fal, [], { dir: first.dir });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(fal.submitCount()).toBe(4);
    expect(again.stdout).toContain("0 new run(s) to spend on, 4 locked (already paid)");
    expect(runReport(await reportIn(again.dir)).runs).toEqual([]);
  }));

  it("over budget: prints the estimate and the biggest contributors, submits nothing, writes the estimate report, exits 1", withFal(async (fal) => {
    const res = await run(fal, ["--yes", "--budget", "0.05"]);
    expect(res.code).toBe(1);
    expect(fal.submitCount()).toBe(0);
    expect(res.stdout).toMatch(/^OVER BUDGET: estimated \$[\d.]+, budget \$0\.05 \(smaller of --budget and manifest\)$/m);
    expect(res.stdout).toContain("Biggest contributors to the estimate:");
    expect(res.stdout.trimEnd().endsWith("Nothing was submitted.")).toBe(true);
    const report = (await reportIn(res.dir)) as EstimateReport;
    expect(report).toMatchObject({ mode: "estimate", verdict: "over-budget", pass: false });
  }));

  it("the hard cap holds while running: runs that overrun their estimate leave no room, and the rest are not started (exit 1)", withFal(async (fal) => {
    // Each image comes back 2048×2048 (4 MP) though 1 MP was asked: every run costs four times its estimate.
    fal.setModel("fal-ai/flux/schnell", {
      outcome: ({ requestId, fake }) => ({ output: { images: [{ url: `${fake.url}/cdn/${requestId}/0.png`, content_type: "image/png", width: 2048, height: 2048 }] } }),
    });
    const manifest = "version: 1\nbudget: 0.02\ndefaults: {concurrency: 1}\njobs:\n  - {id: big, model: fal-ai/flux/schnell, input: {prompt: x, image_size: square_hd}, repeat: 6}\n";
    const res = await run(fal, ["--yes"], { files: { "fal-jobs.yaml": manifest } });
    expect(res.code).toBe(1);
    const report = runReport(await reportIn(res.dir));
    const started = report.runs.filter((r) => r.submitted).length;
    expect(fal.submitCount()).toBe(started);
    expect(started).toBeLessThan(6);
    expect(report.execution.counts["skipped-budget"]).toBe(6 - started);
    expect(res.stdout).toMatch(/^RUN FAILED: \d of 6 run\(s\) succeeded/m);
    expect(res.stdout).toContain(`  ✗ ${6 - started} run(s) were not started because the budget would have been exceeded`);
  }));

  it("--json: stdout is the run report alone; the estimate goes to stderr; --report writes it too", withFal(async (fal) => {
    const res = await run(fal, ["--yes", "--json", "--report", "copy.json"]);
    expect(res.code).toBe(0);
    const report = runReport(JSON.parse(res.stdout) as Report);
    expect(report.runs).toHaveLength(4);
    expect(res.stderr).toMatch(/^WITHIN BUDGET: /m);
    expect(JSON.parse(await readFile(path.join(res.dir, "copy.json"), "utf8"))).toEqual(report);
  }));
});

describe.concurrent("fal-jobs run refuses before spending", () => {
  it("without FAL_KEY: says how to set it, exit 2, nothing sent to fal", withFal(async (fal) => {
    const res = await runCli(["run", "--yes"], { files: { "fal-jobs.yaml": MANIFEST }, env: fal.env() });
    expect(res.code).toBe(2);
    expect(res.stderr.split("\n")[0]).toBe("fal-jobs: run needs a fal key: set FAL_KEY in the environment (an API key from fal's dashboard). `fal-jobs estimate` needs none. Nothing was submitted.");
    expect(res.stderr).not.toMatch(/\binput\b/);
    expect(fal.requests).toEqual([]);
  }));

  it("a FAL_KEY with a line break inside is refused without showing any of it", withFal(async (fal) => {
    const key = "4f1c0c2e-first-half\nsecond-half-9a7b3c";
    const res = await run(fal, ["--yes"], { env: { FAL_KEY: key } });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^fal-jobs: the fal key \(FAL_KEY\) has .* inside it/);
    for (const piece of key.split("\n")) expect(res.stdout + res.stderr).not.toContain(piece);
    expect(fal.requests).toEqual([]);
  }));

  it("stdin is not a terminal and there is no --yes: refuses with the fix, exit 2, nothing sent", withFal(async (fal) => {
    const res = await run(fal, [], { stdin: "y\n" });
    expect(res.code).toBe(2);
    // What it would have spent is shown all the same.
    expect(res.stdout).toMatch(/^WITHIN BUDGET: estimated \$[\d.]+, budget \$1\.00/m);
    expect(res.stderr.split("\n")[0]).toBe("fal-jobs: run spends money, and stdin is not a terminal, so it cannot ask first: pass --yes to run without asking. Nothing was submitted.");
    expect(fal.requests).toEqual([]);
  }));

  it("a run without a budget is refused in CLI words, after the estimate (exit 2)", withFal(async (fal) => {
    const noBudget = await run(fal, ["--yes"], { files: { "fal-jobs.yaml": MANIFEST.replace("budget: 1\n", "") } });
    expect(noBudget.code).toBe(2);
    expect(noBudget.stderr).toContain("fal-jobs: a real run needs a budget: pass --budget USD or set `budget:` in the manifest");
    expect(noBudget.stdout).toContain("NO BUDGET");
    expect(noBudget.stdout).toContain("(--budget or the manifest's `budget`)");
    expect(fal.submitCount()).toBe(0);
  }));

  it("an output folder that is a symbolic link: named, exit 2, nothing sent", withFal(async (fal) => {
    const { symlink, mkdtemp } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const dir = await mkdtemp(path.join(tmpdir(), "fal-jobs-cli-"));
    await symlink(tmpdir(), path.join(dir, "out"));
    const res = await run(fal, ["--yes", "--out", "out"], { dir });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^fal-jobs: out is a symbolic link: fal-jobs never writes through symlinks in the output folder \(--out\)/);
    expect(fal.requests).toEqual([]);
  }));
});

describe("fal-jobs run on a terminal", () => {
  it("prints the estimate, then asks; anything but yes submits nothing (exit 1)", withFal(async (fal) => {
    const res = await run(fal, [], { tty: true, stdin: "n\n" });
    expect(res.code).toBe(1);
    const text = res.stdout.replaceAll("\r\n", "\n");
    const estimate = text.indexOf("WITHIN BUDGET: estimated");
    const question = text.search(/Submit 4 run\(s\) to fal for about \$[\d.]+\? Spending is capped at the budget, \$1\.00\. \[y\/N\] /);
    expect(estimate).toBeGreaterThan(-1);
    expect(question).toBeGreaterThan(estimate);
    expect(text).toContain("Nothing was submitted.");
    expect(fal.submitCount()).toBe(0);
  }));

  it("yes runs the batch", withFal(async (fal) => {
    const res = await run(fal, ["--out", "o"], { tty: true, stdin: "y\n" });
    expect(res.code, res.stdout).toBe(0);
    expect(fal.submitCount()).toBe(4);
    expect(res.stdout).toContain("RUN SUCCEEDED: 4 of 4 run(s) succeeded");
  }));
});

describe("fal-jobs run, Ctrl-C", () => {
  it("cancels the fal requests in flight, queued or running, keeps what finished, and still writes the report and the lock (exit 130)", withFal(async (fal) => {
    fal.setModel("fal-ai/flux/dev", { latencyMs: 60_000 }); // running until cancelled
    const manifest = "version: 1\nbudget: 1\njobs:\n  - {id: slow, model: fal-ai/flux/dev, input: {prompt: x, image_size: square_hd}, repeat: 2}\n  - {id: fast, model: fal-ai/flux/schnell, input: {prompt: y, image_size: square_hd}}\n";
    const res = await run(fal, ["--yes"], {
      files: { "fal-jobs.yaml": manifest },
      onStart: (child, dir) => {
        // Once both slow runs are running at fal and the fast run's files are kept (its result.json comes last).
        const fastKept = () => readdirSync(path.join(dir, "fal-jobs-output"), { recursive: true, encoding: "utf8" }).some((f) => f.startsWith("fast") && f.endsWith("result.json"));
        const poll = setInterval(() => {
          const slow = fal.submissions.filter((s) => s.model === "fal-ai/flux/dev");
          if (slow.length === 2 && slow.every((s) => s.state === "IN_PROGRESS") && existsSync(path.join(dir, "fal-jobs-output")) && fastKept()) {
            clearInterval(poll);
            child.kill("SIGINT");
          }
        }, 20);
        child.on("close", () => clearInterval(poll));
      },
    });
    expect(res.code, res.stdout + res.stderr).toBe(130);
    expect(res.stderr).toContain("fal-jobs: Ctrl-C: cancelling the fal requests in flight, then writing the report and the lock");
    const slowIds = fal.submissions.filter((s) => s.model === "fal-ai/flux/dev").map((s) => s.requestId);
    expect([...fal.cancels].sort()).toEqual([...slowIds].sort());

    const report = runReport(await reportIn(res.dir));
    expect(report.execution.cancelled).toBe(true);
    expect(report.runs.map((r) => [r.job, r.status])).toEqual([["slow", "cancelled"], ["slow", "cancelled"], ["fast", "succeeded"]]);
    expect(report.runs.filter((r) => r.uncollected)).toEqual([]);
    const lockText = await readFile(path.join(res.dir, "fal-jobs.lock.json"), "utf8");
    const fast = report.runs.find((r) => r.job === "fast")!;
    expect(lockText).toContain(fast.request_id!);
    for (const id of slowIds) expect(lockText).not.toContain(id);
    expect(res.stdout).toMatch(/^RUN CANCELLED: 1 of 3 run\(s\) succeeded/m);
    expect(existsSync(path.join(res.dir, "fal-jobs-output"))).toBe(true);
    expect((await readdir(path.join(res.dir, "fal-jobs-output"))).sort()).toEqual(expect.arrayContaining(["fal-jobs-report.json", "fal-jobs.lock.json"]));
  }));
});
