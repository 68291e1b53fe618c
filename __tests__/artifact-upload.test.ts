import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactName, uploadOutputs } from "../src/adapters/artifact/upload.js";
import { FakeArtifactServer } from "./fakes/artifact-server.js";
import { captureActionsLog } from "./helpers/actions-log.js";

captureActionsLog();

/** The real @actions/artifact client against the loopback artifact service. */

let svc: FakeArtifactServer;
let env: NodeJS.ProcessEnv;
let saved: Record<string, string | undefined>;
beforeAll(async () => {
  svc = await FakeArtifactServer.start();
  env = { ...svc.env(), GITHUB_REPOSITORY: "acme/widgets", GITHUB_RUN_ID: "77", GITHUB_RUN_ATTEMPT: "2", GITHUB_SERVER_URL: "https://github.com" };
  // @actions/artifact reads the runtime from process.env, not from arguments.
  saved = Object.fromEntries(Object.keys(svc.env()).map((k) => [k, process.env[k]]));
  Object.assign(process.env, svc.env());
});
afterAll(async () => {
  // The worker runs other files next (vitest.config.ts): leave process.env as it was.
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await svc.close();
});

async function outputsDir(files: Record<string, Buffer | string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "fal-out-"));
  for (const [name, data] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), data);
  }
  return root;
}

describe("artifact upload", () => {
  it("uploads every file with its path and exact bytes, named per attempt, and links to it", async () => {
    const png = randomBytes(300_000);
    const root = await outputsDir({ "hero/1/0.png": png, "hero/1/result.json": "{}", "fal-jobs-report.json": '{"ok":true}', "hero/1/0.png.part": "partial" });
    const res = await uploadOutputs("fal-outputs", root, env);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.artifact.name).toBe("fal-outputs-attempt-2");
    expect(res.artifact.url).toBe(`https://github.com/acme/widgets/actions/runs/77/artifacts/${res.artifact.id}`);
    const entries = svc.zipEntries("fal-outputs-attempt-2");
    expect(entries.map((e) => e.name).sort()).toEqual(["fal-jobs-report.json", "hero/1/0.png", "hero/1/result.json"]);
    const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
    expect(sha(entries.find((e) => e.name === "hero/1/0.png")!.data)).toBe(sha(png));
  });

  it("returns the failure instead of throwing when the service refuses", async () => {
    svc.fail({ route: "CreateArtifact", status: 403, times: 1, msg: "artifact storage quota exceeded" });
    const root = await outputsDir({ "a/1/out.txt": "x" });
    const res = await uploadOutputs("quota", root, env);
    expect(res).toMatchObject({ ok: false, error: expect.stringMatching(/quota|403|Forbidden/i) });
  });

  it("says why when not inside Actions, or when there is nothing to upload", async () => {
    const root = await outputsDir({ "a.txt": "x" });
    expect(await uploadOutputs("x", root, {})).toMatchObject({ ok: false, error: expect.stringContaining("ACTIONS_RUNTIME_TOKEN") });
    const empty = await outputsDir({});
    expect(await uploadOutputs("x", empty, env)).toEqual({ ok: false, error: "no files to upload" });
  });

  it("makes names the service accepts", () => {
    expect(artifactName('a/b:c"d', { GITHUB_RUN_ATTEMPT: "3" })).toBe("a-b-c-d-attempt-3");
    expect(artifactName("  ", {})).toBe("fal-outputs-attempt-1");
  });
});
