import { commentMarker, figuresLine, stampLine, type Stamp } from "../comment/marker.js";
import { figuresDigest } from "./figures.js";
import { fitRows } from "./fit.js";
import { renderMarkdown } from "./markdown.js";
import type { AnyReport } from "./model.js";

/**
 * The sticky PR comment body: the marker, stamp and figures lines
 * (comment/marker.ts), then the report, cut to fit GitHub's limits.
 */

/** GitHub refuses comment bodies over 65,536 characters (UTF-16 units) or 262,144 UTF-8 bytes. */
export const COMMENT_MAX_UTF16 = 65_536;
export const COMMENT_MAX_BYTES = 262_144;
/** Headroom below the hard limits. */
const TARGET_UTF16 = 60_000;
const TARGET_BYTES = 240_000;

export function buildCommentBody(report: AnyReport, tag: string, stamp: Stamp): string {
  const head = `${commentMarker(tag)}\n${stampLine(stamp)}\n${figuresLine(figuresDigest(report))}\n`;
  const note = "The job summary of this workflow run and the report JSON have every job and run.";
  const fits = (s: string) => s.length <= TARGET_UTF16 && Buffer.byteLength(s, "utf8") <= TARGET_BYTES;
  const render = (rows: number, notes: number) => head + renderMarkdown(report, { maxJobRows: rows, maxNotes: notes, truncationNote: note });

  const jobs = report.mode === "error" ? 0 : report.jobs.length;
  let body = render(jobs, 30);
  if (fits(body)) return body;
  // The per-job table goes first.
  body = fitRows((rows) => render(rows, 10), fits, jobs);
  if (fits(body)) return body;
  body = render(0, 3);
  if (fits(body)) return body;
  // Nothing else is left to cut: keep the marker and verdict, trim the rest by characters.
  const cut = [...body].slice(0, TARGET_UTF16 / 4).join("");
  return `${cut}\n\n… (truncated to fit GitHub's comment limit; ${note})\n`;
}
