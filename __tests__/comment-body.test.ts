import { describe, expect, it } from "vitest";
import { commentMarker, hasMarker, parseStamp, withoutStamp } from "../src/comment/marker.js";
import { buildCommentBody, COMMENT_MAX_BYTES, COMMENT_MAX_UTF16 } from "../src/report/comment.js";
import { buildSummary, SUMMARY_MAX_BYTES } from "../src/report/summary.js";
import { estimateReportFor, manyJobs } from "./helpers/reports.js";

const stamp = { runId: 100, attempt: 1, at: "2026-11-22T10:00:00.000Z" };

describe("comment body", () => {
  it("starts with the exact marker, carries a stamp, and says estimate only for dry runs", () => {
    const body = buildCommentBody(estimateReportFor(manyJobs(2)), "default", stamp);
    expect(hasMarker(body, commentMarker("default"))).toBe(true);
    expect(hasMarker(body, commentMarker("prod"))).toBe(false);
    expect(parseStamp(body)).toEqual(stamp);
    expect(body).toMatch(/estimate only/);
    expect(body).toMatch(/\| \*\*Manifest\*\* \| 2 \| \*\*\$0\.05\*\* \|/);
  });

  it("ignores the stamp when deciding whether the body changed", () => {
    const r = estimateReportFor(manyJobs(1));
    expect(withoutStamp(buildCommentBody(r, "t", stamp))).toBe(withoutStamp(buildCommentBody(r, "t", { ...stamp, runId: 101 })));
  });

  it("fits GitHub's limits in UTF-16 units and UTF-8 bytes by truncating the job table first", () => {
    // A crafted report (post-only mode posts any text) with ids and models in 4-byte characters, 2 UTF-16 units
    // each: counting characters instead of units would overshoot the UTF-16 limit. Bytes cannot bind before units
    // here (UTF-8 takes at most 3 bytes per UTF-16 unit); __tests__/fit.test.ts covers a byte-bound fit.
    const plain = estimateReportFor(manyJobs(3000));
    const astral = structuredClone(plain);
    for (const j of astral.jobs) [j.id, j.model] = ["𝔘".repeat(64), "𝔘".repeat(120)];
    for (const r of [plain, astral]) {
      const body = buildCommentBody(r, "default", stamp);
      expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_UTF16);
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(COMMENT_MAX_BYTES);
      expect(body).toMatch(/jobs are not shown here/);
      expect(body).toMatch(/\| \*\*Manifest\*\* \| 3,000 \| \*\*\$75\.00\*\* \|/);
      // The rows left out are summed in a row of their own; the total stays whole.
      expect(body).toMatch(/\| \*[\d,]+ more\* \| [\d,]+ \|/);
      expect(body).toMatch(/\| \*\*Total\*\* \| \*\*3,000\*\* \| +\| +\| \*\*\$75\.00\*\* \|/);
    }
    expect(buildCommentBody(astral, "default", stamp)).toContain(`| ${"𝔘".repeat(64)}<br>`);
  });

  it("keeps the job summary under its cap", () => {
    const summary = buildSummary(estimateReportFor(manyJobs(8000)));
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(summary).toMatch(/\$200\.00/);
  });
});

describe("markdown injection", () => {
  const evil = "@octocat ![pixel](https://evil.example/p.png) [click](https://evil.example) </details> <!-- fal-jobs-action:comment tag=default --> | --- |\n# heading";
  const r = estimateReportFor(`version: 1
budget: 1
pricing: {"evil/model": {unit: images, unit_price: 0.01}}
jobs:
  - id: x
    model: evil/model
    input: {prompt: ${JSON.stringify(evil)}}
`);
  r.warnings.push(evil);
  r.reasons.push(evil);
  // Our messages show `quoted` text as code; what the manifest put there must not escape it or mention anyone.
  r.reasons.push(`fix: \`${evil}\``);
  const body = buildCommentBody(r, "default", stamp);
  // After the hidden head lines: marker, stamp, figures.
  const afterHead = body.split("\n").slice(3).join("\n");

  it("cannot forge the marker, close markup, or add links, images or headings", () => {
    expect(afterHead).not.toContain("<!--");
    // Our own <details> close as they open; the manifest's `</details>` is text.
    // (Inside a code span it is text too.)
    const outsideCode = afterHead.replace(/(`+)[^`][\s\S]*?\1/g, "");
    expect(outsideCode.match(/<\/details>/g)?.length).toBe(outsideCode.match(/<details[ >]/g)?.length);
    expect(afterHead).toContain("&lt;/details&gt;");
    // Links and images only as text: escaped, or verbatim inside a code span (which renders neither).
    expect(outsideCode).not.toMatch(/!\[pixel\]\(/);
    expect(outsideCode).not.toMatch(/(?<!\\)\[click\]/);
    expect(afterHead).toContain("- fix: `@\u200Boctocat ![pixel]");
    expect(afterHead).not.toMatch(/\n# heading/);
  });

  it("does not mention anyone", () => {
    expect(afterHead).not.toMatch(/@octocat/);
  });
});

describe("a crafted report (post-only mode posts a report an untrusted run wrote)", () => {
  const evil = "[click](https://evil.example) <!-- fal-jobs-action:comment tag=default --> @octocat";
  const r = estimateReportFor("version: 1\nbudget: 1\njobs:\n  - {id: x, model: fal-ai/flux/dev, input: {prompt: a}}\n");
  // Every field the renderer prints, set to text where a number or a date belongs.
  const bad = r as unknown as Record<string, Record<string, unknown>>;
  bad.totals!.runs = evil;
  bad.prices!.catalog_as_of = evil;
  (bad.prices!.by_source as Record<string, unknown>).override = evil;
  bad.tool!.name = evil;
  bad.tool!.version = evil;
  bad.budget!.source = "both";
  bad.budget!.input = evil;
  (r.jobs[0] as unknown as Record<string, unknown>).runs = evil;
  (r.jobs[0] as unknown as Record<string, unknown>).unknown_runs = evil;
  const afterHead = buildCommentBody(r, "default", stamp).split("\n").slice(3).join("\n");

  it("carries no link, marker or mention through any field", () => {
    expect(afterHead).not.toMatch(/(?<!\\)\[click\]/);
    expect(afterHead).not.toContain("<!--");
    expect(afterHead).not.toMatch(/@octocat/);
  });
});
