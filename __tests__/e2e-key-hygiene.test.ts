import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeArtifactServer } from "./fakes/artifact-server.js";
import { FAL_KEY, FakeFal } from "./fakes/fal.js";
import { DEFAULT_OWNER, DEFAULT_REPO, FakeGitHub, GITHUB_TOKEN } from "./fakes/github-server.js";
import { CLI, runAction, type ActionRun } from "./helpers/action.js";
import { runnerLines } from "./helpers/commands.js";

/**
 * A fal key damaged by copy-paste (a line break inside it) must stop the
 * step before anything is sent, with a message that shows no part of it:
 * HTTP libraries quote a header value they refuse, and those errors used to
 * end up in the warnings, the comment and the report.
 */

const FIRST = "4f1c0c2e-damaged-key-first-half";
const SECOND = "second-half-9a7b3c5d1e";
const PR = 7;
const HEAD = "a".repeat(40);

let fal: FakeFal;
let gh: FakeGitHub;
let artifacts: FakeArtifactServer;
beforeEach(async () => {
  fal = await FakeFal.start({ keys: [FAL_KEY, `${FIRST}${SECOND}`] });
  gh = await FakeGitHub.start({ pullRequestHeads: { [PR]: HEAD } });
  artifacts = await FakeArtifactServer.start();
});
afterEach(async () => {
  await fal.close();
  await gh.close();
  await artifacts.close();
});

const MANIFEST = "version: 1\nbudget: 1\njobs:\n  - {id: hero, model: fal-ai/flux/schnell, input: {prompt: x}}\n";

function prRun(opts: { inputs?: Record<string, string>; env?: Record<string, string> }) {
  return runAction({
    inputs: { "github-token": GITHUB_TOKEN, ...opts.inputs },
    files: { "fal-jobs.yaml": MANIFEST },
    event: { name: "pull_request", payload: { number: PR, pull_request: { number: PR, head: { sha: HEAD } } } },
    env: { ...fal.env(), ...gh.env(), ...artifacts.env(), GITHUB_REPOSITORY: `${DEFAULT_OWNER}/${DEFAULT_REPO}`, ...opts.env },
  });
}

/** Every place a key could surface, except the runner's own mask commands. */
async function everywhere(run: ActionRun): Promise<string> {
  const reportFile = path.join(run.workspace, "fal-outputs", "fal-jobs-report.json");
  const report = existsSync(reportFile) ? await readFile(reportFile, "utf8") : "";
  const stdout = runnerLines(run.stdout).filter((l) => !l.startsWith("::add-mask::")).join("\n");
  const comments = gh.commentsOn(PR, { includeDeleted: true }).map((c) => c.body).join("\n");
  return [stdout, run.stderr, run.summary, report, JSON.stringify(run.outputs), comments].join("\n");
}

describe("a fal key with a line break inside", () => {
  for (const [name, brk] of [
    ["LF", "\n"],
    ["CRLF", "\r\n"],
  ] as const) {
    it(`(${name}, from FAL_KEY) fails a dry run up front and shows no part of the key anywhere`, async () => {
      const run = await prRun({ env: { FAL_KEY: `${FIRST}${brk}${SECOND}` } });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/::error::.*fal key.*line break/i);
      const all = await everywhere(run);
      for (const piece of [FIRST, SECOND, "damaged-key", "9a7b3c5d1e"]) expect(all).not.toContain(piece);
      // Masked before anything else, piece by piece.
      expect(run.stdout.indexOf(`::add-mask::${FIRST}`)).toBeGreaterThanOrEqual(0);
      expect(run.stdout.indexOf(`::add-mask::${SECOND}`)).toBeGreaterThanOrEqual(0);
      expect(fal.requests).toEqual([]);
    });
  }

  it("(from the fal-key input) fails a real run before anything is submitted", async () => {
    const run = await prRun({ inputs: { "dry-run": "false", "fal-key": `${FIRST}\n${SECOND}`, "price-source": "catalog" } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::.*fal-key.*line break/i);
    const all = await everywhere(run);
    for (const piece of [FIRST, SECOND]) expect(all).not.toContain(piece);
    expect(fal.submitCount()).toBe(0);
    expect(fal.requests).toEqual([]);
  });

  it("an admin key with a control character inside is refused the same way", async () => {
    const run = await prRun({ inputs: { "dry-run": "false", "fal-key": FAL_KEY, "fal-admin-key": `${FIRST}\u0007${SECOND}`, "price-source": "catalog" } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::.*fal-admin-key/i);
    for (const piece of [FIRST, SECOND]) expect(await everywhere(run)).not.toContain(piece);
    expect(fal.submitCount()).toBe(0);
  });

  it("whitespace around the key (a trailing newline from a pasted secret) is trimmed, and the run works", async () => {
    const run = await prRun({ inputs: { "dry-run": "false", "price-source": "catalog", comment: "off" }, env: { FAL_KEY: `\n ${FAL_KEY}\r\n` } });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(fal.submitCount()).toBe(1);
  });

  it("the CLI refuses FAL_KEY with a line break inside, without printing it", async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, "estimate", path.resolve("examples/fal-jobs.yaml")], {
        env: { PATH: process.env.PATH ?? "", FAL_KEY: `${FIRST}\r\n${SECOND}`, ...fal.env() },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.on("close", (c) => resolve({ code: c, stdout: out, stderr: err }));
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/FAL_KEY.*line break/i);
    for (const piece of [FIRST, SECOND]) expect(stdout + stderr).not.toContain(piece);
    expect(fal.requests).toEqual([]);
  });
});
