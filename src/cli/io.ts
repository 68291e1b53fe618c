import { once } from "node:events";
import { closeSync, openSync, writeSync } from "node:fs";
import { UsageError } from "../errors.js";
import { logLine } from "../util/log-line.js";
import { secretProblem } from "../util/secret.js";

/**
 * Text for people, line by line through logLine: `fal-jobs` often runs in a workflow step, where a line break in a
 * manifest value or a fal error would otherwise let that text issue runner commands.
 */
export function writeLines(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${text.split("\n").map(logLine).join("\n")}\n`);
}

/** Text written piece by piece, each after the stream has taken the one before (stdout may be a pipe). */
export async function writePieces(stream: NodeJS.WritableStream, pieces: Iterable<string>): Promise<void> {
  for (const piece of pieces) if (!stream.write(piece)) await once(stream, "drain");
}

/**
 * A file written piece by piece, replacing what it held. Synchronously, and each piece as a string (Node encodes it
 * in a scratch buffer): a merged report is a thousand pieces, and an awaited write each, or a Buffer each (memory
 * outside the heap, which brings on full collections), made its 0.5 s write 15–30% slower (measured).
 */
export function writeFilePieces(file: string, pieces: Iterable<string>): void {
  const fd = openSync(file, "w");
  try {
    for (const piece of pieces) {
      const written = writeSync(fd, piece);
      // A short write (a full disk): the rest as bytes, until it goes or the write fails.
      if (written === Buffer.byteLength(piece)) continue;
      const bytes = Buffer.from(piece);
      for (let at = written; at < bytes.length; ) at += writeSync(fd, bytes, at);
    }
  } finally {
    closeSync(fd);
  }
}

/** A key from the environment without surrounding whitespace; a key damaged inside is refused, and not printed. */
export function keyFrom(env: NodeJS.ProcessEnv, name: "FAL_KEY" | "FAL_ADMIN_KEY"): string | undefined {
  const key = env[name]?.trim();
  if (!key) return undefined;
  const problem = secretProblem(key);
  const what = name === "FAL_KEY" ? "the fal key" : "the fal admin key";
  if (problem) throw new UsageError(`${what} (${name}) has ${problem} inside it, which no fal key has (damage from copying it?): fix it. It is not shown here; nothing was sent to fal.`);
  return key;
}
