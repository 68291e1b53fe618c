/**
 * The sticky comment's identity and order, apart from how it is rendered or
 * stored: a hidden marker line names our comment (per tag), and a stamp line
 * says which run wrote it. Imports nothing, so the report and the adapters
 * can both use it.
 */

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

/**
 * A digest of the figures the comment shows (report/figures.ts), so that
 * `comment: on-change` can tell a change of cost from a change of wording or
 * time. Hex only: nothing in it can end the HTML comment.
 */
export function figuresLine(digest: string): string {
  return `<!-- fal-jobs-action:figures ${digest.replace(/[^0-9a-f]/g, "")} -->`;
}

const FIGURES_RE = /^<!-- fal-jobs-action:figures ([0-9a-f]+) -->$/m;

export function parseFigures(body: string): string | undefined {
  return FIGURES_RE.exec(body)?.[1];
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

/** The link to the workflow run that wrote the body: a later run that says the same thing need not rewrite it. */
const RUN_LINK_RE = /\[workflow run\]\([^)\s]*\/actions\/runs\/\d+(?:\/attempts\/\d+)?\)/g;

/** The body without its stamp and the link to its run, to tell whether anything it says changed. */
export function withoutStamp(body: string): string {
  return body.replace(STAMP_RE, "").replace(RUN_LINK_RE, "[workflow run]").trim();
}
