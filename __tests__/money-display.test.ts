import { describe, expect, it } from "vitest";
import { displayUsd, toNano } from "../src/util/money.js";

describe("displayUsd: money as people read it", () => {
  it.each([
    [0, "$0.00"],
    [3.39372, "$3.39"],
    [1, "$1.00"],
    [0.999, "$1.00"],
    [1234.567, "$1,234.57"],
    [0.42, "$0.42"],
    [0.4237, "$0.42"],
    [0.05, "$0.05"],
    [0.025, "$0.025"],
    [0.00572, "$0.0057"],
    [0.0001, "$0.0001"],
    [0.00004, "<$0.01"],
    [1e-9, "<$0.01"],
    [-2.57372, "\u2212$2.57"],
    [-0.0057, "\u2212$0.0057"],
  ])("%s USD → %s", (usd, shown) => {
    expect(displayUsd(toNano(usd))).toBe(shown);
  });

  it("never shows a positive amount as nothing, and grows with the amount it shows", () => {
    let last = 0;
    for (let nano = 1; nano < 5e10; nano = Math.ceil(nano * 1.37)) {
      const shown = displayUsd(nano);
      expect(shown).not.toBe("$0.00");
      const value = shown.startsWith("<") ? 0 : Number(shown.replace(/[$,]/g, ""));
      expect(value).toBeGreaterThanOrEqual(last);
      last = value;
    }
  });
});
