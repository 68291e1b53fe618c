import { lstat, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FAL_KEY } from "./fakes/fal.js";
import { annotations, runAction, type ActionOptions } from "./helpers/action.js";
import { useRunFakes } from "./helpers/run-fakes.js";

/** The built action never writes through a symlink in output-dir, in dry and real runs. */

const fakes = useRunFakes();

const MANIFEST = `version: 1
budget: 1
jobs:
  - id: hero
    model: fal-ai/flux/schnell
    input: {prompt: "a city"}
`;

function action(opts: ActionOptions & { manifest?: string; real?: boolean }) {
  const real: Record<string, string> = opts.real ? { "dry-run": "false", "fal-key": FAL_KEY, "artifact-name": "gen" } : {};
  return runAction({
    ...opts,
    inputs: { "price-source": "catalog", comment: "off", ...real, ...opts.inputs },
    files: { "fal-jobs.yaml": opts.manifest ?? MANIFEST, ...opts.files },
    env: { ...fakes.env(), ...opts.env },
  });
}

async function workspaceWith(setup: (ws: string) => Promise<void>): Promise<string> {
  const ws = await mkdtemp(path.join(tmpdir(), "fal-jobs-ws-"));
  await setup(ws);
  return ws;
}

const errorsOf = (stdout: string) => annotations(stdout).map((a) => a.message).join("\n");

describe("the built action never writes through a symlink in output-dir", () => {
  it("dry run: a committed report symlink is refused and the file it points at is unchanged", async () => {
    const workspace = await workspaceWith(async (ws) => {
      await writeFile(path.join(ws, "elsewhere"), "precious\n");
      await mkdir(path.join(ws, "fal-outputs"));
      await symlink("../elsewhere", path.join(ws, "fal-outputs", "fal-jobs-report.json"));
    });
    const run = await action({ workspace });
    expect(run.code).toBe(1);
    expect(await readFile(path.join(workspace, "elsewhere"), "utf8")).toBe("precious\n");
    expect(errorsOf(run.stdout)).toMatch(/fal-outputs[/\\]fal-jobs-report\.json.*symbolic link/);
    expect((await lstat(path.join(workspace, "fal-outputs", "fal-jobs-report.json"))).isSymbolicLink()).toBe(true);
  });

  it("dry run: an output-dir that is itself a symlink is refused; nothing lands where it points", async () => {
    const workspace = await workspaceWith(async (ws) => {
      await mkdir(path.join(ws, "outside"));
      await symlink("outside", path.join(ws, "fal-outputs"));
    });
    const run = await action({ workspace });
    expect(run.code).toBe(1);
    expect(errorsOf(run.stdout)).toMatch(/fal-outputs.*symbolic link/);
    expect(await readdir(path.join(workspace, "outside"))).toEqual([]);
  });

  it("real run: a symlinked job folder in output-dir is refused before anything is submitted; the folder it points at is untouched", async () => {
    const workspace = await workspaceWith(async (ws) => {
      await mkdir(path.join(ws, "outside", "run-1"), { recursive: true });
      await writeFile(path.join(ws, "outside", "run-1", "images_0.png"), "not yours\n");
      await mkdir(path.join(ws, "fal-outputs"));
      await symlink("../outside", path.join(ws, "fal-outputs", "hero"));
    });
    const run = await action({ workspace, real: true });
    expect(run.code).toBe(1);
    expect(errorsOf(run.stdout)).toMatch(/fal-outputs[/\\]hero.*symbolic link/);
    expect(errorsOf(run.stdout)).toMatch(/nothing was submitted/i);
    expect(fakes.fal.submitCount()).toBe(0);
    expect(await readdir(path.join(workspace, "outside", "run-1"))).toEqual(["images_0.png"]);
    expect(await readFile(path.join(workspace, "outside", "run-1", "images_0.png"), "utf8")).toBe("not yours\n");
  });
});
