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
  runs: z.record(z.string().check(z.regex(/^[0-9a-f]{64}$/, "a run key is a sha256 in hex")), entry),
  stores: z.record(text, store),
});

export type Lock = z.output<typeof LockSchema>;
export type LockEntry = z.output<typeof entry>;
export type LockStore = z.output<typeof store>;

export function emptyLock(): Lock {
  return { version: LOCK_VERSION, key_scheme: KEY_SCHEME, runs: {}, stores: {} };
}

export function checkLock(data: unknown): { ok: true; lock: Lock } | { ok: false; path: PropertyKey[]; message: string } {
  const parsed = LockSchema.safeParse(data);
  if (parsed.success) return { ok: true, lock: parsed.data };
  const issue = parsed.error.issues[0]!;
  // zod says only "Invalid key in record" for a record's key; say what a key is.
  const message = issue.code === "invalid_key" ? "not a run key: a run key is a sha256 in hex (64 characters 0-9, a-f)" : issue.message;
  return { ok: false, path: issue.path as PropertyKey[], message };
}

/** JSON Schema of the lock, published beside the manifest's and the report's. */
export function lockJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(LockSchema, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
  return {
    ...schema,
    title: "fal-jobs.lock.json",
    description: "What fal-jobs-action has generated and paid for: one entry per done run, by run key. Written by the action; commit it.",
  };
}
