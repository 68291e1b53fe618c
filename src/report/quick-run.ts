/**
 * A run report's `runs` hold almost all of its bytes (a merge reads 100,000
 * of them), and zod checks each field of each one. Most runs have one plain
 * shape: this check accepts a run only when it certainly is what the report
 * schema accepts, with no key the schema would drop, so it can stand as its
 * own parse; anything else (an error, a resumed request, an unknown key, a
 * doubtful value) returns false, and the schema decides, with its message.
 * The tests check that it never accepts what the schema refuses.
 */

interface Keys {
  /** In the order the report writes them. */
  order: readonly string[];
  all: ReadonlySet<string>;
}
const keys = (...order: string[]): Keys => ({ order, all: new Set(order) });
const RUN_KEYS = keys("id", "job", "model", "variant", "repeat", "status", "submitted", "submit_outcome", "request_id", "error", "timings", "estimated", "estimated_nano", "billed", "over_estimate", "dir", "outputs");
const TIMING_KEYS = keys("started_at", "submitted_at", "completed_at", "finished_at", "total_ms");
const BILLED_KEYS = keys("source", "units", "unit_price", "cost_nano", "cost");
const OUTPUT_KEYS = keys("source", "url", "content_type", "path", "bytes", "sha256", "error");
const STATUSES = new Set(["succeeded", "failed", "cancelled", "skipped-budget", "timed-out"]);
const SUBMIT_OUTCOMES = new Set(["not-attempted", "accepted", "rejected", "unknown"]);
const BILLED_SOURCES = new Set(["billing-events", "header", "observed", "not-submitted", "pending", "unknown"]);
const USD = /^\d{1,15}\.\d{2,9}$/;

type Obj = Record<string, unknown>;

/** A plain object with exactly `keys`. */
function exactly(v: unknown, keys: Keys): v is Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype) return false;
  // Its own enumerable keys, as JSON.stringify and the schema see them (Object.keys reads them faster than for…in).
  const own = Object.keys(v);
  if (own.length !== keys.order.length) return false;
  // A merge checks 100,000 runs, nearly all with their keys in the report's order: then no lookup is needed.
  let i = 0;
  while (i < own.length && own[i] === keys.order[i]) i++;
  if (i === own.length) return true;
  for (const k of own) if (!keys.all.has(k)) return false;
  return true;
}

const str = (v: unknown) => typeof v === "string";
const strOrNull = (v: unknown) => v === null || typeof v === "string";
const num = (v: unknown) => typeof v === "number" && Number.isFinite(v);
const numOrNull = (v: unknown) => v === null || num(v);
const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
const usd = (v: unknown) => typeof v === "string" && USD.test(v);

/** True when `r` is certainly a valid run entry as it stands; false means "ask the schema". */
export function plainRunEntry(r: unknown): boolean {
  if (!exactly(r, RUN_KEYS)) return false;
  if (!str(r.id) || !str(r.job) || !str(r.model) || !str(r.variant) || !count(r.repeat)) return false;
  if (!STATUSES.has(r.status as string) || typeof r.submitted !== "boolean" || !SUBMIT_OUTCOMES.has(r.submit_outcome as string)) return false;
  if (!strOrNull(r.request_id) || r.error !== null || !usd(r.estimated) || !count(r.estimated_nano) || typeof r.over_estimate !== "boolean" || !strOrNull(r.dir)) return false;
  const t = r.timings;
  if (!exactly(t, TIMING_KEYS) || !strOrNull(t.started_at) || !strOrNull(t.submitted_at) || !strOrNull(t.completed_at) || !strOrNull(t.finished_at) || !numOrNull(t.total_ms)) return false;
  const b = r.billed;
  if (!exactly(b, BILLED_KEYS) || !BILLED_SOURCES.has(b.source as string) || !numOrNull(b.units) || !numOrNull(b.unit_price) || !(b.cost_nano === null || count(b.cost_nano)) || !(b.cost === null || usd(b.cost))) return false;
  if (!Array.isArray(r.outputs)) return false;
  for (const o of r.outputs as unknown[]) {
    if (!exactly(o, OUTPUT_KEYS) || !str(o.source) || !str(o.url) || !strOrNull(o.content_type) || !strOrNull(o.path) || !numOrNull(o.bytes) || !strOrNull(o.sha256) || !strOrNull(o.error)) return false;
  }
  return true;
}
