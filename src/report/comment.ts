import { renderMarkdown } from "./markdown.js";
import type { Report } from "./model.js";

/**
 * The sticky PR comment body: a hidden marker that identifies it (per tag), a
 * stamp that orders runs, and the report, cut to fit GitHub's limits.
 */

/** GitHub refuses comment bodies over 65,536 characters (UTF-16 units) or 262,144 UTF-8 bytes. */
export const COMMENT_MAX_UTF16 = 65_536;
export const COMMENT_MAX_BYTES = 262_144;
/** Headroom below the hard limits. */
const TARGET_UTF16 = 60_000;
const TARGET_BYTES = 240_000;

export interface Stamp {
  runId: number;
  attempt: number;
  at: string;
}

/** The tag is reduced to safe characters, so no tag can break out of the comment or match another's marker. */
export function commentMarker(tag: string): string {
  // No "--" either: it has a meaning inside an HTML comment.
  const safe = tag.replace(/[^A-Za-z0-9._-]/g, "_").replace(/-{2,}/g, "-").slice(0, 64) || "default";
  return `<!-- fal-jobs-action:comment tag=${safe} -->`;
}

export function stampLine(s: Stamp): string {
  return `<!-- fal-jobs-action:stamp run=${s.runId} attempt=${s.attempt} at=${s.at} -->`;
}

const STAMP_RE = /^<!-- fal-jobs-action:stamp run=(\d+) attempt=(\d+) at=(\S+) -->$/m;

export function parseStamp(body: string): Stamp | undefined {
  const m = STAMP_RE.exec(body);
  return m ? { runId: Number(m[1]), attempt: Number(m[2]), at: m[3]! } : undefined;
}

/** Is `a` from a later run than `b`? Run ids grow; attempts grow within a run; time breaks ties. */
export function isNewer(a: Stamp, b: Stamp): boolean {
  if (a.runId !== b.runId) return a.runId > b.runId;
  if (a.attempt !== b.attempt) return a.attempt > b.attempt;
  return a.at > b.at;
}

/** Our comment: the marker is the first line, exactly. A marker quoted inside someone's text does not count. */
export function hasMarker(body: string, marker: string): boolean {
  return body.split("\n", 1)[0]!.trim() === marker;
}

/** The body without its stamp, to tell whether anything changed. */
export function withoutStamp(body: string): string {
  return body.replace(STAMP_RE, "").trim();
}

export function fitsGitHub(body: string): boolean {
  return body.length <= COMMENT_MAX_UTF16 && Buffer.byteLength(body, "utf8") <= COMMENT_MAX_BYTES;
}

export function buildCommentBody(report: Report, tag: string, stamp: Stamp): string {
  const head = `${commentMarker(tag)}\n${stampLine(stamp)}\n`;
  const note = "The job summary of this workflow run and the report JSON have every job and run.";
  const fits = (s: string) => s.length <= TARGET_UTF16 && Buffer.byteLength(s, "utf8") <= TARGET_BYTES;
  const render = (rows: number, notes: number) => head + renderMarkdown(report, { maxJobRows: rows, maxNotes: notes, truncationNote: note });

  let body = render(report.jobs.length, 30);
  if (fits(body)) return body;
  // The per-job table goes first: find the most rows that fit.
  let lo = 0;
  let hi = report.jobs.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(render(mid, 10))) lo = mid;
    else hi = mid - 1;
  }
  body = render(lo, 10);
  if (fits(body)) return body;
  body = render(0, 3);
  if (fits(body)) return body;
  // Nothing else is left to cut: keep the marker and verdict, trim the rest by characters.
  const cut = [...body].slice(0, TARGET_UTF16 / 4).join("");
  return `${cut}\n\n… (truncated to fit GitHub's comment limit; ${note})\n`;
}
