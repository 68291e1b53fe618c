import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { FAL_KEY } from "./fakes/fal.js";
import { CLI, runAction } from "./helpers/action.js";
import { useRunFakes } from "./helpers/run-fakes.js";
import { runnerCommands, runnerLines } from "./helpers/commands.js";

/**
 * Workflow-command injection through the built dist/index.js: text from the
 * manifest (matrix values become run ids), from fal (error messages) and from
 * a report file (post-only mode) must never become a runner command.
 * Every injected piece carries "INJ", so any command that holds it at its
 * start came from untrusted text.
 */

const fakes = useRunFakes();

const FAL_ERROR = "model crashed\n::error file=src/x.ts,line=1::INJ from fal\r\n::add-mask::INJ-fal ##[error]INJ legacy\n  ::stop-commands::INJtoken";

const MANIFEST = `version: 1
budget: 1
pricing:
  acme/broken: {unit: images, unit_price: 0.01}
jobs:
  - id: thumbs
    model: fal-ai/flux/schnell
    matrix:
      animal: ["cat\\n::error::INJ pwned", "::add-mask::INJ-mask", "dog\\r::stop-commands::INJ-stop", "owl ##[add-mask]INJ-legacy", "bat\\u2028::warning::INJ-ls"]
    input: {prompt: "a \${{ matrix.animal }}", image_size: square}
  - id: broken
    model: acme/broken
    input: {prompt: x}
`;

/** The commands the action itself issues; anything else in the log is an injection. */
function unexpectedCommands(stdout: string, stderr: string): string[] {
  const bad: string[] = [];
  for (const c of [...runnerCommands(stdout), ...runnerCommands(stderr)]) {
    const ok =
      c.form === "v2" &&
      ((c.name === "add-mask" && !c.data.includes("INJ")) ||
        (c.name === "group" && c.data === "fal-jobs: running") ||
        (c.name === "endgroup" && c.data === "") ||
        // Our annotations, and the libraries' debug lines: one escaped line each, whatever they quote.
        (["warning", "error", "debug"].includes(c.name) && !/^\s*INJ/.test(c.data)));
    if (!ok) bad.push(c.line);
  }
  return bad;
}

describe("workflow-command injection through the built action", () => {
  it("matrix values and fal error text reach the log escaped, never as runner commands", async () => {
    fakes.fal.setModel("acme/broken", { outcome: () => ({ completedError: { message: FAL_ERROR, type: "runner_server_error" } }) });
    const run = await runAction({
      inputs: { "dry-run": "false", "fal-key": FAL_KEY, "price-source": "catalog", "artifact-name": "gen" },
      files: { "fal-jobs.yaml": MANIFEST },
      env: { ...fakes.env() },
    });
    // The broken job fails the step; every run was still submitted and logged.
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(fakes.fal.submitCount()).toBe(6);
    expect(unexpectedCommands(run.stdout, run.stderr)).toEqual([]);
    // The text is still there to read, with its line breaks shown as escapes.
    expect(run.stdout).toContain("thumbs[animal=cat\\n::error::INJ pwned]#1: submitted");
    expect(run.stdout).toContain("thumbs[animal=dog\\r::stop-commands::INJ-stop]#1: succeeded");
    expect(runnerLines(run.stdout).some((l) => l.startsWith("broken#1: failed — ") && l.includes("model crashed\\n"))).toBe(true);
  });

  it("post-only mode refuses a report whose fields are not what the report schema says, naming the field", async () => {
    const dry = await runAction({ inputs: { comment: "off", budget: "5" }, files: { "fal-jobs.yaml": "version: 1\njobs:\n  - {id: hero, model: fal-ai/flux/dev, input: {prompt: x}}\n" } });
    expect(dry.code, dry.stdout).toBe(0);
    const good = JSON.parse(await readFile(dry.outputs["report-path"]!, "utf8")) as Report;
    const evil = "$(curl x|sh)";

    const cases: Array<[string, (r: Report) => void, RegExp]> = [
      ["budget", (r) => (r.budget.effective = evil), /budget\.effective/],
      ["billed", (r) => Object.assign(r, { mode: "run", execution: { billed: evil } }), /execution\./],
      ["verdict", (r) => (r.verdict = "within-budget\n::error::INJ" as Report["verdict"]), /verdict/],
      ["jobs", (r) => (r.jobs = [{ id: 1 }] as unknown as Report["jobs"]), /jobs\[0\]\./],
      ["totals", (r) => (r.totals.estimated_nano = "1e9" as unknown as number), /totals\.estimated_nano/],
    ];
    for (const [name, mutate, field] of cases) {
      const report = structuredClone(good);
      mutate(report);
      const file = path.join(dry.workspace, `hostile-${name}.json`);
      await writeFile(file, JSON.stringify(report));
      const post = await runAction({ inputs: { report: file, comment: "off" }, workspace: dry.workspace });
      expect(post.code, `${name}: ${post.stdout}`).toBe(1);
      const failure = runnerCommands(post.stdout).find((c) => c.name === "error")!.data;
      expect(failure, name).toMatch(/report: .*not a valid fal-jobs report/);
      expect(failure.replace(/%0A/g, "\n"), name).toMatch(field);
      for (const value of Object.values(post.outputs)) expect(value).not.toContain("curl");
      expect(unexpectedCommands(post.stdout, post.stderr)).toEqual([]);
    }
  });

  it("post-only mode refuses a report file too large to be one of ours, before reading it", async () => {
    const dry = await runAction({ inputs: { comment: "off" }, files: { "fal-jobs.yaml": "version: 1\njobs:\n  - {id: hero, model: fal-ai/flux/dev, input: {prompt: x}}\n" } });
    const file = path.join(dry.workspace, "huge.json");
    // Sparse: 600 MB by size, nothing on disk. Reading it would take seconds and as much memory.
    await writeFile(file, "");
    await truncate(file, 600 * 1024 * 1024);
    const post = await runAction({ inputs: { report: file, comment: "off" }, workspace: dry.workspace, timeoutMs: 20_000 });
    expect(post.code).toBe(1);
    expect(post.stdout).toMatch(/report: cannot read .*huge\.json: it is 629145600 bytes; a report is at most/);
  });

  it("post-only mode renders a valid but hostile report without letting its text reach the log as commands", async () => {
    const dry = await runAction({ inputs: { comment: "off", budget: "5" }, files: { "fal-jobs.yaml": "version: 1\njobs:\n  - {id: hero, model: fal-ai/flux/dev, input: {prompt: x}}\n" } });
    const report = JSON.parse(await readFile(dry.outputs["report-path"]!, "utf8")) as Report;
    report.warnings.push("look\n::error::INJ from warning ##[add-mask]INJ");
    report.reasons.push("why\r::add-mask::INJ-reason");
    report.pass = false;
    report.jobs[0]!.source_detail = "catalog\n::error::INJ from job";
    const file = path.join(dry.workspace, "hostile.json");
    await writeFile(file, JSON.stringify(report));
    const post = await runAction({ inputs: { report: file, comment: "off" }, workspace: dry.workspace });
    expect(post.code, post.stdout).toBe(1);
    expect(post.outputs).toMatchObject({ "estimated-cost": report.totals.estimated, budget: "5.00", "over-budget": "false", "billed-cost": "" });
    expect(unexpectedCommands(post.stdout, post.stderr)).toEqual([]);
    expect(post.summary).toContain("hero");
  });

  it("the CLI's text output (often run in a workflow step) cannot issue commands either", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "fal-jobs-cli-"));
    const file = path.join(dir, "fal-jobs.yaml");
    await writeFile(file, `version: 1\nbudget: 1\npricing:\n  acme/lora: {unit: "px\\n::error::INJ unit\\r##[add-mask]INJ", unit_price: 0.01}\njobs:\n  - {id: lora, model: acme/lora, input: {prompt: x}}\n`);
    const res = spawnSync(process.execPath, [CLI, "estimate", file, "--price-source", "catalog"], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
    expect(res.status, res.stdout + res.stderr).toBe(1);
    expect(res.stdout).toContain("INJ unit");
    expect(unexpectedCommands(res.stdout, res.stderr)).toEqual([]);
  });
});
