import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import path from "node:path";
import { parse, type ParseError } from "jsonc-parser";
import { LineCounter, parseDocument, isMap, isSeq, type Node } from "yaml";
import { ManifestError, formatPath } from "../manifest/errors.js";
import { UsageError } from "../errors.js";
import { checkLock, emptyLock, type Lock } from "./schema.js";

/** The `lock` input or `--lock` flag: `off`, a path, or empty for fal-jobs.lock.json in the manifest's folder. */
export function lockPathFor(input: string | undefined, manifest: string): string | null {
  const value = (input ?? "").trim();
  if (value.toLowerCase() === "off") return null;
  const file = value || path.join(path.dirname(manifest), "fal-jobs.lock.json");
  // The path becomes the lock-path output, which workflows pass to `git add`: no characters a shell would read.
  if (!/^[\w./@+-]{1,4096}$/.test(file)) throw new UsageError(`the lock path ${JSON.stringify(file)} may use only letters, digits and . _ / @ + - (set the \`lock\` input)`);
  return file;
}

/**
 * Reads a lock. A missing file is an empty lock (nothing generated yet). A
 * lock that cannot be read or is not a lock is an error with its position:
 * ignoring it would mean paying again for everything it records.
 */
export async function readLockFile(file: string): Promise<{ lock: Lock; existed: boolean; digest: string | null }> {
  let lines: { data: unknown; digest: string } | null;
  try {
    lines = await readLockLines(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { lock: emptyLock(), existed: false, digest: null };
    throw lockError(file, 1, 1, "", `cannot read the lock: ${(err as Error).message}`);
  }
  if (lines) {
    const checked = checkLock(lines.data);
    if (checked.ok) return { lock: checked.lock, existed: true, digest: lines.digest };
  }
  // Not in the layout this tool writes (edited by hand, reformatted), or not a valid lock: the general path, which
  // also places every error.
  const text = await readFile(file, "utf8");
  return { lock: await parseLock(text, file), existed: true, digest: textDigest(text) };
}

/**
 * Reads a lock in the layout serializeLock writes — one run per line — line
 * by line, so a 100,000-run lock never exists as one string beside its
 * parsed form. Null when the file is laid out otherwise.
 */
async function readLockLines(file: string): Promise<{ data: unknown; digest: string } | null> {
  const stream = createReadStream(file);
  const hash = createHash("sha256");
  stream.on("data", (chunk) => hash.update(chunk));
  const data: Record<string, unknown> = {};
  let table: Record<string, unknown> | null = null;
  let state: "start" | "members" | "table" | "end" | "bad" = "start";
  // JSON's commas, strictly: between members, never after the last.
  let first = true;
  let comma = false;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (state !== "bad") state = nextLine(state, line);
  }
  return state === "end" ? { data, digest: hash.digest("hex") } : null;

  function member(line: string, pattern: RegExp): { key: string; value: string } | null {
    const m = pattern.exec(line);
    if (!m || (!first && !comma)) return null;
    first = false;
    comma = m[3] === ",";
    return { key: JSON.parse(m[1]!) as string, value: m[2]! };
  }

  function close(): boolean {
    const ok = !comma;
    comma = false;
    return ok;
  }

  function nextLine(at: typeof state, line: string): typeof state {
    try {
      if (at === "start") return line === "{" ? "members" : "bad";
      if (at === "end") return line === "" ? "end" : "bad";
      if (at === "table") {
        if (line === "  }" || line === "  },") {
          if (!close()) return "bad";
          first = false;
          comma = line.endsWith(",");
          return "members";
        }
        const m = member(line, ENTRY_LINE);
        if (!m) return "bad";
        table![m.key] = JSON.parse(m.value);
        return "table";
      }
      if (line === "}") return close() ? "end" : "bad";
      const m = member(line, TOP_LINE);
      if (!m) return "bad";
      if (m.value === "{") {
        table = {};
        data[m.key] = table;
        first = true;
        return "table";
      }
      data[m.key] = JSON.parse(m.value);
      return "members";
    } catch {
      return "bad";
    }
  }
}

// `  "name": value,` at the top level, `    "key": value,` in runs and stores.
const TOP_LINE = /^ {2}("(?:[^"\\]|\\.)*"): (.*?)(,?)$/;
const ENTRY_LINE = /^ {4}("(?:[^"\\]|\\.)*"): (.*?)(,?)$/;

const FIX = "restore it from git (`git checkout -- <lock>`); deleting it makes the next run pay again for every run it records";

export function textDigest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export async function parseLock(text: string, file: string): Promise<Lock> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const { line, column } = syntaxPosition(text);
    throw lockError(file, line, column, "", `not valid JSON (${(err as Error).message.replace(/\s*\(line \d+ column \d+\)$/, "")}); ${FIX}`);
  }
  const checked = checkLock(data);
  if (checked.ok) return checked.lock;
  const { line, column } = positionOf(text, checked.path);
  throw lockError(file, line, column, formatPath(checked.path), `${checked.message}; ${FIX}`);
}

function lockError(file: string, line: number, column: number, path: string, message: string): ManifestError {
  return new ManifestError(file, [{ file, line, column, path, message }], "lock");
}

/**
 * Where a JSON syntax error is: V8's messages often give no position, so the
 * text is scanned again by jsonc-parser (comments and trailing commas
 * disallowed: strict JSON).
 */
function syntaxPosition(text: string): { line: number; column: number } {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return { line: 1, column: 1 };
  const before = text.slice(0, first.offset).split("\n");
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** Where a path of the parsed value sits in the text; only on the error path, so speed does not matter. JSON is YAML. */
function positionOf(text: string, path: PropertyKey[]): { line: number; column: number } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key];
      offset = (node as Node | undefined)?.range?.[0] ?? offset;
    } else break;
  }
  const p = counter.linePos(offset);
  return { line: p.line, column: p.col };
}
