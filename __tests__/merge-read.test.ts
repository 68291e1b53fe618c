import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UsageError } from "../src/errors.js";
import { mergeShards } from "../src/flows/merge-flow.js";

/** Shard reports that cannot be read: the merge names the first such file and why, and merges nothing. */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "fal-merge-read-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const merge = () => mergeShards({ patterns: ["*.json"], cwd: dir, lockPath: null });

describe("reading the shard reports", () => {
  it("a file that is not JSON: JSON.parse's reason, pointing into the file's own text", async () => {
    // A character beyond ASCII before the error: the position is the text's, not that of its one-byte form.
    const text = '{"basis": "1 → 2"} x';
    await writeFile(path.join(dir, "a.json"), text);
    let reason = "";
    try {
      JSON.parse(text);
    } catch (err) {
      reason = (err as Error).message;
    }
    expect(reason).toMatch(/position 19\b/);
    await expect(merge()).rejects.toThrow(UsageError);
    await expect(merge()).rejects.toThrow(`a.json: ${reason}. Nothing was merged.`);
  });

  it("a file above 512 MiB is refused by its size, before it is read", async () => {
    // Sparse: the size without the bytes.
    await writeFile(path.join(dir, "b.json"), "");
    await truncate(path.join(dir, "b.json"), 600 * 1024 * 1024);
    await expect(merge()).rejects.toThrow(/^merge: cannot read .*b\.json: it is 629145600 bytes; a report is at most 536870912\. Nothing was merged\.$/);
  });
});
