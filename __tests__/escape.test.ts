import { describe, expect, it } from "vitest";
import { mdCode, mdText, neutralizeMentions } from "../src/report/escape.js";

describe("markdown escaping", () => {
  it("escapes link, image and table syntax", () => {
    const s = mdText("![x](https://evil/p.png) | [click](https://evil) **bold**");
    // Every bracket, pipe and asterisk is backslash-escaped, so no link, image, cell break or emphasis can form.
    expect(s).not.toMatch(/(?<!\\)[[\]|*]/);
    expect(s).toContain("\\[click\\](");
    // Parentheses and `!` are harmless once `[` is escaped: they stay readable.
    expect(s).toContain("!\\[x\\](https:\u200B//evil/p.png)");
  });
  it("keeps bare URLs from becoming links", () => {
    expect(mdText("see https://evil.example and www.evil.example")).not.toMatch(/https:\/\/|www\./);
  });
  it("breaks mentions", () => {
    expect(neutralizeMentions("ping @octocat and @org/team")).not.toMatch(/@[a-z]/);
    // Mentions are not processed inside code spans, so prompts stay verbatim there.
    expect(mdCode("@octocat")).toBe("`@octocat`");
  });
  it("cannot forge or close our markup", () => {
    expect(mdText("<!-- fal-jobs:default --> </details>")).not.toMatch(/<!--|<\/details>/);
    expect(mdText("line1\nline2\r\n| x |")).not.toMatch(/\n/);
  });
  it("wraps text containing backticks in a longer fence", () => {
    expect(mdCode("a `b` c")).toBe("``a `b` c``");
    expect(mdCode("`x`")).toBe("`` `x` ``");
    expect(mdCode("a|b")).toBe("`a\\|b`");
  });
  it("caps lengths by characters", () => {
    expect([...mdCode("🙂".repeat(500), 10)].length).toBeLessThanOrEqual(12);
  });
});
