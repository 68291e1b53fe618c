import type { Figure } from "../gate/increase-gate.js";
import { displayUsd } from "../util/money.js";
import type { Report } from "./model.js";

/**
 * What a pull request changes, from the report's own figures and its `base`
 * section: per job (matched by id) and in total, for what merging would spend
 * and for the whole manifest. The Markdown, the text output and the comment's
 * on-change rule all read this one comparison.
 */

export interface Change {
  base: Figure;
  head: Figure;
}

interface JobChange {
  id: string;
  /** added: only in this pull request; removed: only at the base. */
  status: "added" | "removed" | "changed" | "same";
  toSpend: Change;
  full: Change;
}

export interface BaseDiff {
  toSpend: Change;
  full: Change;
  jobs: JobChange[];
}

const NONE: Figure = { nano: 0, unknownRuns: 0 };

/** The comparison; null when the report has no base, or the base could not be estimated. */
export function diffWithBase(r: Report): BaseDiff | null {
  const base = r.base;
  if (!base?.totals) return null;
  const fig = (f: { estimated_nano: number; unknown_runs: number }): Figure => ({ nano: f.estimated_nano, unknownRuns: f.unknown_runs });
  const baseJobs = new Map(base.jobs.map((j) => [j.id, j]));
  const jobs: JobChange[] = r.jobs.map((j) => {
    const b = baseJobs.get(j.id);
    baseJobs.delete(j.id);
    const toSpend = { base: b ? fig(b.to_spend) : NONE, head: fig(j) };
    const full = { base: b ? fig(b.full) : NONE, head: fig(j.full) };
    return { id: j.id, status: !b ? "added" : same(toSpend) && same(full) ? "same" : "changed", toSpend, full };
  });
  for (const b of baseJobs.values()) jobs.push({ id: b.id, status: "removed", toSpend: { base: fig(b.to_spend), head: NONE }, full: { base: fig(b.full), head: NONE } });
  return {
    toSpend: { base: fig(base.totals.to_spend), head: fig(r.totals) },
    full: { base: fig(base.totals.full), head: fig(r.totals.full) },
    jobs,
  };
}

export function same(c: Change): boolean {
  return c.base.nano === c.head.nano && c.base.unknownRuns === c.head.unknownRuns;
}

/** Does the pull request change any figure, in total or for any job? Null when there is no base to compare with. */
export function changesCost(r: Report): boolean | null {
  const diff = diffWithBase(r);
  if (!diff) return null;
  return !same(diff.toSpend) || !same(diff.full) || diff.jobs.some((j) => j.status !== "same");
}

const MINUS = "\u2212";

/** "+$0.05 (+100%)", "−$0.02 (−40%)", "+$0.05 (from $0)", "no change"; runs of unknown cost named when their count changes. */
export function formatChange(c: Change): string {
  const delta = c.head.nano - c.base.nano;
  const unknown = c.head.unknownRuns !== c.base.unknownRuns ? `${delta === 0 ? "" : "; "}runs of unknown cost ${count(c.base.unknownRuns)} → ${count(c.head.unknownRuns)}` : "";
  if (delta === 0) return unknown || "no change";
  const sign = delta > 0 ? "+" : MINUS;
  const share = c.base.nano === 0 ? "from $0" : percent(sign, Math.abs(delta) / c.base.nano);
  return `${sign}${displayUsd(Math.abs(delta))} (${share})${unknown}`;
}

/** A figure for display: "$0.05", "$0.05 + 2 unknown", "—" for a job that is not there. */
export function formatFigure(f: Figure, present = true): string {
  if (!present) return "—";
  return `${displayUsd(f.nano)}${f.unknownRuns ? ` + ${count(f.unknownRuns)} unknown` : ""}`;
}

/** "+50%", "−4.5%", "<0.1%": whole percents from 10% up, one decimal below. */
function percent(sign: string, ratio: number): string {
  const p = ratio * 100;
  if (p < 0.1) return "<0.1%";
  return `${sign}${p >= 10 ? Math.round(p) : Math.round(p * 10) / 10}%`;
}

// A report posted in post-only mode came from an untrusted run: its counts are shown only as integers.
function count(n: number): string {
  return Number.isFinite(n) ? String(Math.trunc(n)) : "?";
}
