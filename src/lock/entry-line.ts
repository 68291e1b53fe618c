import { intern, type LockSummary } from "./schema.js";

/**
 * The fast path of an estimate's read of the lock. serializeLock writes each
 * entry as one line of compact JSON with its keys sorted; a value in exactly
 * that form whose every field the schema accepts is matched by one regular
 * expression and summarized without JSON.parse, which would build every
 * output's objects and strings (most of an estimate's time against a
 * 100,000-run lock). Anything else — other spacing or key order, numbers
 * written otherwise, a field this pattern does not know, an invalid value —
 * gives null, and JSON.parse and the schema decide. The pattern must never
 * accept what the schema refuses and must summarize as JSON.parse would: a
 * property test holds it to both, and to knowing every field of the schema.
 */

// A JSON string: no raw quote, backslash or control character; escapes as JSON has them. Unambiguous, so linear;
// written as runs of plain characters between escapes (one class scan per run, not an alternation per character).
const PLAIN = String.raw`[^"\\\u0000-\u001f]*`;
const STRING = String.raw`"${PLAIN}(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})${PLAIN})*"`;
// A count of at most 15 digits is a safe integer; longer ones take the slow path.
const COUNT = String.raw`(?:0|[1-9]\d{0,14})`;
const USD = String.raw`"\d{1,15}\.\d{2,9}"`;
const nullable = (p: string) => `(?:null|${p})`;
const capture = (p: string) => `(${p})`;
const object = (fields: Array<[string, string]>) => String.raw`\{${fields.map(([k, p]) => `"${k}":${p}`).join(",")}\}`;

const OUTPUT_FIELDS: Array<[string, string]> = [
  ["content_type", nullable(STRING)],
  ["name", STRING],
  ["sha256", '"[0-9a-f]{64}"'],
  ["size", COUNT],
  ["url", STRING],
];
const OUTPUT = object(OUTPUT_FIELDS);

const ENTRY_FIELDS: Array<[string, string]> = [
  ["billed", nullable(USD)],
  ["billed_nano", capture(nullable(COUNT))],
  ["billed_source", '"(?:billing-events|header|observed|pending|unknown)"'],
  ["estimated_nano", capture(COUNT)],
  ["finished_at", STRING],
  ["job", capture(STRING)],
  ["model", capture(STRING)],
  ["outputs", String.raw`\[(?:${OUTPUT}(?:,${OUTPUT})*)?\]`],
  ["request_id", STRING],
  ["run", STRING],
  ["stored_in", nullable(STRING)],
];
// The whole line of an entry in the lock's `runs`, key and comma too: one match per line.
const RUN_LINE = new RegExp(`^ {4}"([0-9a-f]{64})": ${object(ENTRY_FIELDS)}(,?)$`);

/** The fields the pattern knows, for the test that it knows every field of the schema. */
export const knownFields = { entry: ENTRY_FIELDS.map(([k]) => k), output: OUTPUT_FIELDS.map(([k]) => k) };

/**
 * A whole line of the lock's runs as serializeLock writes it
 * (`    "<run key>": {…},`): its key (a run key), the entry's summary and
 * whether a comma follows; null when not certainly valid (ask JSON.parse and
 * the schema).
 */
export function summarizeRunLine(line: string): { key: string; summary: LockSummary; comma: boolean } | null {
  const m = RUN_LINE.exec(line);
  return m && { key: m[1]!, summary: summaryOf(m[2]!, m[3]!, m[4]!, m[5]!), comma: m[6] === "," };
}

function summaryOf(billed: string, estimated: string, job: string, model: string): LockSummary {
  // Interned: a slice of the line would keep the line's whole text alive, and a lock names few jobs and models.
  const unquote = (s: string) => intern(s.includes("\\") ? (JSON.parse(s) as string) : s.slice(1, -1));
  return {
    job: unquote(job),
    model: unquote(model),
    estimated_nano: Number(estimated),
    billed_nano: billed === "null" ? null : Number(billed),
  };
}
