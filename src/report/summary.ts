import { renderMarkdown } from "./markdown.js";
import type { Report } from "./model.js";

/** GitHub drops a step summary over 1 MiB whole; stay well under it by cutting the per-job table. */
export const SUMMARY_MAX_BYTES = 512 * 1024;

export function buildSummary(report: Report): string {
  const note = "The report JSON (the `report-path` output, and in the outputs artifact) has every job and run.";
  const render = (rows: number) => renderMarkdown(report, { maxJobRows: rows, truncationNote: note });
  const fits = (s: string) => Buffer.byteLength(s, "utf8") <= SUMMARY_MAX_BYTES;
  const full = render(report.jobs.length);
  if (fits(full)) return full;
  let lo = 0;
  let hi = report.jobs.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(render(mid))) lo = mid;
    else hi = mid - 1;
  }
  return render(lo);
}
