import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { annotations, CLI, readRunReport, runAction } from "./helpers/action.js";
import { useRunFakes } from "./helpers/run-fakes.js";
import { FakeFal } from "./fakes/fal.js";

/**
 * The lock, through the built dist/index.js against the loopback fakes: what
 * has been generated and paid for is never submitted again, and what changed
 * is submitted exactly.
 */

const fakes = useRunFakes();

const MANIFEST = `version: 1
budget: 5
jobs:
  - id: cats
    model: fal-ai/flux/schnell
    matrix: {mood: [happy, sad]}
    repeat: 2
    input: {prompt: "a \${{ matrix.mood }} cat", image_size: square}
  - id: hero
    model: fal-ai/flux/dev
    input: {prompt: "a lighthouse", image_size: landscape_4_3}
`;

/** One real run in `workspace` (which keeps the lock between runs), as workflow run `runId`. */
async function run(workspace: string, manifest: string, runId: number, inputs: Record<string, string> = {}) {
  await writeFile(path.join(workspace, "fal-jobs.yaml"), manifest);
  const before = fakes.fal.submitCount();
  const result = await fakes.realRun(manifest, { workspace, inputs: { "output-dir": `out-${runId}`, ...inputs }, env: { GITHUB_RUN_ID: String(runId) } });
  return { ...result, submitted: fakes.fal.submissions.slice(before) };
}

type Entry = { job: string; model: string; request_id: string; billed_nano: number; stored_in: string; outputs: Array<{ sha256: string; url: string }> };
const entriesOf = (lock: { runs: Record<string, Entry> }) => Object.values(lock.runs);

const prompts = (subs: Array<{ input: Record<string, unknown> }>) => subs.map((s) => String(s.input.prompt)).sort();

describe("the lock: never pay twice", () => {
  it("a first run submits everything and writes the lock; a second run with it submits nothing and spends $0", async () => {
    const ws = await mkdtemp(path.join(tmpdir(), "fal-jobs-lock-"));
    const first = await run(ws, MANIFEST, 1);
    expect(first.code).toBe(0);
    expect(first.submitted).toHaveLength(5);
    expect(first.outputs["new-runs"]).toBe("5");
    expect(first.outputs["locked-runs"]).toBe("0");
    expect(first.outputs["lock-changed"]).toBe("true");
    expect(first.outputs["lock-path"]).toBe("fal-jobs.lock.json");

    const lockText = await readFile(path.join(ws, "fal-jobs.lock.json"), "utf8");
    const lock = JSON.parse(lockText);
    expect(Object.keys(lock.runs)).toHaveLength(5);
    const entries = entriesOf(lock);
    const byRequest = new Map(first.submitted.map((s) => [s.requestId, s]));
    for (const e of entries) {
      // Every entry is a request fal really got, with its files' hashes as served.
      expect(byRequest.has(e.request_id)).toBe(true);
      expect(e.outputs.length).toBeGreaterThan(0);
      for (const o of e.outputs) expect(o.sha256).toBe(FakeFal.sha256(new URL(o.url).pathname));
      expect(e.stored_in).toBe("1.1");
      expect(e.billed_nano).toBeGreaterThan(0);
    }
    // The artifact that holds the files is recorded once, with its id and URL; a copy of the lock travels in it.
    expect(lock.stores["1.1"]).toMatchObject({ repository: "acme/widgets", run_id: "1", run_attempt: "1", artifact: { id: expect.any(Number) } });
    expect(await readFile(path.join(ws, "out-1", "fal-jobs.lock.json"), "utf8")).toBe(lockText.replace(/"artifact":\{[^}]*\}/, '"artifact":null'));
    // Deterministic text: one run per line (a git diff shows one line per run), keys sorted at every depth, a final newline.
    const runLines = lockText.split("\n").filter((l) => /^ {4}"[0-9a-f]{64}": \{/.test(l));
    expect(runLines).toHaveLength(5);
    for (const line of runLines) {
      const value: unknown = JSON.parse(line.replace(/^ {4}"[0-9a-f]{64}": /, "").replace(/,$/, ""));
      expect(JSON.stringify(value)).toBe(JSON.stringify(sortDeep(value)));
    }
    expect(Object.keys(lock)).toEqual(["key_scheme", "runs", "stores", "version"]);
    expect(lockText.endsWith("}\n")).toBe(true);

    const second = await run(ws, MANIFEST, 2);
    expect(second.code).toBe(0);
    expect(second.submitted).toHaveLength(0);
    expect(second.outputs["estimated-cost"]).toBe("0.00");
    expect(second.outputs["full-cost"]).toBe(first.outputs["estimated-cost"]);
    expect(second.outputs["locked-runs"]).toBe("5");
    expect(second.outputs["billed-cost"]).toBe("0.00");
    expect(second.outputs["lock-changed"]).toBe("false");
    // Nothing new was done: the lock is byte-identical.
    expect(await readFile(path.join(ws, "fal-jobs.lock.json"), "utf8")).toBe(lockText);
    const report = await readRunReport(second);
    expect(report.locked).toHaveLength(5);
    expect(report.locked[0]!.artifact_url).toBe(lock.stores["1.1"].artifact.url);
    expect(report.runs).toHaveLength(0);
  });

  it("changing one prompt submits exactly that job's runs; renaming and reordering submit nothing; removed runs leave the lock", async () => {
    const ws = await mkdtemp(path.join(tmpdir(), "fal-jobs-lock-"));
    await run(ws, MANIFEST, 1);

    // Reordered jobs, renamed job, matrix values and keys reordered, YAML reformatted: the same generations.
    const reordered = `version: 1
budget: 5
jobs:
  - {id: lighthouse, model: fal-ai/flux/dev, input: {image_size: landscape_4_3, prompt: a lighthouse}}
  - id: kittens
    model: fal-ai/flux/schnell
    repeat: 2
    matrix:
      mood: [sad, happy]
    input:
      image_size: square
      prompt: "a \${{ matrix.mood }} cat"
`;
    const renamed = await run(ws, reordered, 2);
    expect(renamed.code).toBe(0);
    expect(renamed.submitted).toHaveLength(0);
    const lock = JSON.parse(await readFile(path.join(ws, "fal-jobs.lock.json"), "utf8"));
    // The lock follows the rename (a reviewable diff), without re-running anything.
    expect(new Set(entriesOf(lock).map((e) => e.job))).toEqual(new Set(["lighthouse", "kittens"]));

    const changed = await run(ws, reordered.replace("a lighthouse", "a red lighthouse"), 3);
    expect(changed.code).toBe(0);
    expect(prompts(changed.submitted)).toEqual(["a red lighthouse"]);
    expect(changed.outputs["locked-runs"]).toBe("4");
    expect(changed.outputs["removed-runs"]).toBe("1");
    const after = JSON.parse(await readFile(path.join(ws, "fal-jobs.lock.json"), "utf8"));
    expect(Object.keys(after.runs)).toHaveLength(5);
    expect(entriesOf(after).map((e) => e.model).filter((m) => m === "fal-ai/flux/dev")).toHaveLength(1);
  });

  it("raising repeat submits only the added repeats; cache: false always runs", async () => {
    const ws = await mkdtemp(path.join(tmpdir(), "fal-jobs-lock-"));
    const manifest = `version: 1
budget: 5
jobs:
  - {id: a, model: fal-ai/flux/schnell, repeat: 2, input: {prompt: kept}}
  - {id: fresh, model: fal-ai/flux/schnell, cache: false, input: {prompt: eval}}
`;
    const first = await run(ws, manifest, 1);
    expect(prompts(first.submitted)).toEqual(["eval", "kept", "kept"]);
    const second = await run(ws, manifest.replace("repeat: 2", "repeat: 3"), 2);
    expect(prompts(second.submitted)).toEqual(["eval", "kept"]);
    expect(second.outputs["new-runs"]).toBe("2");
    expect(second.outputs["locked-runs"]).toBe("2");
    const lock = JSON.parse(await readFile(path.join(ws, "fal-jobs.lock.json"), "utf8"));
    // cache: false runs are never recorded as had.
    expect(entriesOf(lock).map((e) => e.job)).toEqual(["a", "a", "a"]);
  });

  it("a malformed lock fails with its position and submits nothing", async () => {
    const ws = await mkdtemp(path.join(tmpdir(), "fal-jobs-lock-"));
    await writeFile(path.join(ws, "fal-jobs.lock.json"), '{\n  "version": 1,\n  "key_scheme": "fal-jobs-run-key/1",\n  "runs": {\n    "abc": {}\n  },\n  "stores": {}\n}\n');
    const bad = await run(ws, MANIFEST, 1);
    expect(bad.code).toBe(1);
    expect(bad.submitted).toHaveLength(0);
    const [error] = annotations(bad.stdout);
    expect(error!.props).toMatchObject({ file: "fal-jobs.lock.json", line: "5", col: "5" });
    expect(error!.message).toMatch(/not a run key: a run key is a sha256/);

    await writeFile(path.join(ws, "fal-jobs.lock.json"), '{\n  "version": 1,\n  "runs": {,}\n}\n');
    const broken = await run(ws, MANIFEST, 2);
    expect(broken.submitted).toHaveLength(0);
    expect(annotations(broken.stdout)[0]!.props).toMatchObject({ file: "fal-jobs.lock.json", line: "3" });
  });

  it("lock: off plans against nothing and writes nothing", async () => {
    const ws = await mkdtemp(path.join(tmpdir(), "fal-jobs-lock-"));
    await run(ws, MANIFEST, 1);
    const again = await run(ws, MANIFEST, 2, { lock: "off" });
    expect(again.submitted).toHaveLength(5);
    expect(again.outputs["lock-path"]).toBe("");
  });

  it("the dry run reads the lock: to spend vs full, and the budget gates what will be spent unless budget-scope is full", async () => {
    const ws = await mkdtemp(path.join(tmpdir(), "fal-jobs-lock-"));
    await run(ws, MANIFEST, 1);
    const grown = MANIFEST.replace("repeat: 2", "repeat: 3").replace("budget: 5", "budget: 0.01");
    await writeFile(path.join(ws, "fal-jobs.yaml"), grown);
    const dry = await runAction({ workspace: ws, inputs: { "price-source": "catalog" } });
    expect(dry.code).toBe(0);
    expect(dry.outputs["new-runs"]).toBe("2");
    expect(dry.outputs["locked-runs"]).toBe("5");
    expect(Number(dry.outputs["estimated-cost"])).toBeLessThan(Number(dry.outputs["full-cost"]));
    const full = await runAction({ workspace: ws, inputs: { "price-source": "catalog", "budget-scope": "full" } });
    expect(full.code).toBe(1);
    expect(full.outputs["over-budget"]).toBe("true");
  });
});

describe("what people see", () => {
  it("the summary leads with what merging will spend; a manifest that changes nothing gets one line", async () => {
    const ws = await mkdtemp(path.join(tmpdir(), "fal-jobs-lock-"));
    await run(ws, MANIFEST, 1);
    await writeFile(path.join(ws, "fal-jobs.yaml"), MANIFEST.replace("a lighthouse", "a red lighthouse"));
    const changed = await runAction({ workspace: ws, inputs: { "price-source": "catalog" } });
    expect(changed.summary).toContain("**Merging this will spend about $0.025 on 1 new run, <1% of the $5.00 budget** (4 unchanged, already paid; 1 removed).");
    expect(changed.summary).toContain("| Whole manifest | 5 | $0.037 |");
    // Per job: new runs, then the runs the lock holds.
    expect(changed.summary).toContain("| hero<br><sub>`fal-ai/flux/dev`</sub> | 1 | 0 |");
    expect(changed.summary).toContain("| cats<br><sub>`fal-ai/flux/schnell`</sub> | 0 | 4 | — |");
    expect(changed.summary).toMatch(/Removed from the manifest, dropped from the lock: hero \(1 run, \$0\.025 billed when generated\)/);

    await writeFile(path.join(ws, "fal-jobs.yaml"), MANIFEST);
    const same = await runAction({ workspace: ws, inputs: { "price-source": "catalog" } });
    const lines = same.summary.trim().split("\n").filter(Boolean);
    expect(lines[1]).toBe("**Merging this will spend nothing on fal**: all 5 runs are already generated and paid for.");
    expect(lines).toHaveLength(3); // heading, the sentence, the sources footnote
  });

  it("a real run's summary says when the lock changed and must be committed; lock verify checks the artifact's files", async () => {
    const ws = await mkdtemp(path.join(tmpdir(), "fal-jobs-lock-"));
    const first = await run(ws, MANIFEST, 1);
    expect(first.summary).toContain("🔒 **The lock changed**: commit `fal-jobs.lock.json`");
    const second = await run(ws, MANIFEST, 2);
    expect(second.summary).toContain("🔒 Lock `fal-jobs.lock.json` unchanged.");

    const exec = promisify(execFile);
    const ok = await exec(process.execPath, [CLI, "lock", "verify", "out-1", "--lock", "fal-jobs.lock.json"], { cwd: ws });
    expect(ok.stdout).toContain("5 file(s) match the lock, 0 differ, 0 missing from out-1");
    const lock = JSON.parse(await readFile(path.join(ws, "fal-jobs.lock.json"), "utf8"));
    const victim = (Object.values(lock.runs) as Entry[])[0]!.outputs[0] as unknown as { name: string };
    await writeFile(path.join(ws, "out-1", victim.name), "tampered");
    const bad = (await exec(process.execPath, [CLI, "lock", "verify", "out-1"], { cwd: ws }).then(
      () => ({ code: 0, stdout: "" }),
      (e: { code: number; stdout: string }) => e,
    ));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`${victim.name}: 8 bytes, the lock says`);
    expect(bad.stdout).toContain("4 file(s) match the lock, 1 differ, 0 missing");
  });
});

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]));
}
