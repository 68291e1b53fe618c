import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeyIndex } from "../src/lock/key-index.js";
import { KeyHasher, keyAt, type KeyChunk } from "../src/lock/key.js";

const sha = (text: string) => createHash("sha256").update(text).digest("hex");
const hexKey = fc.stringMatching(/^[0-9a-f]{64}$/);
// Keys sharing their first 48 bits (the index's head) with others, and differing only after them.
const closeKeys = fc.uniqueArray(fc.tuple(fc.constantFrom("000000000000", "ffffffffffff", "0123456789ab"), fc.stringMatching(/^[0-9a-f]{52}$/)).map(([a, b]) => a + b), { maxLength: 40 });

describe("KeyIndex", () => {
  it("finds every key it holds, and no other, whether added in order or not", () => {
    fc.assert(
      fc.property(fc.uniqueArray(hexKey, { maxLength: 300 }), closeKeys, fc.array(hexKey, { maxLength: 20 }), (random, close, probes) => {
        const keys = [...new Set([...random, ...close])];
        const sorted = [...keys].sort();
        const inOrder = new KeyIndex<string>();
        for (const k of sorted) expect(inOrder.addInOrder(k, `v${k}`)).toBe(true);
        const anyOrder = new KeyIndex<string>();
        for (const k of keys) anyOrder.set(k, `v${k}`);
        for (const index of [inOrder, anyOrder]) {
          expect(index.size).toBe(keys.length);
          for (const k of [...keys, ...probes]) {
            const at = index.find(Buffer.from(k, "hex"), 0);
            if (keys.includes(k)) expect([index.key(at), index.value(at)]).toEqual([k, `v${k}`]);
            else expect(at).toBe(-1);
          }
        }
      }),
      { seed: 20261202, numRuns: 200 },
    );
  });

  it("refuses a key out of order or twice, so that the line read gives way to the general one", () => {
    const index = new KeyIndex<number>();
    expect(index.addInOrder("b".repeat(64), 1)).toBe(true);
    expect(index.addInOrder("b".repeat(64), 2)).toBe(false);
    const fresh = new KeyIndex<number>();
    expect(fresh.addInOrder("b".repeat(64), 1)).toBe(true);
    expect(fresh.addInOrder("a".repeat(64), 2)).toBe(false);
    // Cleared, it takes the general read's keys in any order.
    fresh.clear();
    fresh.set("b".repeat(64), 1);
    fresh.set("a".repeat(64), 2);
    expect(fresh.entries()).toEqual([1, 2]);
    expect(fresh.value(fresh.find(Buffer.from("a".repeat(64), "hex"), 0))).toBe(2);
    // A key added after a look-up sorted them is found too.
    fresh.addInOrder("c".repeat(64), 3);
    expect(fresh.value(fresh.find(Buffer.from("c".repeat(64), "hex"), 0))).toBe(3);
  });

  it("grows past its first allocation and finds a key by its position among many", () => {
    const keys = Array.from({ length: 5000 }, (_, i) => sha(`k${i}`)).sort();
    const index = new KeyIndex<number>();
    keys.forEach((k, i) => index.addInOrder(k, i));
    const bytes = Buffer.from(keys.join(""), "hex");
    for (const i of [0, 1023, 1024, 4999]) expect(index.find(bytes, i)).toBe(i);
  });
});

/** The keys as first specified: every first-repeat key counted in a Map of whole keys. */
function referenceKeys(chunk: KeyChunk): string {
  const lines = chunk.prefixes.split("\n");
  const seen = new Map<string, number>();
  const out: string[] = [];
  chunk.runs.forEach((repeats, v) => {
    const prefix = lines[v]!;
    const first = sha(`${prefix}1]`);
    const n = (seen.get(first) ?? 0) + 1;
    seen.set(first, n);
    for (let r = 1; r <= repeats; r++) out.push(r === 1 && n === 1 ? first : sha(`${prefix}${r}${n > 1 ? `,${n}` : ""}]`));
  });
  return out.join("");
}

describe("KeyHasher's count of occurrences", () => {
  it("equals counting every key, also for distinct keys whose first 28 bits (the count's first look-up) agree", () => {
    // Enough variants for first keys to share 7 hex digits (the birthday bound: a few pairs in 40,000).
    const distinct = Array.from({ length: 40_000 }, (_, i) => `["s",${i}],`);
    const byHead = new Map<string, string[]>();
    for (const line of distinct) {
      const head = sha(`${line}1]`).slice(0, 7);
      byHead.set(head, [...(byHead.get(head) ?? []), line]);
    }
    const sharing = [...byHead.values()].filter((lines) => lines.length > 1).flat();
    expect(sharing.length).toBeGreaterThan(1);
    // Second and third occurrences of keys that share their head with another, and of one that does not.
    const lines = [...distinct, ...sharing, sharing[0]!, distinct[7]!, sharing[1]!, distinct[7]!];
    const chunk: KeyChunk = { prefixes: lines.join("\n"), runs: lines.map((_, i) => 1 + (i % 3)) };
    // In chunks, as the lock thread is sent them: occurrences count across chunks.
    const hasher = new KeyHasher();
    for (let at = 0; at < lines.length; at += 7000) hasher.addChunk({ prefixes: lines.slice(at, at + 7000).join("\n"), runs: chunk.runs.slice(at, at + 7000) });
    const keys = hasher.keys();
    expect(keys).toBe(referenceKeys(chunk));
    const total = chunk.runs.reduce((a, b) => a + b, 0);
    expect(new Set(Array.from({ length: total }, (_, i) => keyAt(keys, i))).size).toBe(total);
  });
});
