import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLI } from "./helpers/action.js";

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
