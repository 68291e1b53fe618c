import { describe, expect, it } from "vitest";
import { commentMarker, hasMarker, isNewer, parseStamp, stampLine, withoutStamp } from "../src/comment/marker.js";

describe("comment marker and stamp", () => {
  it("keeps tags apart exactly (prod is not non-prod) and strips unsafe tag characters", () => {
    expect(hasMarker(`${commentMarker("non-prod")}\nx`, commentMarker("prod"))).toBe(false);
    expect(commentMarker("a --> <b>")).toBe("<!-- fal-jobs-action:comment tag=a_-___b_ -->");
  });

  it("only counts a marker on the first line", () => {
    expect(hasMarker(`${commentMarker("default")}\nbody`, commentMarker("default"))).toBe(true);
    expect(hasMarker(`quoting: \n${commentMarker("default")}`, commentMarker("default"))).toBe(false);
  });

  it("orders stamps by run, then attempt, then time", () => {
    expect(isNewer({ runId: 2, attempt: 1, at: "a" }, { runId: 1, attempt: 9, at: "z" })).toBe(true);
    expect(isNewer({ runId: 1, attempt: 2, at: "a" }, { runId: 1, attempt: 1, at: "z" })).toBe(true);
    expect(isNewer({ runId: 1, attempt: 1, at: "a" }, { runId: 1, attempt: 1, at: "b" })).toBe(false);
  });

  it("reads back the stamp it writes, wherever the line stands, and strips only that line", () => {
    const s = { runId: 12345678901, attempt: 3, at: "2026-11-22T10:00:00.000Z" };
    const body = `${commentMarker("t")}\n${stampLine(s)}\nthe report`;
    expect(parseStamp(body)).toEqual(s);
    expect(parseStamp("no stamp here")).toBeUndefined();
    expect(withoutStamp(body)).toBe(`${commentMarker("t")}\n\nthe report`);
  });
});
