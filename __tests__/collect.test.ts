import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadFile } from "../src/adapters/fal/cdn.js";
import { createCollector, type CollectorOptions } from "../src/run/collect.js";
import type { RunRecord } from "../src/run/types.js";
import { FakeFal } from "./fakes/fal.js";

/** The collector against the fake CDN: every paid output kept once, under a unique name, exactly as recorded. */

let fal: FakeFal;
beforeAll(async () => {
  fal = await FakeFal.start();
});
afterAll(async () => {
  await fal.close();
});

function collector(outputDir: string, extra: Partial<CollectorOptions> = {}) {
  return createCollector({
    outputDir,
    fetchFile: (url, dest, signal, budget) => downloadFile(url, dest, { extraOrigins: new Set([new URL(fal.url).origin]), maxBytes: 10_000_000, retries: 0, timeoutMs: 10_000 }, signal, budget),
    concurrency: 4,
    ...extra,
  });
}

let seq = 0;
function record(job = "hero", repeat = 1): RunRecord {
  return {
    id: `${job}#${repeat}`,
    job,
    model: "fal-ai/x",
    variant: "",
    repeat,
    status: "succeeded",
    submitted: true,
    submit_outcome: "accepted",
    request_id: `req-${++seq}`,
    error: null,
    timings: { started_at: null, submitted_at: null, completed_at: null, finished_at: null, total_ms: null },
    estimate_nano: 0,
    unit_price: null,
    header_units: null,
    observed_units: null,
    input_units: null,
    dir: null,
    outputs: [],
  };
}

const png = (p: string) => ({ url: `${fal.url}/cdn/${p}.png`, content_type: "image/png" });
const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
const outDir = () => mkdtemp(path.join(tmpdir(), "fal-collect-"));

/** Deeply nested: `{ a: { a: … { video: file } } }`. */
function nested(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** Every file on disk matches its record, and every file on disk is recorded (or is the run's result.json). */
async function expectDiskMatchesRecord(root: string, rec: RunRecord): Promise<void> {
  const kept = rec.outputs.filter((o) => o.path);
  for (const o of kept) {
    const data = await readFile(path.join(root, o.path!));
    expect({ path: o.path, bytes: data.length, sha256: sha(data) }).toEqual({ path: o.path, bytes: o.bytes, sha256: o.sha256 });
  }
  const onDisk = (await readdir(path.join(root, rec.dir!))).sort();
  expect(onDisk).toEqual([...kept.map((o) => path.basename(o.path!)), "result.json"].sort());
  const lower = onDisk.map((n) => n.toLowerCase());
  expect(new Set(lower).size).toBe(lower.length);
  expect(JSON.parse(await readFile(path.join(root, rec.dir!, "result.json"), "utf8"))).toMatchObject({ run: rec.id });
}

describe("collecting a run's outputs", () => {
  it("keeps every output once under a unique name, result.json reserved, case-insensitively, with what is recorded matching the disk", async () => {
    const root = await outDir();
    const long = "x".repeat(90);
    const data = {
      images: [png("u/0"), png("u/1")],
      images_0: png("u/2"),
      images_1: png("u/3"),
      result: { url: `${fal.url}/cdn/u/4.json`, content_type: "application/json" },
      image: png("u/5"),
      Image: png("u/6"),
      [`${long}_a`]: png("u/7"),
      [`${long}_b`]: png("u/8"),
      text_: { url: `${fal.url}/cdn/u/9.txt`, content_type: "text/plain" },
      deep: nested(12, { video: { url: `${fal.url}/cdn/u/10.mp4`, content_type: "video/mp4" } }),
      text: "a transcript",
    };
    const rec = record();
    await collector(root).collect(rec, {}, data);
    expect(rec.outputs).toHaveLength(12);
    expect(rec.outputs.filter((o) => o.error)).toEqual([]);
    for (const o of rec.outputs.filter((x) => x.url)) expect(o.sha256).toBe(FakeFal.sha256(new URL(o.url).pathname));
    const text = rec.outputs.find((o) => o.source === "text")!;
    expect(text).toMatchObject({ bytes: 12, sha256: sha("a transcript") });
    expect(rec.outputs.map((o) => path.basename(o.path!))).not.toContain("result.json");
    await expectDiskMatchesRecord(root, rec);
  });

  it("gives runs folders that differ in more than case (one folder on macOS and Windows)", async () => {
    const root = await outDir();
    const c = collector(root);
    const [upper, lower] = [record("Hero"), record("hero")];
    await c.collect(upper, {}, { images: [png("case/0")] });
    await c.collect(lower, {}, { images: [png("case/1")] });
    expect(upper.dir!.toLowerCase()).not.toBe(lower.dir!.toLowerCase());
    await expectDiskMatchesRecord(root, upper);
    await expectDiskMatchesRecord(root, lower);
  });

  it("says so in the run's outputs when a result is too big to scan, and keeps what it found", async () => {
    const root = await outDir();
    const rec = record();
    await collector(root).collect(rec, {}, { images: [png("big/0")], junk: Array.from({ length: 100_001 }, () => ({})) });
    expect(rec.outputs[0]).toMatchObject({ source: "images[0]", error: null });
    expect(rec.outputs.at(-1)!.error).toMatch(/too large to scan/);
    await expectDiskMatchesRecord(root, rec);
  });

  it("records files past the per-run cap as errors, with their URLs", async () => {
    const root = await outDir();
    const rec = record();
    await collector(root, { limits: { filesPerRun: 3 } }).collect(rec, {}, { images: [0, 1, 2, 3, 4].map((i) => png(`cap/${i}`)) });
    expect(rec.outputs.map((o) => o.path !== null)).toEqual([true, true, true, false, false]);
    expect(rec.outputs[4]).toMatchObject({ url: `${fal.url}/cdn/cap/4.png`, error: expect.stringMatching(/cap of 3 files per run/) });
    await expectDiskMatchesRecord(root, rec);
  });

  it("shares caps on total files and bytes across runs; the excess is recorded, not silently dropped", async () => {
    const root = await outDir();
    const files = collector(root, { limits: { totalFiles: 4 } });
    const [a, b] = [record("a"), record("b")];
    await files.collect(a, {}, { images: [0, 1, 2].map((i) => png(`tf/a${i}`)) });
    await files.collect(b, {}, { images: [0, 1, 2].map((i) => png(`tf/b${i}`)) });
    const all = [...a.outputs, ...b.outputs];
    expect(all.filter((o) => o.path)).toHaveLength(4);
    expect(all.filter((o) => o.error)).toHaveLength(2);
    for (const o of all.filter((x) => x.error)) expect(o.error).toMatch(/cap of 4 files for the whole manifest/);

    const root2 = await outDir();
    const size = FakeFal.cdnBytes("/cdn/tb/0.png").length;
    const bytes = collector(root2, { limits: { totalBytes: size * 2 + 10 } });
    const c = record("c");
    await bytes.collect(c, {}, { images: [0, 1, 2].map((i) => png(`tb/${i}`)) });
    expect(c.outputs.filter((o) => o.path)).toHaveLength(2);
    expect(c.outputs.find((o) => o.error)!.error).toMatch(/cap of \d+ bytes for the whole manifest/);
    await expectDiskMatchesRecord(root2, c);
  });

  it("never writes through a symlinked job folder or a symlink at a file's name; what they point at is unchanged", async () => {
    const root = await outDir();
    const outside = await outDir();
    await writeFile(path.join(outside, "images_0.png"), "precious");
    await symlink(outside, path.join(root, "hero"));
    const rec = record("hero");
    await collector(root).collect(rec, {}, { images: [png("sl/0")], text: "t" });
    expect(rec.outputs.map((o) => o.path)).toEqual([null, null]);
    for (const o of rec.outputs) expect(o.error).toMatch(/hero.*symbolic link/);
    expect(await readdir(outside)).toEqual(["images_0.png"]);

    const root2 = await outDir();
    await mkdir(path.join(root2, "job", "run-1"), { recursive: true });
    for (const name of ["images_0.png", "text.txt", "result.json"]) await symlink(path.join(outside, "images_0.png"), path.join(root2, "job", "run-1", name));
    const rec2 = record("job");
    await collector(root2).collect(rec2, {}, { images: [png("sl/1")], text: "t" });
    expect(rec2.outputs.slice(0, 2).map((o) => o.path)).toEqual([null, null]);
    for (const o of rec2.outputs) expect(o.error).toMatch(/symbolic link/);
    expect(rec2.outputs.at(-1)).toMatchObject({ source: "result.json", path: null });
    expect(await readFile(path.join(outside, "images_0.png"), "utf8")).toBe("precious");
  });
});
