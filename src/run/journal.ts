import { closeSync, constants, openSync, writeSync } from "node:fs";
import * as z from "zod/mini";
import type { RunStatus } from "./types.js";

/**
 * The journal: one JSON line per fal request this attempt submitted (or took
 * over from an earlier attempt), written the moment fal accepts it, and one
 * when the run ends. It is what a re-run of the workflow reads to avoid paying
 * twice: a request with no end line, or one left running when the attempt was
 * cancelled, is collected by its request id instead of being submitted again.
 *
 * Lines are written synchronously, each with one write(2), so a step killed at
 * any moment leaves every line it wrote whole (at worst the last one torn,
 * which the reader skips).
 */

export const JOURNAL_FILE = "fal-jobs-journal.jsonl";

const submitted = z.object({
  event: z.literal("submitted"),
  /** The run key (lock/key.ts): the same generation whatever the manifest calls it. */
  key: z.string(),
  run: z.string(),
  model: z.string(),
  request_id: z.string(),
  at: z.string(),
  /** Set when the request is one an earlier attempt submitted and this attempt took over. */
  from_attempt: z.optional(z.string()),
});

const finished = z.object({
  event: z.literal("finished"),
  key: z.string(),
  request_id: z.string(),
  status: z.enum(["succeeded", "failed", "cancelled", "skipped-budget", "timed-out"]),
  /** Left running at fal when the attempt was cancelled: a re-run collects it. */
  uncollected: z.boolean(),
  at: z.string(),
});

const JournalLine = z.discriminatedUnion("event", [submitted, finished]);

export type JournalEvent = z.output<typeof JournalLine>;

export interface Journal {
  submitted(key: string, run: string, model: string, requestId: string, fromAttempt?: string): void;
  finished(key: string, requestId: string, status: RunStatus, uncollected: boolean): void;
  close(): void;
}

/**
 * Starts a journal at `file` (truncating one an earlier step in this
 * workspace left). Never follows a symlink. A line that cannot be written is
 * reported once through `onError` and the run goes on: the journal is a
 * safeguard for re-runs, not a reason to abandon requests already paid for.
 */
export function openJournal(file: string, onError: (message: string) => void): Journal {
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND | constants.O_NOFOLLOW, 0o644);
  let failed = false;
  let closed = false;
  const write = (line: JournalEvent) => {
    if (closed || failed) return;
    try {
      writeSync(fd, `${JSON.stringify(line)}\n`);
    } catch (err) {
      failed = true;
      onError(`the journal ${file} could not be written (${(err as Error).message}): a re-run may pay again for requests submitted from now on`);
    }
  };
  const now = () => new Date().toISOString();
  return {
    submitted: (key, run, model, requestId, fromAttempt) =>
      write({ event: "submitted", key, run, model, request_id: requestId, at: now(), ...(fromAttempt !== undefined && { from_attempt: fromAttempt }) }),
    finished: (key, requestId, status, uncollected) => write({ event: "finished", key, request_id: requestId, status, uncollected, at: now() }),
    close: () => {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}

/** The events of a journal's text; lines that are not events (a line torn by a killed step) are counted, not fatal. */
export function parseJournal(text: string): { events: JournalEvent[]; skipped: number } {
  const events: JournalEvent[] = [];
  let skipped = 0;
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const parsed = JournalLine.safeParse(data);
    if (parsed.success) events.push(parsed.data);
    else skipped++;
  }
  return { events, skipped };
}
