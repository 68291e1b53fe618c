import { isNewer, parseFigures, parseStamp, withoutStamp, type Stamp } from "./marker.js";

/**
 * The sticky comment's behaviour, apart from any platform: what each mode
 * does with the comments already there, and the staleness rule that keeps an
 * older run (a late re-run, a slow job) from overwriting, hiding or deleting
 * a newer run's comment. Platforms implement CommentStore.
 */

export const COMMENT_MODES = ["update", "on-change", "new", "hide-and-new", "delete-and-new"] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

export interface StoredComment {
  id: number;
  url: string;
  body: string;
}

/** One pull request's comments. `C` carries whatever else the platform needs to act on a comment. */
export interface CommentStore<C extends StoredComment = StoredComment> {
  /** Our comments under `marker` that are still shown, oldest first. Someone else's copy of the marker is not ours. */
  findOurs(marker: string): Promise<C[]>;
  create(body: string): Promise<StoredComment>;
  update(comment: C, body: string): Promise<StoredComment>;
  remove(comment: C): Promise<void>;
  /** Collapse as outdated; it is no longer found by findOurs. */
  minimize(comment: C): Promise<void>;
}

/** Thrown by a store when the token may not write comments (a fork PR's read-only token): a warning, not a failure. */
export class CommentForbiddenError extends Error {
  override name = "CommentForbiddenError";
}

export interface StickyRequest {
  marker: string;
  body: string;
  stamp: Stamp;
  mode: CommentMode;
  /** on-change: the digest of the figures the body shows (the comment's figures line). */
  figures?: string;
  /** on-change: whether a first comment is worth writing (the figures differ from the base's, or cannot be compared). */
  worthFirstComment?: boolean;
}

export type StickyResult =
  | { action: "created" | "updated" | "unchanged"; url: string; id: number }
  | { action: "skipped-stale"; url: string; id: number; newer: Stamp }
  /** on-change: no comment of ours yet, and nothing worth one. */
  | { action: "not-needed" }
  | { action: "forbidden"; message: string };

export async function postSticky<C extends StoredComment>(store: CommentStore<C>, req: StickyRequest): Promise<StickyResult> {
  try {
    return await post(store, req);
  } catch (err) {
    if (err instanceof CommentForbiddenError) return { action: "forbidden", message: err.message };
    throw err;
  }
}

async function post<C extends StoredComment>(store: CommentStore<C>, req: StickyRequest): Promise<StickyResult> {
  const ours = await store.findOurs(req.marker);

  if ((req.mode === "update" || req.mode === "on-change") && ours.length > 0) {
    const latest = ours[ours.length - 1]!;
    const theirs = parseStamp(latest.body);
    if (theirs && isNewer(theirs, req.stamp)) return { action: "skipped-stale", url: latest.url, id: latest.id, newer: theirs };
    // on-change compares the figures the comment shows, not its text: a new timestamp or wording is not a change.
    const unchanged = req.mode === "on-change" ? req.figures !== undefined && parseFigures(latest.body) === req.figures : withoutStamp(latest.body) === withoutStamp(req.body);
    if (unchanged) return { action: "unchanged", url: latest.url, id: latest.id };
    return { action: "updated", ...pick(await store.update(latest, req.body)) };
  }
  if (req.mode === "on-change" && !req.worthFirstComment) return { action: "not-needed" };

  if (req.mode === "hide-and-new" || req.mode === "delete-and-new") {
    // A newer run's comment stays; an older run must not hide or delete it, nor any of ours beside it.
    for (const c of ours) {
      const theirs = parseStamp(c.body);
      if (theirs && isNewer(theirs, req.stamp)) return { action: "skipped-stale", url: c.url, id: c.id, newer: theirs };
    }
    for (const c of ours) await (req.mode === "hide-and-new" ? store.minimize(c) : store.remove(c));
  }
  return { action: "created", ...pick(await store.create(req.body)) };
}

function pick(c: StoredComment): { url: string; id: number } {
  return { url: c.url, id: c.id };
}
