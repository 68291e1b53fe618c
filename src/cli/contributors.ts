import { fmtNumber } from "../report/format.js";
import type { Report } from "../report/model.js";
import { displayUsd } from "../util/money.js";

/** How many jobs an over-budget estimate names: enough to show where the money goes, few enough to read at a glance. */
const SHOWN = 3;

/**
 * The jobs that cost the most, biggest first, for an over-budget estimate: where to cut. Shares are of the known
 * total; runs of unknown cost are named by the verdict's reasons, not here. Empty when no job has a known cost.
 */
export function biggestContributors(r: Report): string[] {
  const total = r.totals.estimated_nano;
  // Array.prototype.sort is stable: equal costs keep the manifest's order.
  const jobs = r.jobs.filter((j) => j.estimated_nano > 0).sort((a, b) => b.estimated_nano - a.estimated_nano);
  if (jobs.length === 0 || total <= 0) return [];
  const share = (nano: number) => {
    const pct = Math.round((100 * nano) / total);
    return pct === 0 ? "<1%" : `${pct}%`;
  };
  const rows = jobs.slice(0, SHOWN).map((j, i) => [
    `${i + 1}.`,
    j.id,
    displayUsd(j.estimated_nano),
    share(j.estimated_nano),
    `${fmtNumber(j.runs)} run${j.runs === 1 ? "" : "s"}${j.confidence === "upper-bound" ? ", at most (max_cost)" : ""}`,
  ]);
  const rest = jobs.slice(SHOWN);
  if (rest.length > 0) {
    const nano = rest.reduce((sum, j) => sum + j.estimated_nano, 0);
    rows.push(["", `${rest.length} other job${rest.length === 1 ? "" : "s"}`, displayUsd(nano), share(nano), ""]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => [...row[i]!].length)));
  // Amounts and shares right-aligned, so their digits line up.
  const line = (row: string[]) => row.map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return ["Biggest contributors to the estimate:", ...rows.map((row) => `  ${line(row)}`)];
}
