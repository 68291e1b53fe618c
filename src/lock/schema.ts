import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import { KEY_SCHEME } from "./key.js";

/**
 * fal-jobs.lock.json, version 1: what has been generated and paid for. One
 * entry per done run, under its run key (key.ts); where the files are kept
 * is written once per workflow run attempt under `stores` and referenced by
 * the entries. Unknown keys are errors: a lock is machine-written, and a
 * field we do not understand may be one that decides whether to pay again.
 */

z.config({ ...en(), jitless: true });

const LOCK_VERSION = 1;

const text = z.string();
const nano = z.int().check(z.nonnegative());
const usd = z.string().check(z.regex(/^\d{1,15}\.\d{2,9}$/, "expected a USD amount such as 1.25"));

const output = z.strictObject({
  /** Relative to the run's folder in the artifact. */
  name: text,
  content_type: z.nullable(text),
  size: nano,
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/, "expected a sha256 in hex")),
  /** fal's URL of the file; it may expire. */
  url: text,
});

const entry = z.strictObject({
  job: text,
  /** The run's label in the manifest when it was generated, e.g. `thumbs[animal=cat]#1`. */
  run: text,
  model: text,
  request_id: text,
  finished_at: text,
  estimated_nano: nano,
  billed: z.nullable(usd),
  billed_nano: z.nullable(nano),
  billed_source: z.enum(["billing-events", "header", "observed", "pending", "unknown"]),
  outputs: z.array(output),
  /** A key of `stores`, or null when the files were kept nowhere but fal's URLs (the artifact upload failed). */
  stored_in: z.nullable(text),
});

const runKey = z.string().check(z.regex(/^[0-9a-f]{64}$/, "a run key is a sha256 in hex"));

const store = z.strictObject({
  repository: text,
  run_id: text,
  run_attempt: text,
  artifact: z.nullable(z.strictObject({ name: text, id: nano, url: text })),
});

const LockSchema = z.strictObject({
  $schema: z.optional(text),
  version: z.literal(LOCK_VERSION, `this tool reads lock version ${LOCK_VERSION}`),
  key_scheme: z.literal(KEY_SCHEME, `run keys of this lock were made by another scheme; this tool uses ${KEY_SCHEME}`),
  runs: z.record(runKey, entry),
  stores: z.record(text, store),
});

export type Lock = z.output<typeof LockSchema>;
export type LockEntry = z.output<typeof entry>;
export type LockStore = z.output<typeof store>;

/**
 * What planning needs of an entry: the job it was generated for and what it
 * cost. An estimate holds only this, so a 100,000-run lock costs it a few
 * megabytes instead of every output's name, URL and hash.
 */
export type LockSummary = Pick<LockEntry, "job" | "model" | "estimated_nano" | "billed_nano">;

/** A lock whose entries are full (a real run, which writes the next lock) or summaries (an estimate). */
export type LockOf<E extends LockSummary> = Omit<Lock, "runs"> & { runs: Record<string, E> };

/** One string per job or model id, however many entries name it: the billing history (lock/history.ts) needs each entry's. */
const interned = new Map<string, string>();

export function intern(id: string): string {
  const known = interned.get(id);
  if (known !== undefined) return known;
  interned.set(id, id);
  return id;
}

export function summarizeEntry(e: LockEntry): LockSummary {
  return { job: intern(e.job), model: intern(e.model), estimated_nano: e.estimated_nano, billed_nano: e.billed_nano };
}

export function emptyLock(): Lock {
  return { version: LOCK_VERSION, key_scheme: KEY_SCHEME, runs: {}, stores: {} };
}

/**
 * The lock if `data` is one. A lock may hold 100,000 runs: each entry is
 * first checked by `plainEntry` (no copies, no allocations), and zod's schema
 * — the lock's one definition, which also gives the JSON Schema — judges only
 * what that quick check doubts, so its verdict and its message decide. The
 * quick check never accepts what the schema refuses (a property test holds it
 * to that); the lock is returned as parsed, not copied.
 */
export function checkLock(data: unknown): { ok: true; lock: Lock } | { ok: false; path: PropertyKey[]; message: string } {
  if (!isPlainObject(data) || !isPlainObject(data.runs) || !isPlainObject(data.stores)) return viaSchema(LockSchema, data, []);
  const top = viaSchema(LockSchema, { ...data, runs: {} }, []);
  if (!top.ok) return top;
  for (const key of Object.keys(data.runs)) {
    const value = data.runs[key];
    if (KEY.test(key) && plainEntry(value)) continue;
    const checked = viaSchema(z.record(runKey, entry), { [key]: value }, ["runs"]);
    if (!checked.ok) return checked;
  }
  return { ok: true, lock: data as Lock };
}

const KEY = /^[0-9a-f]{64}$/;
const USD = /^\d{1,15}\.\d{2,9}$/;
const ENTRY_KEYS = new Set(["job", "run", "model", "request_id", "finished_at", "estimated_nano", "billed", "billed_nano", "billed_source", "outputs", "stored_in"]);
const OUTPUT_KEYS = new Set(["name", "content_type", "size", "sha256", "url"]);
const BILLED_SOURCES = new Set(["billing-events", "header", "observed", "pending", "unknown"]);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

/** True when the entry is certainly valid; false means "ask the schema". */
function plainEntry(e: unknown): boolean {
  if (!isPlainObject(e)) return false;
  let keys = 0;
  for (const k in e) {
    if (!ENTRY_KEYS.has(k)) return false;
    keys++;
  }
  if (keys !== ENTRY_KEYS.size) return false;
  if (typeof e.job !== "string" || typeof e.run !== "string" || typeof e.model !== "string" || typeof e.request_id !== "string" || typeof e.finished_at !== "string") return false;
  if (!count(e.estimated_nano)) return false;
  if (!(e.billed === null || (typeof e.billed === "string" && USD.test(e.billed)))) return false;
  if (!(e.billed_nano === null || count(e.billed_nano))) return false;
  if (!BILLED_SOURCES.has(e.billed_source as string)) return false;
  if (!(e.stored_in === null || typeof e.stored_in === "string")) return false;
  if (!Array.isArray(e.outputs)) return false;
  for (const o of e.outputs as unknown[]) {
    if (!isPlainObject(o)) return false;
    let n = 0;
    for (const k in o) {
      if (!OUTPUT_KEYS.has(k)) return false;
      n++;
    }
    if (n !== OUTPUT_KEYS.size) return false;
    if (typeof o.name !== "string" || typeof o.url !== "string" || !(o.content_type === null || typeof o.content_type === "string")) return false;
    if (!count(o.size) || typeof o.sha256 !== "string" || !KEY.test(o.sha256)) return false;
  }
  return true;
}

function viaSchema(schema: z.ZodMiniType, data: unknown, prefix: PropertyKey[]): { ok: true; lock: Lock } | { ok: false; path: PropertyKey[]; message: string } {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, lock: parsed.data as Lock };
  const issue = parsed.error.issues[0]!;
  // zod says only "Invalid key in record" for a record's key; say what a key is.
  const message = issue.code === "invalid_key" ? "not a run key: a run key is a sha256 in hex (64 characters 0-9, a-f)" : issue.message;
  return { ok: false, path: [...prefix, ...(issue.path as PropertyKey[])], message };
}

/** The quick check of one entry (for the line reader, and the property test): true when certainly valid, false means "ask the schema". */
export const quickEntryCheck = plainEntry;

/** The quick check of one run key. */
export const isRunKey = (key: string): boolean => KEY.test(key);
export const entrySchema = entry;

/** JSON Schema of the lock, published beside the manifest's and the report's. */
export function lockJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(LockSchema, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
  return {
    ...schema,
    title: "fal-jobs.lock.json",
    description: "What fal-jobs-action has generated and paid for: one entry per done run, by run key. Written by the action; commit it.",
  };
}
