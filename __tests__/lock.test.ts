import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../src/lock/canonical.js";
import { diffLock } from "../src/lock/diff.js";
import { KEY_SCHEME, runKeys } from "../src/lock/key.js";
import { mergeLocks, unionLocks } from "../src/lock/merge.js";
import { parseLock, readLockFile, readLockSummary, textDigest } from "../src/lock/read.js";
import { emptyLock, entrySchema, quickEntryCheck, summarizeEntry, type Lock, type LockEntry } from "../src/lock/schema.js";
import { knownFields, summarizeRunLine } from "../src/lock/entry-line.js";
import fc from "fast-check";
import { LOCK_ENTRY } from "./helpers/lock-entry.js";
import { serializeLock } from "../src/lock/serialize.js";
import { ManifestError } from "../src/manifest/errors.js";
import { parseManifest } from "../src/manifest/load.js";
import { buildPlan, iterateRuns } from "../src/plan/expand.js";

const keysOf = (yaml: string) => {
  const plan = buildPlan(parseManifest(yaml));
  const keys = runKeys(plan);
  return [...iterateRuns(plan)].map((r) => keys.of(r));
};

describe("canonical JSON", () => {
  it("sorts keys at every depth, writes numbers one way and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [1.0, -0, 1e21, "x"], c: undefined } })).toBe('{"a":{"d":[1,0,1e+21,"x"]},"b":1}');
    expect(canonicalJson([undefined, null, true])).toBe("[null,null,true]");
    expect(canonicalJson({ "é": 1, "z": 2, "A": 3 })).toBe('{"A":3,"z":2,"é":1}');
  });
});

describe("run keys", () => {
  it("are pinned: the documented encoding, hashed (changing the scheme re-runs every locked generation)", () => {
    expect(KEY_SCHEME).toBe("fal-jobs-run-key/1");
    // sha256('["fal-jobs-run-key/1","fal-ai/flux/dev",{"prompt":"a cat"},1]') and the same with repeat 2.
    expect(keysOf("version: 1\njobs:\n  - {id: a, model: fal-ai/flux/dev, repeat: 2, input: {prompt: a cat}}\n")).toEqual([
      "dfde6ade3a8e2b384631e662683ede15aea58e8b34780b2c47823cccfd02decb",
      "3b1c8d0662760892a3404cbdf68eab306c8646b5ec98e1e7e431df47121640cf",
    ]);
    // After matrix substitution, keys sorted at every depth; a template that is the whole string keeps the value's type.
    const matrix = `version: 1
jobs:
  - id: dogs
    model: fal-ai/flux/schnell
    matrix: {mood: [happy], size: [{width: 640, height: 480}]}
    input: {prompt: "a \${{ matrix.mood }} dog", num_images: 2, image_size: "\${{ matrix.size }}"}
`;
    expect(keysOf(matrix)).toEqual(["f94ee3177915061664788437b9487fbf3ed3bfee65da0233f01f34d08c319a78"]);
    // The second identical generation in a manifest appends its occurrence number.
    expect(keysOf("version: 1\njobs:\n  - {id: a, model: fal-ai/flux/dev, input: {prompt: a cat}}\n  - {id: b, model: fal-ai/flux/dev, input: {prompt: a cat}}\n")).toEqual([
      "dfde6ade3a8e2b384631e662683ede15aea58e8b34780b2c47823cccfd02decb",
      "ce4750c8ef865314d46643a015773a4e632e33ace3c7b13df47b30cc228ac3cb",
    ]);
  });

  it("ignore job names, job order, matrix axis order, key order and YAML style; follow everything fal receives", () => {
    const base = keysOf(`version: 1
jobs:
  - {id: a, model: fal-ai/flux/dev, matrix: {x: [1, 2], y: [p, q]}, input: {prompt: "\${{ matrix.y }}", seed: "\${{ matrix.x }}"}}
  - {id: b, model: fal-ai/flux/schnell, input: {prompt: hi, num_images: 1.0}}
`).sort();
    const same = keysOf(`version: 1
jobs:
  - id: renamed
    model: fal-ai/flux/schnell
    input:
      num_images: 1
      prompt: "hi"
  - id: other
    model: fal-ai/flux/dev
    matrix:
      y: [q, p]
      x: [2, 1]
    input: {seed: "\${{ matrix.x }}", prompt: "\${{ matrix.y }}"}
`).sort();
    expect(same).toEqual(base);
    const changes = [
      ["a different model", "fal-ai/flux/schnell, input: {prompt: hi, num_images: 1.0}", "fal-ai/flux/krea, input: {prompt: hi, num_images: 1.0}"],
      ["a different value", "num_images: 1.0", "num_images: 2"],
      ["a value of another type", "num_images: 1.0", "num_images: '1'"],
      ["a new input key", "num_images: 1.0}", "num_images: 1.0, seed: 3}"],
    ] as const;
    const text = `version: 1
jobs:
  - {id: b, model: fal-ai/flux/schnell, input: {prompt: hi, num_images: 1.0}}
`;
    const [original] = keysOf(text);
    for (const [what, from, to] of changes) expect(keysOf(text.replace(from, to))[0], what).not.toBe(original);
  });

  it("repeats keep their keys when repeat grows", () => {
    const two = keysOf("version: 1\njobs:\n  - {id: a, model: fal-ai/flux/dev, repeat: 2, input: {prompt: x}}\n");
    const three = keysOf("version: 1\njobs:\n  - {id: a, model: fal-ai/flux/dev, repeat: 3, input: {prompt: x}}\n");
    expect(three.slice(0, 2)).toEqual(two);
    expect(new Set(three).size).toBe(3);
  });
});

const ENTRY = LOCK_ENTRY;

describe("the lock file", () => {
  it("is plain sorted JSON, byte-stable through a read and a write", async () => {
    const lock: Lock = { ...emptyLock(), runs: { ["b".repeat(64)]: ENTRY, ["a".repeat(64)]: { ...ENTRY, run: "a#2" } }, stores: { "7.1": { repository: "o/r", run_id: "7", run_attempt: "1", artifact: null } } };
    const text = serializeLock(lock);
    expect(text.indexOf("a".repeat(64))).toBeLessThan(text.indexOf("b".repeat(64)));
    expect(text.endsWith("}\n")).toBe(true);
    expect(serializeLock(await parseLock(text, "fal-jobs.lock.json"))).toBe(text);
  });

  it("a missing lock is empty; an unreadable or wrong one is an error at its line and column, with the fix", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "fal-jobs-lockfile-"));
    const missing = await readLockFile(path.join(dir, "none.json"));
    expect(missing).toMatchObject({ existed: false, lock: emptyLock() });

    const wrongField = serializeLock({ ...emptyLock(), runs: { ["c".repeat(64)]: { ...ENTRY, billed_nano: -1 } } });
    const err = (await parseLock(wrongField, "fal-jobs.lock.json").catch((e: unknown) => e)) as ManifestError;
    expect(err).toBeInstanceOf(ManifestError);
    expect(err.what).toBe("lock");
    const lines = wrongField.split("\n");
    const line = lines.findIndex((l) => l.includes('"billed_nano"')) + 1;
    expect(err.issues[0]).toMatchObject({ line, column: lines[line - 1]!.indexOf('"billed_nano"') + 1, path: `runs.${"c".repeat(64)}.billed_nano` });
    expect(err.issues[0]!.message).toMatch(/restore it from git/);

    await expect(parseLock('{"version": 1,\n  "runs": }', "x.json")).rejects.toThrow(/x\.json:2:11: not valid JSON/);
    await expect(parseLock(JSON.stringify({ ...emptyLock(), version: 2 }), "x.json")).rejects.toThrow(/this tool reads lock version 1/);
    await expect(parseLock(JSON.stringify({ ...emptyLock(), extra: true }), "x.json")).rejects.toThrow(/extra/);
  });
});

describe("manifest × lock", () => {
  it("splits the plan into new and locked runs, and finds the removed entries", () => {
    const plan = buildPlan(parseManifest("version: 1\njobs:\n  - {id: a, model: fal-ai/flux/dev, repeat: 3, input: {prompt: x}}\n  - {id: b, model: fal-ai/flux/dev, cache: false, input: {prompt: y}}\n"));
    const keys = runKeys(plan);
    const runs = [...iterateRuns(plan)];
    const lock: Lock = { ...emptyLock(), runs: { [keys.of(runs[1]!)]: ENTRY, [keys.of(runs[3]!)]: ENTRY, ["d".repeat(64)]: ENTRY } };
    const diff = diffLock(plan, lock, { listLocked: true });
    expect([...iterateRuns(diff.toRun)].map((r) => r.id)).toEqual(["a#1", "a#3", "b#1"]);
    expect(diff.jobs).toEqual([
      { newRuns: 2, lockedRuns: 1, lockedBilledNano: 25_000_000, lockedUnbilledRuns: 0 },
      // cache: false runs are never looked up: the entry with its key counts as removed.
      { newRuns: 1, lockedRuns: 0, lockedBilledNano: 0, lockedUnbilledRuns: 0 },
    ]);
    expect(diff.locked.map((l) => l.runId)).toEqual(["a#2"]);
    expect(diff.removed.map((r) => r.key).sort()).toEqual([keys.of(runs[3]!), "d".repeat(64)].sort());
  });
});

describe("merging locks", () => {
  const k = (c: string) => c.repeat(64);
  const lock = (keys: string[], run = "a#1"): Lock => ({ ...emptyLock(), runs: Object.fromEntries(keys.map((key) => [key, { ...ENTRY, run, stored_in: null }])) });

  it("three-way: what this run added or renamed wins, what it removed goes, what another run added stays", () => {
    const base = lock([k("1"), k("2"), k("3")]);
    const ours = { ...lock([k("1"), k("2"), k("4")]), runs: { ...lock([k("1"), k("4")]).runs, [k("2")]: { ...ENTRY, run: "renamed#1", stored_in: null } } };
    const theirs = lock([k("1"), k("2"), k("3"), k("5")]);
    const merged = mergeLocks(base, ours, theirs);
    expect(Object.keys(merged.runs).sort()).toEqual([k("1"), k("2"), k("4"), k("5")]);
    expect(merged.runs[k("2")]!.run).toBe("renamed#1");
  });

  it("union: every lock's entries, the first's winning for a key", () => {
    const merged = unionLocks(lock([k("1")], "first#1"), lock([k("1"), k("2")], "second#1"));
    expect(Object.keys(merged.runs).sort()).toEqual([k("1"), k("2")]);
    expect(merged.runs[k("1")]!.run).toBe("first#1");
  });
});

describe("the lock's quick entry check", () => {
  it("never accepts an entry the schema refuses, and accepts the well-formed ones", () => {
    expect(quickEntryCheck(ENTRY)).toBe(true);
    const field = fc.constantFrom(...Object.keys(ENTRY), "extra", "__proto__");
    const outputField = fc.constantFrom("name", "content_type", "size", "sha256", "url", "extra");
    const value = fc.oneof(fc.anything({ maxDepth: 2 }), fc.constantFrom<unknown>(null, -1, 1.5, 2 ** 53, "0.1", "1.00", "a".repeat(64), "A".repeat(64), [], {}, "header", "not-submitted"));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), field, outputField, value, fc.boolean()), { minLength: 1, maxLength: 3 }), (edits) => {
        const e = JSON.parse(JSON.stringify(ENTRY)) as Record<string, unknown> & { outputs: Array<Record<string, unknown>> };
        for (const [inOutput, key, outKey, v, remove] of edits) {
          const target = inOutput && e.outputs?.[0] && typeof e.outputs[0] === "object" ? e.outputs[0] : e;
          const k = target === e ? key : outKey;
          if (remove) delete target[k];
          else Object.defineProperty(target, k, { value: v, enumerable: true, configurable: true, writable: true });
        }
        const data = JSON.parse(JSON.stringify(e)) as unknown;
        if (quickEntryCheck(data)) expect(entrySchema.safeParse(data).success).toBe(true);
      }),
      { seed: 20261201, numRuns: 3000 },
    );
  });
});

describe("reading the lock line by line", () => {
  it("reads what serializeLock writes, falls back for other layouts, and is as strict as JSON about commas", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "fal-jobs-lines-"));
    const lock: Lock = { ...emptyLock(), runs: { [`${"1".repeat(63)}a`]: ENTRY, [`${"2".repeat(63)}b`]: { ...ENTRY, run: 'a "quoted", run#2' } }, stores: { "7.1": { repository: "o/r", run_id: "7", run_attempt: "1", artifact: null } } };
    const text = serializeLock(lock);
    const file = path.join(dir, "fal-jobs.lock.json");
    await writeFile(file, text);
    const read = await readLockFile(file);
    expect(read.lock).toEqual(lock);
    expect(read.digest).toBe(textDigest(text));
    // Reformatted by an editor: still a lock.
    await writeFile(file, JSON.stringify(lock, null, 4));
    expect((await readLockFile(file)).lock).toEqual(lock);
    // A comma missing between two runs is not JSON, whatever the layout.
    const lines = text.split("\n");
    const i = lines.findIndex((l) => l.startsWith(`    "${"1".repeat(63)}a"`));
    lines[i] = lines[i]!.replace(/,$/, "");
    await writeFile(file, lines.join("\n"));
    await expect(readLockFile(file)).rejects.toThrow(new RegExp(`:${i + 2}:\\d+: not valid JSON`));
    // A trailing comma neither.
    await writeFile(file, text.replace(/("stores": \{\n.*)\n/, "$1,\n"));
    await expect(readLockFile(file)).rejects.toThrow(/not valid JSON/);
  });
});

describe("reading only what an estimate needs", () => {
  it("keeps each entry's job, model and figures, and checks every entry as strictly as a full read", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "fal-jobs-summary-"));
    const a = `${"1".repeat(63)}a`;
    const b = `${"2".repeat(63)}b`;
    const lock: Lock = { ...emptyLock(), runs: { [a]: ENTRY, [b]: { ...ENTRY, job: "other", billed: null, billed_nano: null, billed_source: "pending" } }, stores: { "7.1": { repository: "o/r", run_id: "7", run_attempt: "1", artifact: null } } };
    const summaries = { [a]: summarizeEntry(ENTRY), [b]: { job: "other", model: ENTRY.model, estimated_nano: ENTRY.estimated_nano, billed_nano: null } };
    const text = serializeLock(lock);
    const file = path.join(dir, "fal-jobs.lock.json");
    for (const layout of [text, text.replaceAll("\n", "\r\n"), JSON.stringify(lock, null, 4)]) {
      await writeFile(file, layout);
      const read = await readLockSummary(file);
      expect(read.lock).toEqual({ ...lock, runs: summaries });
      expect(read.digest).toBeNull();
      expect(await readLockFile(file)).toMatchObject({ lock, digest: textDigest(layout) });
    }
    // An entry the line reader doubts goes to the schema, which places the error, in either read.
    const lines = text.split("\n");
    const i = lines.findIndex((l) => l.startsWith(`    "${b}"`));
    lines[i] = lines[i]!.replace('"billed_source":"pending"', '"billed_source":"maybe"');
    await writeFile(file, lines.join("\n"));
    for (const read of [readLockSummary, readLockFile]) {
      const err = (await read(file).catch((e: unknown) => e)) as ManifestError;
      expect(err).toBeInstanceOf(ManifestError);
      expect(err.issues[0]).toMatchObject({ line: i + 1, path: `runs.${b}.billed_source` });
    }
    // A run key written twice is not silently one run.
    const twice = text.split("\n");
    const j = twice.findIndex((l) => l.startsWith(`    "${a}"`));
    twice.splice(j, 0, twice[j]!.endsWith(",") ? twice[j]! : `${twice[j]!},`);
    await writeFile(file, twice.join("\n"));
    expect(Object.keys((await readLockSummary(file)).lock.runs)).toEqual([a, b]);
  });
});


describe("the lock's entry-line fast path", () => {
  /** An entry's text exactly as serializeLock writes it on the entry's line. */
  const lineOf = (entry: unknown) => {
    const text = serializeLock({ ...emptyLock(), runs: { ["e".repeat(64)]: entry as LockEntry } });
    return text.split("\n").find((l) => l.startsWith(`    "${"e".repeat(64)}": `))!.slice(72);
  };
  /** The summary the line read makes of an entry's text on a line of the lock's runs, and the text without a comma the line ends with. */
  const fastPath = (text: string) => {
    const m = summarizeRunLine(`    "${"e".repeat(64)}": ${text}`);
    return { fast: m?.summary ?? null, value: m?.comma ? text.slice(0, -1) : text };
  };
  const str = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom("", 'a "quoted" \\ slash', "tab\tnew\nline\u0001", "é 🎨 \ud800"));
  const count = fc.oneof(fc.nat(), fc.constantFrom(0, 999_999_999_999_999, 1_000_000_000_000_000, Number.MAX_SAFE_INTEGER));
  const entry = fc.record({
    job: str,
    run: str,
    model: str,
    request_id: str,
    finished_at: str,
    estimated_nano: count,
    billed: fc.option(fc.constantFrom("0.025", "1.00", "123456789012345.123456789"), { nil: null }),
    billed_nano: fc.option(count, { nil: null }),
    billed_source: fc.constantFrom("billing-events", "header", "observed", "pending", "unknown"),
    outputs: fc.array(fc.record({ name: str, content_type: fc.option(str, { nil: null }), size: count, sha256: fc.constantFrom("a".repeat(64), "0123456789abcdef".repeat(4)), url: str }), { maxLength: 3 }),
    stored_in: fc.option(str, { nil: null }),
  });

  it("knows every field of the schema", () => {
    expect(knownFields.entry).toEqual(Object.keys(entrySchema.shape).sort());
    expect(knownFields.output).toEqual(Object.keys(entrySchema.shape.outputs._zod.def.element.shape).sort());
  });

  it("summarizes a valid entry as JSON.parse and the schema would", () => {
    fc.assert(
      fc.property(entry, (e) => {
        const { fast } = fastPath(lineOf(e));
        if (fast === null) expect(String(e.estimated_nano).length > 15 || String(e.billed_nano ?? "").length > 15 || e.outputs.some((o) => String(o.size).length > 15)).toBe(true);
        else expect(fast).toEqual(summarizeEntry(e));
      }),
      { seed: 20261202, numRuns: 2000 },
    );
  });

  it("accepts nothing the schema refuses, however the text is changed", () => {
    fc.assert(
      fc.property(entry, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom('"', "\\", ",", "}", "]", "-", "1", ".", " ", "\u0000", "null", '"x":1', "e5")), { minLength: 1, maxLength: 3 }), (e, edits) => {
        let text = lineOf(e);
        for (const [at, cut, insert] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i + cut);
        }
        const { fast, value } = fastPath(text);
        if (fast === null) return;
        const parsed = entrySchema.safeParse(JSON.parse(value));
        expect(parsed.success).toBe(true);
        expect(fast).toEqual(summarizeEntry(parsed.data!));
      }),
      { seed: 20261202, numRuns: 3000 },
    );
  });
});
