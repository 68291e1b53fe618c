import { mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lockReadWithoutEarlierOnly } from "../src/action/resume.js";
import { mergeLocks, unionLocks } from "../src/lock/merge.js";
import { emptyLock, type Lock, type LockEntry } from "../src/lock/schema.js";
import { openJournal, parseJournal, type JournalEvent } from "../src/run/journal.js";
import { planResume } from "../src/run/resume.js";

/** The pure parts of re-runs resuming: the journal, and which requests a re-run takes over. */

const key = (c: string) => c.repeat(64);
const at = "2026-11-22T10:00:00.000Z";
const submitted = (k: string, id: string, from?: string): JournalEvent => ({ event: "submitted", key: key(k), run: `r-${k}`, model: "fal-ai/flux/dev", request_id: id, at, ...(from && { from_attempt: from }) });
const finished = (k: string, id: string, status: "succeeded" | "failed" | "cancelled" | "timed-out", uncollected = false): JournalEvent => ({ event: "finished", key: key(k), request_id: id, status, uncollected, at });

describe("which requests a re-run collects instead of submitting", () => {
  it("those with no end, left running at cancellation, or succeeded; not those that failed, timed out or were cancelled while queued", () => {
    const plan = planResume([
      {
        attempt: "1",
        lock: null,
        events: [
          submitted("a", "a1"),
          submitted("b", "b1"), finished("b", "b1", "cancelled", true),
          submitted("c", "c1"), finished("c", "c1", "succeeded"),
          submitted("d", "d1"), finished("d", "d1", "failed"),
          submitted("e", "e1"), finished("e", "e1", "cancelled"),
          submitted("f", "f1"), finished("f", "f1", "timed-out"),
        ],
      },
    ]);
    expect(Object.fromEntries([...plan.requests].map(([k, r]) => [k[0], r]))).toEqual({
      a: { attempt: "1", requestId: "a1" },
      b: { attempt: "1", requestId: "b1" },
      c: { attempt: "1", requestId: "c1" },
    });
    expect(plan.attempts).toEqual(["1"]);
  });

  it("follows a run across attempts: the latest request wins, and one taken over keeps the attempt that paid for it", () => {
    const plan = planResume([
      // Read out of order: attempts are sorted by number.
      {
        attempt: "2",
        lock: null,
        events: [
          // g: attempt 2 took over attempt 1's request and was cancelled while fal still ran it.
          submitted("g", "g1", "1"), finished("g", "g1", "cancelled", true),
          // h: attempt 1's request was gone, so attempt 2 submitted a new one, which failed.
          submitted("h", "h2"), finished("h", "h2", "failed"),
          // i: an end line for a request that is not the open one changes nothing.
          finished("i", "other", "failed"),
        ],
      },
      { attempt: "1", lock: null, events: [submitted("g", "g1"), finished("g", "g1", "cancelled", true), submitted("h", "h1"), submitted("i", "i1")] },
    ]);
    expect(plan.attempts).toEqual(["1", "2"]);
    expect(plan.requests.get(key("g"))).toEqual({ attempt: "1", requestId: "g1" });
    expect(plan.requests.has(key("h"))).toBe(false);
    expect(plan.requests.get(key("i"))).toEqual({ attempt: "1", requestId: "i1" });
  });
});

describe("the journal", () => {
  it("writes one line per event as it happens, starts afresh, and reads back skipping a torn line", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "fal-journal-"));
    const file = path.join(dir, "j.jsonl");
    await writeFile(file, "left by an earlier step\n");
    const journal = openJournal(file, () => {});
    journal.submitted(key("a"), "r-a", "fal-ai/flux/dev", "a1");
    // Each line is on disk before the next call returns: a step killed now leaves it.
    expect(parseJournal(await readFile(file, "utf8")).events).toHaveLength(1);
    journal.finished(key("a"), "a1", "succeeded", false);
    journal.submitted(key("b"), "r-b", "fal-ai/flux/dev", "b1", "1");
    journal.close();
    const text = await readFile(file, "utf8");
    const { events, skipped } = parseJournal(`${text}{"event":"submitted","key":"tor`);
    expect(skipped).toBe(1);
    expect(events.map((e) => [e.event, e.request_id, e.event === "submitted" ? e.from_attempt : e.status])).toEqual([
      ["submitted", "a1", undefined],
      ["finished", "a1", "succeeded"],
      ["submitted", "b1", "1"],
    ]);
  });

  it("never writes through a symlink", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "fal-journal-"));
    await writeFile(path.join(dir, "target"), "untouched");
    await symlink(path.join(dir, "target"), path.join(dir, "j.jsonl"));
    expect(() => openJournal(path.join(dir, "j.jsonl"), () => {})).toThrow(/ELOOP/);
    expect(await readFile(path.join(dir, "target"), "utf8")).toBe("untouched");
  });
});

describe("saving the lock to the branch on a re-run", () => {
  const entry = (request: string): LockEntry => ({
    job: "j",
    run: "j#1",
    model: "fal-ai/flux/dev",
    request_id: request,
    finished_at: at,
    estimated_nano: 1,
    billed: null,
    billed_nano: null,
    billed_source: "unknown",
    outputs: [],
    stored_in: null,
  });
  const lockOf = (runs: Record<string, string>): Lock => ({ ...emptyLock(), runs: Object.fromEntries(Object.entries(runs).map(([k, id]) => [key(k), entry(id)])) });

  it("keeps the runs only an earlier attempt recorded: they are this attempt's to save, not unchanged ones", () => {
    // Attempt 1 generated `a` and stopped before saving; the branch has `b` from another run; attempt 2 generated `c`.
    const earlier = lockOf({ a: "a1" });
    const branch = lockOf({ b: "b1" });
    const read = unionLocks(emptyLock(), branch, earlier);
    const ours = lockOf({ a: "a1", b: "b1", c: "c2" });
    const plan = { attempts: ["1"], requests: new Map(), locks: [earlier] };
    // The lock read as the base would count `a` as unchanged, and the branch (without it) would win.
    expect(Object.keys(mergeLocks(read, ours, branch).runs).map((k) => k[0]).sort()).toEqual(["b", "c"]);
    const saved = mergeLocks(lockReadWithoutEarlierOnly(read, plan, [branch]), ours, branch);
    expect(Object.keys(saved.runs).map((k) => k[0]).sort()).toEqual(["a", "b", "c"]);
    // Without earlier attempts, the base is the lock read.
    expect(lockReadWithoutEarlierOnly(read, undefined, [branch])).toBe(read);
  });
});
