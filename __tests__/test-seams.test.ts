import { describe, expect, it } from "vitest";
import { TEST_RETRY_BASE_MS, testRetryBaseMs } from "../src/action/test-seams.js";
import { UsageError } from "../src/errors.js";

describe("the built action's test seam for retry backoff", () => {
  it("is off unless set, and takes only a whole number of ms from 1 to 100", () => {
    expect(testRetryBaseMs({})).toBeUndefined();
    expect(testRetryBaseMs({ [TEST_RETRY_BASE_MS]: "" })).toBeUndefined();
    expect(testRetryBaseMs({ [TEST_RETRY_BASE_MS]: "5" })).toBe(5);
    expect(testRetryBaseMs({ [TEST_RETRY_BASE_MS]: "100" })).toBe(100);
    // Never longer than the defaults (0.5 s and 1 s), never zero, never a fraction or a unit.
    for (const bad of ["0", "101", "1000", "2.5", "-5", "5ms", "abc"]) {
      expect(() => testRetryBaseMs({ [TEST_RETRY_BASE_MS]: bad }), bad).toThrow(UsageError);
    }
  });
});
