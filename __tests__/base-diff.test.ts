import { describe, expect, it } from "vitest";
import { checkIncrease, parseIncreaseLimit, type Figures } from "../src/gate/increase-gate.js";
import { changesCost, diffWithBase, formatChange } from "../src/report/base-diff.js";
import { figuresDigest } from "../src/report/figures.js";
import { renderMarkdown } from "../src/report/markdown.js";
import { parseReport } from "../src/report/schema.js";
import { renderText } from "../src/report/text.js";
import { displayUsd } from "../src/util/money.js";
import { estimateReportFor } from "./helpers/reports.js";

/** The comparison with a pull request's base: the increase gate, the per-job diff, its rendering, and the figures digest. */

const job = (id: string, images: number, repeat = 1) => `  - {id: ${id}, model: fal-ai/flux/dev, repeat: ${repeat}, input: {prompt: "${id}", image_size: square_hd, num_images: ${images}}}\n`;
const manifest = (...jobs: string[]) => `version: 1\nbudget: 100\njobs:\n${jobs.join("")}`;

const BASE = manifest(job("hero", 2), job("same", 1), job("gone", 1));
const HEAD = manifest(job("hero", 1), job("same", 1), job("fresh", 1, 3));

describe("fail-on-increase", () => {
  it("parses USD and percentages, and refuses anything else with the fix", () => {
    expect(parseIncreaseLimit("5")).toEqual({ kind: "usd", nano: 5e9 });
    expect(parseIncreaseLimit(" $2.50 ")).toEqual({ kind: "usd", nano: 2.5e9 });
    expect(parseIncreaseLimit("20%")).toEqual({ kind: "percent", percent: 20 });
    expect(parseIncreaseLimit("12.5 %")).toEqual({ kind: "percent", percent: 12.5 });
    expect(parseIncreaseLimit("")).toBeUndefined();
    expect(parseIncreaseLimit(undefined)).toBeUndefined();
    for (const bad of ["-5", "5$", "twenty", "%", "5%%", "1e3"]) expect(() => parseIncreaseLimit(bad), bad).toThrow(/USD such as 5 or 2\.50, or a percentage of the base such as 20%/);
  });

  const fig = (toSpend: number, full = toSpend, unknown = 0): Figures => ({ toSpend: { nano: toSpend, unknownRuns: unknown }, full: { nano: full, unknownRuns: unknown } });
  const base = (figures: Figures) => ({ figures, name: "the base commit abc" });

  it("fails only above the limit, for each figure that rose too much, saying by how much", () => {
    const usd = parseIncreaseLimit("1")!;
    expect(checkIncrease(fig(3e9), base(fig(2e9)), usd, "fail").reasons).toEqual([]); // exactly +$1
    const over = checkIncrease(fig(3e9 + 1, 2e9), base(fig(2e9)), usd, "fail");
    expect(over.reasons).toEqual([
      `this pull request raises the to-spend estimate (new runs) by +${displayUsd(1e9 + 1)} (+50%), from $2.00 at the base commit abc to ${displayUsd(3e9 + 1)}: more than fail-on-increase allows (+$1.00)`,
    ]);
    const pct = parseIncreaseLimit("25%")!;
    expect(checkIncrease(fig(2.5e9), base(fig(2e9)), pct, "fail").reasons).toEqual([]);
    expect(checkIncrease(fig(2e9, 2.6e9), base(fig(2e9)), pct, "fail").reasons).toEqual([
      "this pull request raises the full estimate (the whole manifest) by +$0.60 (+30%), from $2.00 at the base commit abc to $2.60: more than fail-on-increase allows (+25%, $0.50 here)",
    ]);
    // A decrease never fails; from $0, any rise is more than any percentage.
    expect(checkIncrease(fig(0), base(fig(5e9)), usd, "fail").reasons).toEqual([]);
    expect(checkIncrease(fig(1), base(fig(0)), parseIncreaseLimit("1000%")!, "fail").reasons[0]).toMatch(/from \$0 at the base: more than any percentage/);
  });

  it("cannot bound runs of unknown cost: a failure, or a warning when budget.unknown_price is warn", () => {
    const usd = parseIncreaseLimit("100")!;
    expect(checkIncrease(fig(0, 0, 2), base(fig(0, 0, 1)), usd, "fail").reasons).toHaveLength(2);
    const warned = checkIncrease(fig(0, 0, 2), base(fig(0, 0, 1)), usd, "warn");
    expect(warned.reasons).toEqual([]);
    expect(warned.warnings[0]).toMatch(/cannot bound the to-spend estimate \(new runs\): it has 1 more run\(s\) of unknown cost/);
  });

  it("without a base to compare with, fails and says how to get one", () => {
    const r = checkIncrease(fig(1), { figures: null, why: "GitHub said 404" }, parseIncreaseLimit("5")!, "fail");
    expect(r.reasons).toEqual([expect.stringMatching(/^fail-on-increase \(\+\$5\.00\) needs the estimate at the base commit, which could not be made: GitHub said 404\. .*contents: read.*fetch-depth: 0/)]);
  });
});

describe("the change against the base", () => {
  const report = estimateReportFor(HEAD, undefined, { yaml: BASE });

  it("matches jobs by id: changed, unchanged, added and removed, in total and per job", () => {
    const diff = diffWithBase(report)!;
    expect(diff.jobs.map((j) => [j.id, j.status])).toEqual([["hero", "changed"], ["same", "same"], ["fresh", "added"], ["gone", "removed"]]);
    const byId = new Map(report.jobs.map((j) => [j.id, j.estimated_nano]));
    expect(diff.toSpend.head.nano).toBe(report.totals.estimated_nano);
    expect(diff.toSpend.base.nano).toBe(report.base!.totals!.to_spend.estimated_nano);
    expect(diff.jobs.find((j) => j.id === "gone")!.full.head.nano).toBe(0);
    expect(diff.jobs.find((j) => j.id === "fresh")!.toSpend).toEqual({ base: { nano: 0, unknownRuns: 0 }, head: { nano: byId.get("fresh"), unknownRuns: 0 } });
    expect(changesCost(report)).toBe(true);
    expect(changesCost(estimateReportFor(BASE, undefined, { yaml: BASE }))).toBe(false);
    expect(changesCost(estimateReportFor(BASE))).toBeNull();
  });

  it("writes changes with a sign, one minus sign (U+2212), and a share of the base", () => {
    const c = (base: number, head: number, bu = 0, hu = 0) => formatChange({ base: { nano: base, unknownRuns: bu }, head: { nano: head, unknownRuns: hu } });
    expect(c(2e9, 3e9)).toBe("+$1.00 (+50%)");
    expect(c(3e9, 2e9)).toBe("\u2212$1.00 (\u221233%)");
    expect(c(0, 5e7)).toBe("+$0.05 (from $0)");
    expect(c(1e9, 1e9)).toBe("no change");
    expect(c(1e9, 1e9, 0, 2)).toBe("runs of unknown cost 0 → 2");
    expect(c(1e9, 1.05e9)).toBe("+$0.05 (+5%)");
    expect(c(100e9, 100.01e9)).toBe("+$0.01 (<0.1%)");
    expect(c(2e9, 3e9).includes("-")).toBe(false);
  });

  // Table cells keep a figure on one line: no-break spaces, and a word joiner after a minus sign.
  const cell = (s: string) => s.replace(/ /g, "\u00a0").replace(/\u2212/g, "\u2212\u2060");

  it("the comment and the summary show the totals and each job's change, the changed jobs first", () => {
    const md = renderMarkdown(report);
    const diff = diffWithBase(report)!;
    // Without a lock (estimateReportFor has none), every run is to spend: the row is the manifest's.
    expect(md).toContain(`| **Manifest** | ${report.totals.runs} | **${displayUsd(diff.toSpend.head.nano)}** | ${displayUsd(diff.toSpend.base.nano)} | ${cell(formatChange(diff.toSpend))} |`);
    expect(md).toContain(`That is ${formatChange(diff.toSpend)} against the base branch.`);
    const rows = md.split("\n").filter((l) => /^\| (~~)?(hero|same|fresh|gone)/.test(l));
    expect(rows.map((l) => /^\| (?:~~)?(\w+)/.exec(l)![1])).toEqual(["hero", "fresh", "same", "gone"]);
    expect(rows[0]).toMatch(/ \| \u2212\u2060\$[\d.]+\u00a0\(\u2212\u206050%\) \|$/);
    expect(rows[1]).toContain(`| ${cell(`+${displayUsd(report.jobs.find((j) => j.id === "fresh")!.estimated_nano)}`)} <sub>new job</sub> |`);
    expect(rows[2]).toMatch(/ \| — \|$/);
    expect(rows[3]).toMatch(/^\| ~~gone~~ <sub>removed<\/sub> \|.* \| \u2212\u2060\$[\d.]+ \|$/);
    expect(md).toContain("<b>Per job</b>: 3 jobs · 3 changed against the base branch");
    // Rows are cut with the job table's limit, and say so.
    expect(renderMarkdown(report, { maxJobRows: 1 })).toContain("2 of 3 jobs are not shown here");
    const unchanged = renderMarkdown(estimateReportFor(BASE, undefined, { yaml: BASE }));
    expect(unchanged).toContain("Nothing changes against the base branch.");
    expect(unchanged).toContain("3 jobs · none changed against the base branch");
    expect(renderMarkdown(estimateReportFor(HEAD))).not.toContain("base branch");
    expect(md).toContain("Base branch: commit `ba5e00000000`, read through the GitHub API");
    expect(renderMarkdown(estimateReportFor(HEAD, undefined, { yaml: BASE, sha: null }))).toContain("Base branch: read from a file");
  });

  it("a base that did not exist is $0; one that could not be read says why", () => {
    const absent = estimateReportFor(HEAD, undefined, { yaml: null });
    const md = renderMarkdown(absent);
    expect(md).toContain("Base branch: commit `ba5e00000000`, no manifest there: $0");
    expect(md).toContain(`| **Manifest** | ${absent.totals.runs} | **${displayUsd(absent.totals.estimated_nano)}** | $0.00 | ${cell(`+${displayUsd(absent.totals.estimated_nano)} (from $0)`)} |`);
    const unavailable = structuredClone(absent);
    unavailable.base = { ...unavailable.base!, source: "unavailable", detail: "GitHub contents API: 500 boom", totals: null, jobs: [] };
    expect(renderMarkdown(parseReport(unavailable) as typeof unavailable)).toContain("**Not compared with the base branch:** the estimate at the base commit `ba5e00000000` could not be made (GitHub contents API: 500 boom).");
    expect(renderText(unavailable)).toContain("base ba5e00000000: not compared (GitHub contents API: 500 boom)");
  });

  it("the CLI's text names each changed job", () => {
    const lines = renderText(report).split("\n");
    const diff = diffWithBase(report)!;
    expect(lines).toContain(`against the base ba5e00000000: to spend ${displayUsd(diff.toSpend.base.nano)} → ${displayUsd(diff.toSpend.head.nano)}, ${formatChange(diff.toSpend)}; full ${displayUsd(diff.full.base.nano)} → ${displayUsd(diff.full.head.nano)}, ${formatChange(diff.full)}`);
    expect(lines.filter((l) => /^ {2}(hero|fresh|gone|same)/.test(l)).map((l) => l.split(":")[0]!.trim())).toEqual(["hero", "fresh (added)", "gone (removed)"]);
  });

  it("the figures digest changes with a figure, not with the base's commit id or the time", () => {
    const digest = figuresDigest(report);
    expect(figuresDigest(estimateReportFor(HEAD, undefined, { yaml: BASE, sha: "f".repeat(40) }))).toBe(digest);
    expect(figuresDigest({ ...report, generated_at: "2030-01-01T00:00:00.000Z" })).toBe(digest);
    expect(figuresDigest(estimateReportFor(HEAD, 50, { yaml: BASE }))).not.toBe(digest);
    expect(figuresDigest(estimateReportFor(HEAD, undefined, { yaml: manifest(job("hero", 2)) }))).not.toBe(digest);
    expect(figuresDigest(estimateReportFor(HEAD.replace("num_images: 1}", "num_images: 3}"), undefined, { yaml: BASE }))).not.toBe(digest);
  });
});
