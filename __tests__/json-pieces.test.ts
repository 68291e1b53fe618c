import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonFilePieces } from "../src/util/json-pieces.js";

/** The pieces must join to the one string JSON.stringify makes, byte for byte, compact and pretty-printed. */

const whole = (value: Record<string, unknown>, space: 0 | 2) => `${JSON.stringify(value, null, space)}\n`;
const joined = (value: Record<string, unknown>, space: 0 | 2, slice?: number) => [...jsonFilePieces(value, space, slice)].join("");

// JSON values, and members JSON.stringify leaves out (undefined) or writes as null in arrays.
const member = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined), fc.array(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)), { maxLength: 12 }));
// Keys JSON.stringify orders or escapes: integer-like keys come first, "__proto__" is an own key, quotes and non-ASCII are escaped or not.
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("runs", "__proto__", "0", "12", "a\"b", "\u2028", "×", "\ud800"));
const object = fc.dictionary(key, member, { maxKeys: 8 });

describe("a JSON file's text in pieces", () => {
  it("joins to JSON.stringify's text for any object, compact and with an indent of 2, whatever the slice", () => {
    fc.assert(
      fc.property(object, fc.constantFrom<0 | 2>(0, 2), fc.integer({ min: 1, max: 5 }), (value, space, slice) => {
        expect(joined(value, space, slice)).toBe(whole(value, space));
      }),
      { numRuns: 500 },
    );
  });

  it("holds to it for the edge cases: no member, only left-out members, empty and one-element arrays, nested arrays", () => {
    const cases: Record<string, unknown>[] = [
      {},
      { a: undefined },
      { a: undefined, b: 1, c: undefined },
      { runs: [] },
      { runs: [1] },
      { runs: [[], {}, [[1]], { a: [2] }], tail: "×" },
      { runs: [undefined, null], jobs: [{ basis: "1 × 1024×768 → 1 MP" }] },
      JSON.parse('{"b": [1, 2], "__proto__": [3], "2": {"x": [4]}}') as Record<string, unknown>,
    ];
    for (const value of cases) {
      for (const space of [0, 2] as const) for (const slice of [1, 2, 100]) expect(joined(value, space, slice), JSON.stringify(value)).toBe(whole(value, space));
    }
  });

  it("writes a long array a slice at a time, each piece small", () => {
    const runs = Array.from({ length: 2500 }, (_, i) => ({ id: `run-${i}`, n: i }));
    const pieces = [...jsonFilePieces({ schema: "x", runs, jobs: [] }, 0)];
    expect(pieces.join("")).toBe(whole({ schema: "x", runs, jobs: [] }, 0));
    const longest = Math.max(...pieces.map((p) => p.length));
    expect(longest).toBeLessThan(JSON.stringify(runs).length / 2);
  });
});
