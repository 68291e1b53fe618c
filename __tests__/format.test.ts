import { describe, expect, it } from "vitest";
import { fmtNumber } from "../src/report/format.js";

describe("fmtNumber", () => {
  it("groups thousands and keeps at most three decimals, like en-US", () => {
    for (const n of [0, 1, 999, 1000, 1234567, 0.082, 1.5, 1234.5678, -1234.5, 0.0004, 2.8, 100000.25]) {
      expect(fmtNumber(n)).toBe(n.toLocaleString("en-US", { maximumFractionDigits: 3 }));
    }
  });
});
