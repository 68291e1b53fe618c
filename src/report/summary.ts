import { fitRows } from "./fit.js";
import { renderMarkdown } from "./markdown.js";
import type { AnyReport } from "./model.js";

/** GitHub drops a step summary over 1 MiB whole; stay well under it by cutting the per-job table. */
export const SUMMARY_MAX_BYTES = 512 * 1024;

export function buildSummary(report: AnyReport): string {
  const note = "The report JSON (the `report-path` output, and in the outputs artifact) has every job and run.";
  const render = (rows: number) => renderMarkdown(report, { maxJobRows: rows, truncationNote: note });
  const fits = (s: string) => Buffer.byteLength(s, "utf8") <= SUMMARY_MAX_BYTES;
  return fitRows(render, fits, report.mode === "error" ? 0 : report.jobs.length);
}
