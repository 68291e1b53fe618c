import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAL_KEY, FakeFal } from "./fakes/fal.js";
import { annotations, CLI, runAction } from "./helpers/action.js";

/** Hostile manifests through the built CLI: refused or accepted quickly, never a hang or a stack trace. */

async function cli(args: string[], files: Record<string, string | Buffer>): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), "fal-jobs-cli-"));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr, ms: performance.now() - started };
}

describe("the built CLI on hostile manifests", () => {
  it("validates a 20 KB `${{` + spaces template in well under a second", async () => {
    const manifest = `version: 1
jobs:
  - id: a
    model: fal-ai/flux/dev
    input: {prompt: "\${{${" ".repeat(20_000)}"}
`;
    const run = await cli(["validate", "fal-jobs.yaml"], { "fal-jobs.yaml": manifest });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/valid — 1 job\(s\), 1 run\(s\)/);
    // A guard with room for a loaded machine's process start; the old regex took hours here.
    expect(run.ms).toBeLessThan(5000);
  });
});

describe("the built CLI refuses an oversize manifest without reading it", () => {
  it("a 4 MiB manifest is refused quickly with the limit and the fix", async () => {
    const big = `version: 1\njobs:\n${"  - {id: a, model: fal-ai/flux/dev}\n".repeat(120_000)}`;
    const run = await cli(["validate", "fal-jobs.yaml"], { "fal-jobs.yaml": big });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^fal-jobs\.yaml:1:1: the manifest is 4\d{6} bytes, over the limit of 1 MiB .*split/m);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.ms).toBeLessThan(5000);
  });
});

describe("the built action refuses a hostile manifest before spending anything", () => {
  let fal: FakeFal;
  beforeAll(async () => {
    fal = await FakeFal.start();
  });
  afterAll(async () => {
    await fal.close();
  });

  /** A real run (key, budget, loopback fal) that must stop at validation. */
  async function refused(manifest: string, at: { line: number; col: number; message: RegExp }) {
    const run = await runAction({
      inputs: { "dry-run": "false", "fal-key": FAL_KEY, budget: "5", "price-source": "catalog" },
      files: { "fal-jobs.yaml": manifest },
      env: fal.env(),
    });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const errors = annotations(run.stdout).filter((a) => a.props.file === "fal-jobs.yaml");
    expect(errors).toEqual([expect.objectContaining({ props: expect.objectContaining({ line: String(at.line), col: String(at.col) }), message: expect.stringMatching(at.message) })]);
    expect(run.stdout + run.stderr).not.toMatch(/^\s+at /m);
    expect(fal.submissions).toHaveLength(0);
    return run;
  }

  it("an alias with no anchor is a positioned manifest error, not a crash", async () => {
    await refused(
      `version: 1
jobs:
  - id: a
    model: fal-ai/flux/dev
    input: {prompt: *nope}
`,
      { line: 5, col: 21, message: /\*nope.*anchor/ },
    );
  });

  it("an oversize manifest is refused at line 1 with the limit", async () => {
    await refused(`version: 1\njobs:\n  - {id: a, model: fal-ai/flux/dev, input: {prompt: "${"x".repeat(1024 * 1024)}"}}\n`, { line: 1, col: 1, message: /over the limit of 1 MiB/ });
  });

  it("a model id with a `..` segment (it would escape a proxy's path prefix) is refused at the value", async () => {
    await refused(`version: 1\njobs:\n  - {id: a, model: fal-ai/../../admin/keys}\n`, { line: 3, col: 20, message: /`\.` or `\.\.` segments/ });
  });

  it("aliases that expand exponentially (billion laughs) are a positioned manifest error", async () => {
    await refused(
      `version: 1
x1: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]
x2: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
x3: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
x4: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
jobs:
  - id: a
    model: fal-ai/flux/dev
    input: {prompt: *d}
`,
      // The eighth *c is where the aliases pass 10,000 values: 110 + 1,110 + 8 × 1,111.
      { line: 5, col: 37, message: /aliases expand to more than 10000 values/ },
    );
  });
});

describe("the built action checks every duration against what a timer can keep", () => {
  const OK = `version: 1
jobs:
  - {id: a, model: fal-ai/flux/dev, input: {prompt: x}}
`;

  it("refuses a manifest timeout of 600h (setTimeout would fire at once) with an annotation naming the range", async () => {
    const run = await runAction({ inputs: {}, files: { "fal-jobs.yaml": OK.replace("input:", "timeout: 600h, input:") } });
    expect(run.code).toBe(1);
    expect(annotations(run.stdout).filter((a) => a.props.file === "fal-jobs.yaml")).toEqual([
      expect.objectContaining({ props: expect.objectContaining({ line: "3", col: "46" }), message: expect.stringMatching(/jobs\[0\]\.timeout.*from 1 s to 24 h/) }),
    ]);
  });

  it.each([
    ["deadline", "600h"],
    ["deadline", "0.0001"],
    ["billing-timeout", "25h"],
    ["billing-timeout", "100000"],
  ])("refuses %s: %s before anything is submitted", async (input, value) => {
    const fal = await FakeFal.start();
    try {
      const run = await runAction({
        inputs: { "dry-run": "false", "fal-key": FAL_KEY, budget: "5", "price-source": "catalog", [input]: value },
        files: { "fal-jobs.yaml": OK },
        env: fal.env(),
      });
      expect(run.code).toBe(1);
      expect(annotations(run.stdout).map((a) => a.message).join("\n")).toMatch(new RegExp(`^${input}: .*from 1 s to 24 h`, "m"));
      expect(fal.submissions).toHaveLength(0);
    } finally {
      await fal.close();
    }
  });

  it("refuses a video with `duration: 0` at its position before estimating (the model takes \"5\" or \"10\"), never $0", async () => {
    const run = await runAction({
      inputs: { budget: "5" },
      files: { "fal-jobs.yaml": `version: 1
jobs:
  - {id: v, model: fal-ai/kling-video/v2.1/master/text-to-video, input: {prompt: x, duration: 0}}
` },
    });
    expect(run.code).toBe(1);
    // A report of the error, and no estimate.
    expect(JSON.parse(await readFile(run.outputs["report-path"]!, "utf8"))).toMatchObject({ mode: "error" });
    expect(run.outputs["estimated-cost"]).toBeUndefined();
    expect(annotations(run.stdout).filter((a) => a.props.file === "fal-jobs.yaml")).toEqual([
      { props: expect.objectContaining({ line: "3", col: "95" }), message: 'jobs[0].input.duration: must be "5" or "10", not 0' },
    ]);
  });
});
