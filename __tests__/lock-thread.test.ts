import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startLockThread } from "../src/adapters/threads/lock-thread.js";
import { compareKeys, diffLock, lockDiffFrom, objectLookup } from "../src/lock/diff.js";
import { historyFromLock } from "../src/lock/history.js";
import { KeyHasher, keyAt, keyChunks, keyRepeats, planKeys, runKeys } from "../src/lock/key.js";
import { partitionRuns } from "../src/plan/partition.js";
import type { KeyIndex } from "../src/lock/key-index.js";
import { readLockEntries, readLockFile, readLockSummary } from "../src/lock/read.js";
import { emptyLock, type Lock, type LockEntry, type LockSummary } from "../src/lock/schema.js";
import { serializeLock } from "../src/lock/serialize.js";
import { parseManifest } from "../src/manifest/load.js";
import { buildPlan, iterateRuns } from "../src/plan/expand.js";
import { FAL_DEFAULTS } from "../src/adapters/fal/endpoints.js";
import { estimateManifest } from "../src/flows/estimate-flow.js";
import { shardWork } from "../src/flows/shard.js";
import type { EstimateReport } from "../src/report/model.js";
import { ROOT } from "./helpers/action.js";
import { runCli } from "./helpers/cli.js";
import { LOCK_ENTRY } from "./helpers/lock-entry.js";

/**
 * The estimate's lock thread runs the built worker (dist/lock-worker.js, as
 * the action and the CLI load it) and must answer exactly what the same
 * work on one thread answers; when it cannot, it answers null and the
 * caller works on one thread.
 */
const WORKER = path.join(ROOT, "dist/lock-worker.js");

// Billed above its estimate, its files in no store.
const ENTRY: LockEntry = { ...LOCK_ENTRY, billed: "0.03", billed_nano: 30_000_000, outputs: [], stored_in: null };

const MANIFEST = `version: 1
jobs:
  - {id: a, model: fal-ai/flux/dev, repeat: 3, matrix: {x: [p, q, p]}, input: {prompt: "\${{ matrix.x }}"}}
  - {id: b, model: fal-ai/flux/dev, cache: false, input: {prompt: y}}
`;

async function fixture() {
  const plan = buildPlan(parseManifest(MANIFEST));
  const keys = runKeys(plan);
  const runs = [...iterateRuns(plan)];
  const lock: Lock = {
    ...emptyLock(),
    runs: {
      [keys.of(runs[1]!)]: ENTRY,
      // The third variant repeats the first: its keys are its own occurrence's.
      [keys.of(runs[7]!)]: { ...ENTRY, billed: null, billed_nano: null, billed_source: "pending" as const },
      [keys.of(runs[9]!)]: { ...ENTRY, job: "b" },
      ["d".repeat(64)]: { ...ENTRY, job: "gone", billed: "0.50", billed_nano: 500_000_000 },
    },
  };
  const dir = await mkdtemp(path.join(tmpdir(), "fal-jobs-thread-"));
  const file = path.join(dir, "fal-jobs.lock.json");
  await writeFile(file, serializeLock(lock));
  return { plan, file, dir };
}

describe("the estimate's lock thread", () => {
  it.each(["hashed there", "hashed here"])("reads the lock, compares the keys (%s) as the same work on one thread does", async (where) => {
    const { plan, file } = await fixture();
    const thread = startLockThread(file, { workerFile: WORKER })!;
    try {
      const keys = planKeys(plan);
      // Chunks cross as lines of one string; the keys hashed from them, chunk after chunk, are the plan's.
      const hasher = new KeyHasher();
      for (const chunk of keyChunks(plan.jobs, 2)) hasher.addChunk(chunk);
      expect(hasher.keys()).toBe(keys);
      const cache = plan.jobs.map((j) => j.settings.cache);
      if (where === "hashed there") for (const chunk of keyChunks(plan.jobs, 2)) thread.hash(chunk);
      const [read, compared] = await Promise.all([thread.read, thread.compare(where === "hashed there" ? undefined : keys, keyRepeats(plan), cache)]);
      const { lock } = await readLockSummary(file);
      expect(read).not.toBeNull();
      expect(read!.existed).toBe(true);
      expect(read!.entries).toBe(4);
      expect(read!.history).toEqual(historyFromLock(lock));
      expect(compared!.keys).toBe(keys);
      expect(compared!.comparison).toEqual(compareKeys(keyRepeats(plan), cache, objectLookup(lock.runs, keys), false));
      const diff = lockDiffFrom(plan, keys, compared!.comparison);
      const here = diffLock(plan, lock, { listLocked: false });
      expect([...iterateRuns(diff.toRun)].map((r) => r.id)).toEqual([...iterateRuns(here.toRun)].map((r) => r.id));
      expect([...iterateRuns(diff.toRun)].map((r) => r.id)).toEqual(["a[x=p]#1", "a[x=p]#3", "a[x=q]#1", "a[x=q]#2", "a[x=q]#3", "a[x=p]#1", "a[x=p]#3", "b#1"]);
      expect(diff.jobs).toEqual(here.jobs);
      expect(diff.removed.map((r) => r.entry.job).sort()).toEqual(["b", "gone"]);
      expect([...iterateRuns(plan)].map((r) => diff.keys.of(r))).toEqual([...iterateRuns(plan)].map((r) => here.keys.of(r)));
    } finally {
      thread.close();
    }
  });

  it("partitions the runs the lock does not hold as partitionRuns does on this thread", async () => {
    const { plan, file } = await fixture();
    const thread = startLockThread(file, { workerFile: WORKER, partition: true })!;
    try {
      const keys = planKeys(plan);
      const repeats = keyRepeats(plan);
      const compared = (await thread.compare(keys, repeats, plan.jobs.map((j) => j.settings.cache)))!;
      // A cost per variant, in plan order; one free.
      const variantCosts = [5, 0, 7, 11];
      const made = await thread.partition(Float64Array.from(variantCosts), 3);
      const toRun: Array<{ key: string; cost: number }> = [];
      let run = 0;
      repeats.flat().forEach((runs, v) => {
        for (let r = 0; r < runs; r++, run++) if (compared.comparison.locked[run] !== 1) toRun.push({ key: keyAt(keys, run), cost: variantCosts[v]! });
      });
      expect(toRun).toHaveLength(8);
      const here = partitionRuns((k) => toRun[k]!.key, toRun.map((r) => r.cost), 3);
      expect(made).toEqual(here);
    } finally {
      thread.close();
    }
  });

  it("reads a missing lock as missing: every run is new", async () => {
    const { plan, dir } = await fixture();
    const thread = startLockThread(path.join(dir, "missing.json"), { workerFile: WORKER })!;
    try {
      const [read, compared] = await Promise.all([thread.read, thread.compare(planKeys(plan), keyRepeats(plan), plan.jobs.map((j) => j.settings.cache))]);
      expect(read).toMatchObject({ existed: false, entries: 0 });
      expect(compared!.comparison.jobs.map((j) => j.newRuns)).toEqual([9, 1]);
      expect(compared!.comparison.removed).toEqual([]);
    } finally {
      thread.close();
    }
  });

  it("hashes the keys alone when there is no lock", async () => {
    const { plan } = await fixture();
    const thread = startLockThread(null, { workerFile: WORKER })!;
    try {
      for (const chunk of keyChunks(plan.jobs, 4096)) thread.hash(chunk);
      const [read, compared] = await Promise.all([thread.read, thread.compare(undefined, keyRepeats(plan), plan.jobs.map((j) => j.settings.cache))]);
      expect(read).toMatchObject({ existed: false, entries: 0 });
      expect(compared!.keys).toBe(planKeys(plan));
      expect(compared!.comparison.jobs.map((j) => j.newRuns)).toEqual([9, 1]);
    } finally {
      thread.close();
    }
  });

  it("answers null for a lock it cannot read, so that the one-thread read fails with its position", async () => {
    const { plan, file } = await fixture();
    await writeFile(file, '{\n  "runs": {\n    "x": 1\n  }\n}\n');
    const thread = startLockThread(file, { workerFile: WORKER })!;
    try {
      expect(await thread.read).toBeNull();
      expect(await thread.compare(planKeys(plan), keyRepeats(plan), [true, false])).toBeNull();
      await expect(readLockSummary(file)).rejects.toThrow(/fal-jobs\.lock\.json:\d+:\d+/);
    } finally {
      thread.close();
    }
  });

  it("estimates a large lock in the built CLI (on the thread) exactly as one thread does, and shards alike", async () => {
    const { plan, dir } = await fixture();
    const keys = runKeys(plan);
    const runs = [...iterateRuns(plan)];
    // Over a mebibyte of entries (the thread's threshold), most of them no longer planned.
    const filler = Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`f${i.toString(16).padStart(63, "0")}`, { ...ENTRY, job: `old-${i % 7}`, outputs: [{ name: `old/${i}.png`, content_type: "image/png", size: 1000 + i, sha256: "f".repeat(64), url: `https://v3.fal.media/files/x/${i}.png` }] }]));
    const lock: Lock = { ...emptyLock(), runs: { ...filler, [keys.of(runs[0]!)]: ENTRY, [keys.of(runs[4]!)]: { ...ENTRY, billed: "0.02", billed_nano: 20_000_000 } } };
    const text = serializeLock(lock);
    expect(text.length).toBeGreaterThan(1 << 20);
    const files = { "fal-jobs.yaml": MANIFEST, "fal-jobs.lock.json": text };
    const cli = await runCli(["estimate", "fal-jobs.yaml", "--json", "--price-source", "catalog"], { files, dir });
    expect(cli.stderr).toBe("");
    const shown = JSON.parse(cli.stdout) as EstimateReport;
    const here = await estimateManifest({ manifestPath: path.join(dir, "fal-jobs.yaml"), lockPath: path.join(dir, "fal-jobs.lock.json"), priceSource: "catalog", endpoints: FAL_DEFAULTS, now: new Date(shown.generated_at) });
    // Every figure (the paths and the wording of a setting are the CLI's own).
    const figures = (r: EstimateReport) => ({ totals: r.totals, jobs: r.jobs, lock: { ...r.lock, path: null }, prices: r.prices, manifest: { ...r.manifest, path: null } });
    expect(figures(shown)).toEqual(figures(here.report));
    expect(shown.totals).toMatchObject({ locked_runs: 2, removed_runs: 2500 });
    // The shard's part, from the thread's keys, is the one the same keys made here give.
    const work = await shardWork(here, { index: 2, total: 3 }, path.join(dir, "fal-jobs.yaml"));
    const sharded = await runCli(["estimate", "fal-jobs.yaml", "--price-source", "catalog", "--shard", "2/3"], { dir });
    expect(sharded.stdout).toContain(`Shard 2/3 of a real run: ${work.block.runs} of the ${here.toRun.totalRuns} run(s) to submit`);
  });

  it("reads entries into a KeyIndex as the one-thread read does, in our layout and any other", async () => {
    const { file } = await fixture();
    const { lock } = await readLockSummary(file);
    const expected = new Map(Object.entries(lock.runs));
    const asMap = (index: KeyIndex<LockSummary> | null) => index && new Map(index.entries().map((e, i) => [index.key(i), e]));
    expect(asMap(await readLockEntries(file))).toEqual(expected);
    // Reformatted by an editor: the general path.
    await writeFile(file, JSON.stringify(JSON.parse(await readFile(file, "utf8")), null, 4));
    expect(asMap(await readLockEntries(file))).toEqual(expected);
    // Entries out of key order (a hand edit): the general path too, and every key is still found.
    const whole = (await readLockFile(file)).lock;
    const runs = Object.entries(whole.runs).reverse();
    await writeFile(file, serializeLock(whole).replace(/("runs": \{\n)[\s\S]*?\n {2}\}/, (_, open: string) => `${open}${runs.map(([k, e]) => `    ${JSON.stringify(k)}: ${JSON.stringify(e)}`).join(",\n")}\n  }`));
    const reversed = (await readLockEntries(file))!;
    expect(asMap(reversed)).toEqual(expected);
    for (const key of Object.keys(lock.runs)) expect(reversed.value(reversed.find(Buffer.from(key, "hex"), 0))).toEqual(lock.runs[key]);
    expect(await readLockEntries(path.join(path.dirname(file), "missing.json"))).toBeNull();
    // A second `runs` member (a bad hand merge) replaces the first, as JSON reads it: the first's runs are not locked.
    const text = await readFile((await fixture()).file, "utf8");
    const twice = text.replace(/\n {2}"stores": /, '\n  "runs": {},\n  "stores": ');
    expect(twice).not.toBe(text);
    await writeFile(file, twice);
    expect(Object.keys((await readLockSummary(file)).lock.runs)).toEqual([]);
    expect(asMap(await readLockEntries(file))).toEqual(new Map());
  });

  it("is not started without the worker's bundle (running from the sources)", () => {
    expect(startLockThread("fal-jobs.lock.json", { workerFile: null })).toBeNull();
  });
});
