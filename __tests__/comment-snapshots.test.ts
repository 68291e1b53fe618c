import { describe, expect, it } from "vitest";
import { buildCommentBody } from "../src/report/comment.js";
import { buildSummary } from "../src/report/summary.js";
import { commentVariants, type VariantName } from "./helpers/comment-variants.js";

/**
 * The comment and the job summary of each outcome, as files: a change to how
 * they read shows up in review as a diff of the Markdown, and
 * scripts/render-comments.mjs renders these files to PNG to look at them.
 * Update them with `npx vitest run __tests__/comment-snapshots.test.ts -u`.
 */

const variants = await commentVariants();
const STAMP = { runId: 9120034411, attempt: 1, at: "2026-12-02T09:33:12.000Z" };
const file = (name: string) => `./snapshots/comments/${name}.md`;

describe("the PR comment of each outcome", () => {
  it.each(Object.keys(variants) as VariantName[])("%s", async (name) => {
    await expect(buildCommentBody(variants[name], "default", STAMP)).toMatchFileSnapshot(file(name));
  });
});

describe("the job summary", () => {
  it.each(["dry-run", "failed-run", "invalid-manifest"] as VariantName[])("%s", async (name) => {
    await expect(buildSummary(variants[name])).toMatchFileSnapshot(file(`${name}.summary`));
  });
});

describe("the heading", () => {
  it("is ✅ only when the check passes: a pull request within budget that fails fail-on-increase heads ❌", () => {
    for (const [name, report] of Object.entries(variants)) {
      const heading = buildCommentBody(report, "default", STAMP).split("\n").find((l) => l.startsWith("### "))!;
      expect(heading.startsWith(report.pass ? "### ✅" : "### ❌"), `${name}: ${heading}`).toBe(true);
    }
    expect(variants["fail-on-increase"]).toMatchObject({ verdict: "within-budget", pass: false });
  });
});
