import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import path from "node:path";
import type { ParseError } from "jsonc-parser";
import type { Node } from "yaml";
import { ManifestError, formatPath } from "../manifest/errors.js";
import { UsageError } from "../errors.js";
import { summarizeRunLine } from "./entry-line.js";
import { KeyIndex } from "./key-index.js";
import { checkLock, emptyLock, isRunKey, quickEntryCheck, summarizeEntry, type Lock, type LockEntry, type LockOf, type LockSummary } from "./schema.js";
import { setting } from "../util/shell.js";

/** The `lock` input or `--lock` flag: `off`, a path, or empty for fal-jobs.lock.json in the manifest's folder. */
export function lockPathFor(input: string | undefined, manifest: string): string | null {
  const value = (input ?? "").trim();
  if (value.toLowerCase() === "off") return null;
  const file = value || path.join(path.dirname(manifest), "fal-jobs.lock.json");
  // The path becomes the lock-path output, which workflows pass to `git add`: no characters a shell would read.
  if (!/^[\w./@+-]{1,4096}$/.test(file)) throw new UsageError(`the lock path ${JSON.stringify(file)} may use only letters, digits and . _ / @ + - (set ${setting("lock")})`);
  return file;
}

interface ReadLock<E extends LockSummary> {
  lock: LockOf<E>;
  existed: boolean;
  /** sha256 of the file's bytes; null when there is no file, or when the read was for an estimate (which needs none). */
  digest: string | null;
}

/** How a read keeps each entry: as a whole, or as a summary, which may also be taken from the line of the entry. */
interface Keep<E extends LockSummary> {
  entry: (entry: LockEntry) => E;
  line?: (line: string) => { key: string; summary: E; comma: boolean } | null;
  digest: boolean;
}

/**
 * Reads a lock. A missing file is an empty lock (nothing generated yet). A
 * lock that cannot be read or is not a lock is an error with its position:
 * ignoring it would mean paying again for everything it records.
 */
export function readLockFile(file: string): Promise<ReadLock<LockEntry>> {
  return readLock(file, { entry: (entry) => entry, digest: true });
}

/**
 * The same checks, keeping of each entry only what planning needs
 * (LockSummary): an estimate against a 100,000-run lock must not hold every
 * output's name, URL and hash.
 */
export function readLockSummary(file: string): Promise<ReadLock<LockSummary>> {
  return readLock(file, { entry: summarizeEntry, line: summarizeRunLine, digest: false });
}

async function readLock<E extends LockSummary>(file: string, keep: Keep<E>): Promise<ReadLock<E>> {
  const runs: Record<string, E> = {};
  const set = (key: string, e: E) => void (runs[key] = e);
  const clear = () => Object.keys(runs).forEach((key) => delete runs[key]);
  const read = await readInto(file, keep, { add: (key, e) => !Object.hasOwn(runs, key) && (set(key, e), true), set, clear });
  if (!read) return { lock: { ...emptyLock(), runs }, existed: false, digest: null };
  return { lock: { ...read.top, runs }, existed: true, digest: read.digest };
}

/**
 * The entries of a lock as summaries, in a KeyIndex (the lock thread's read:
 * an object must intern 100,000 keys, a Map hash them, and both keep every
 * key string), with the same checks; null when there is no lock file.
 */
export async function readLockEntries(file: string): Promise<KeyIndex<LockSummary> | null> {
  const entries = new KeyIndex<LockSummary>();
  // Keys in order as serializeLock writes them; out of order (or twice) the general read takes over.
  const store: RunStore<LockSummary> = { add: (key, e) => entries.addInOrder(key, e), set: (key, e) => entries.set(key, e), clear: () => entries.clear() };
  return (await readInto(file, { entry: summarizeEntry, line: summarizeRunLine, digest: false }, store)) && entries;
}

/** Where a read puts each entry. */
interface RunStore<E> {
  /** Stores a new key's entry; false (the read is then in doubt) when the key is there already (or, in a KeyIndex, out of order). */
  add(key: string, entry: E): boolean;
  set(key: string, entry: E): void;
  clear(): void;
}

/** Reads `file` into `store`: the lock's other members, and its digest when asked; null when there is no file. */
async function readInto<E extends LockSummary>(file: string, keep: Keep<E>, store: RunStore<E>): Promise<{ top: Omit<Lock, "runs">; digest: string | null } | null> {
  let lines: { top: Omit<Lock, "runs">; digest: string | null } | null;
  try {
    lines = await readLockLines(file, keep, store);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw lockError(file, 1, 1, "", `cannot read the lock: ${(err as Error).message}`);
  }
  if (lines) return lines;
  // Not in the layout this tool writes (edited by hand, reformatted), or not a valid lock: the general path, which
  // also places every error. What the line read stored first goes: the lock is what JSON reads (a second `"runs"`
  // member, say, replaces the first), never more.
  store.clear();
  const text = await readFile(file, "utf8");
  const { runs, ...top } = await parseLock(text, file);
  for (const key of Object.keys(runs)) store.set(key, keep.entry(runs[key]!));
  return { top, digest: keep.digest ? textDigest(text) : null };
}

/**
 * Reads a lock in the layout serializeLock writes — one run per line — line
 * by line, so a 100,000-run lock never exists as one string beside its
 * parsed form, and each entry is checked as it is read and kept as `keep`
 * makes it. Null when the file is laid out otherwise or an entry is doubtful
 * (the general path then judges, and places the error).
 */
async function readLockLines<E extends LockSummary>(file: string, keep: Keep<E>, runs: RunStore<E>): Promise<{ top: Omit<Lock, "runs">; digest: string | null } | null> {
  const stream = createReadStream(file, { highWaterMark: 1 << 16 });
  const hash = keep.digest ? createHash("sha256") : null;
  if (hash) stream.on("data", (chunk) => hash.update(chunk));
  const data: Record<string, unknown> = {};
  let table: Record<string, unknown> | null = null;
  let state: LineState = "start";
  // JSON's commas, strictly: between members, never after the last.
  let first = true;
  let comma = false;
  const lines = lineSplitter((line) => {
    if (state !== "bad") state = nextLine(state, line);
  });
  for await (const chunk of stream) lines.write(chunk as Buffer);
  lines.end();
  // (The cast: TypeScript cannot see the callback above assign it.)
  if ((state as LineState) !== "end") return null;
  // The top level and the stores by the schema; the entries were checked line by line.
  const top = checkLock({ ...data, runs: {} });
  if (!top.ok || !isRecord(data.runs)) return null;
  const { runs: _, ...members } = top.lock;
  return { top: members, digest: hash?.digest("hex") ?? null };

  /** `checked`: the key is a run key already (runLine matched; 64 hex digits need no unescaping). */
  function member(line: string, pattern: RegExp): { key: string; value: string; checked: boolean } | null {
    const fast = pattern === ENTRY_LINE ? runLine(line) : null;
    const m = fast ?? pattern.exec(line);
    if (!m || (!first && !comma)) return null;
    first = false;
    comma = m[3] === ",";
    return { key: fast ? line.slice(5, 69) : (JSON.parse(m[1]!) as string), value: m[2]!, checked: fast !== null };
  }

  function close(): boolean {
    const ok = !comma;
    comma = false;
    return ok;
  }

  function nextLine(at: LineState, line: string): LineState {
    try {
      if (at === "start") return line === "{" ? "members" : "bad";
      if (at === "end") return line === "" ? "end" : "bad";
      if (at === "table") {
        const fast = table === data.runs ? keep.line?.(line) : null;
        if (fast) {
          if (!first && !comma) return "bad";
          first = false;
          comma = fast.comma;
          return runs.add(fast.key, fast.summary) ? "table" : "bad";
        }
        if (line === "  }" || line === "  },") {
          if (!close()) return "bad";
          first = false;
          comma = line.endsWith(",");
          return "members";
        }
        const m = member(line, ENTRY_LINE);
        if (!m) return "bad";
        if (table !== data.runs) {
          table![m.key] = JSON.parse(m.value);
          return "table";
        }
        if (!(m.checked || isRunKey(m.key))) return "bad";
        const value: unknown = JSON.parse(m.value);
        if (!quickEntryCheck(value)) return "bad";
        return runs.add(m.key, keep.entry(value as LockEntry)) ? "table" : "bad";
      }
      if (line === "}") return close() ? "end" : "bad";
      const m = member(line, TOP_LINE);
      if (!m || Object.hasOwn(data, m.key)) return "bad";
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

function isRecord(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

type LineState = "start" | "members" | "table" | "end" | "bad";

/**
 * Splits UTF-8 chunks into lines (LF or CRLF) and hands each to `onLine` as
 * it comes: no promise per line, as an async generator or node:readline
 * would make 100,000 of.
 */
function lineSplitter(onLine: (line: string) => void): { write(chunk: Buffer): void; end(): void } {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  return {
    write(chunk) {
      const text = rest + decoder.write(chunk);
      let start = 0;
      for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
        onLine(text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end));
        start = end + 1;
      }
      rest = text.slice(start);
    },
    end() {
      rest += decoder.end();
      if (rest) onLine(rest.endsWith("\r") ? rest.slice(0, -1) : rest);
    },
  };
}

/**
 * `    "<run key>": {…},` — nearly every line of a lock — taken apart by
 * position rather than by ENTRY_LINE's backtracking; null for any other line.
 */
function runLine(line: string): RegExpExecArray | null {
  if (line.length < 74 || !RUN_LINE_START.test(line)) return null;
  const comma = line.endsWith(",");
  return [line, line.slice(4, 70), line.slice(72, comma ? -1 : undefined), comma ? "," : ""] as unknown as RegExpExecArray;
}

// A run key (64 hex digits, as isRunKey) opening an entry line; tested on the line itself, without slicing the key out.
const RUN_LINE_START = /^ {4}"[0-9a-f]{64}": /;
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
    const { line, column } = await syntaxPosition(text);
    throw lockError(file, line, column, "", `not valid JSON (${(err as Error).message.replace(/\s*\(line \d+ column \d+\)$/, "")}); ${FIX}`);
  }
  const checked = checkLock(data);
  if (checked.ok) return checked.lock;
  const { line, column } = await positionOf(text, checked.path);
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
async function syntaxPosition(text: string): Promise<{ line: number; column: number }> {
  // Loaded only here: every run that reads a valid lock skips it.
  const { parse } = await import("jsonc-parser");
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return { line: 1, column: 1 };
  const before = text.slice(0, first.offset).split("\n");
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** Where a path of the parsed value sits in the text; only on the error path, so speed does not matter. JSON is YAML. */
async function positionOf(text: string, path: PropertyKey[]): Promise<{ line: number; column: number }> {
  // Loaded here: the lock thread's worker, which reads valid locks, then never evaluates yaml.
  const { LineCounter, parseDocument, isMap, isSeq } = await import("yaml");
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
