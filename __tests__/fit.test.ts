import { describe, expect, it } from "vitest";
import { fitRows } from "../src/report/fit.js";

describe("fitRows", () => {
  it("finds the most rows that fit, for every table size and limit", () => {
    for (let max = 0; max <= 40; max++) {
      for (let limit = 0; limit <= 45; limit++) {
        const text = fitRows((rows) => "r".repeat(rows), (s) => s.length <= limit, max);
        expect(text, `max ${max}, limit ${limit}`).toBe("r".repeat(Math.min(max, limit)));
      }
    }
  });

  it("binds on whichever size the caller measures: UTF-8 bytes or UTF-16 units", () => {
    // "🙂" is 4 UTF-8 bytes and 2 UTF-16 units.
    const render = (rows: number) => "🙂".repeat(rows);
    expect(fitRows(render, (s) => Buffer.byteLength(s, "utf8") <= 40, 100)).toBe("🙂".repeat(10));
    expect(fitRows(render, (s) => s.length <= 40, 100)).toBe("🙂".repeat(20));
  });

  it("renders once when the whole table fits, and about log2(rows) times when it does not", () => {
    let renders = 0;
    const render = (rows: number) => (renders++, "r".repeat(rows));
    fitRows(render, () => true, 100_000);
    expect(renders).toBe(1);
    renders = 0;
    expect(fitRows(render, (s) => s.length <= 12_345, 100_000)).toHaveLength(12_345);
    expect(renders).toBeLessThanOrEqual(19);
  });

  it("gives the rendering without rows when not even that fits", () => {
    expect(fitRows((rows) => `heading\n${"r".repeat(rows)}`, (s) => s.length <= 3, 50)).toBe("heading\n");
  });
});
