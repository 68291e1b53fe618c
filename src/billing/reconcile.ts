import type { BillingEvent, BillingLookup } from "./types.js";
import type { RunRecord, RunStatus } from "../run/types.js";
import { costNano, toNano, type Nano } from "../util/money.js";

/**
 * What each run actually cost, from the best source available, named:
 * 1. fal's billing events (ADMIN key), 2. the `x-fal-billable-units` header of
 * the result × unit price, 3. units counted in the returned outputs × unit
 * price. A run fal provably never accepted cost nothing; one whose submit
 * got no definite answer is unknown. Anything else is pending (its billing
 * event may still come) or unknown — never $0.
 *
 * reconcile() then adds those up per job and in total, next to what the same
 * runs were estimated at.
 */

type BilledSource = "billing-events" | "header" | "observed" | "not-submitted" | "pending" | "unknown";

export interface BilledCost {
  source: BilledSource;
  units: number | null;
  unit_price: number | null;
  cost_nano: Nano | null;
}

export function billedCostOf(record: RunRecord, billing: BillingLookup | undefined): BilledCost {
  // A submit sent without a definite answer may be a billed request we have no id for: unknown, never $0.
  if (record.submit_outcome === "unknown") return { source: "unknown", units: null, unit_price: record.unit_price, cost_nano: null };
  if (!record.submitted) return { source: "not-submitted", units: 0, unit_price: record.unit_price, cost_nano: 0 };
  const event = billing?.status === "ok" && record.request_id ? billing.events.get(record.request_id) : undefined;
  if (event) {
    const cost = eventCostNano(event);
    if (cost !== null) return { source: "billing-events", units: event.output_units, unit_price: event.unit_price, cost_nano: cost };
  }
  if (record.header_units !== null && record.unit_price !== null) {
    return { source: "header", units: record.header_units, unit_price: record.unit_price, cost_nano: costNano(record.header_units, record.unit_price) };
  }
  if (record.status === "succeeded" && record.observed_units !== null && record.unit_price !== null) {
    return { source: "observed", units: record.observed_units, unit_price: record.unit_price, cost_nano: costNano(record.observed_units, record.unit_price) };
  }
  // With a working billing lookup, a missing event is late, not absent.
  return { source: billing?.status === "ok" ? "pending" : "unknown", units: null, unit_price: record.unit_price, cost_nano: null };
}

/** An event's cost, from fal's own figures first; null while it has none yet. */
export function eventCostNano(e: BillingEvent): Nano | null {
  if (e.cost_estimate_nano_usd !== null) return Math.round(e.cost_estimate_nano_usd);
  if (e.cost_total !== null) return toNano(e.cost_total);
  if (e.output_units !== null && e.unit_price !== null) {
    const gross = costNano(e.output_units, e.unit_price);
    return e.percent_discount ? Math.round(gross * (1 - e.percent_discount / 100)) : gross;
  }
  return null;
}

export interface RunCost {
  record: RunRecord;
  billed: BilledCost;
  /** Billed more than its estimate; false while the billed cost is not known. */
  overEstimate: boolean;
}

export interface CostSummary {
  counts: Record<RunStatus, number>;
  /** Sum of the billed costs that are known: the whole bill only when `complete`. */
  billedNano: Nano;
  /** Runs fal accepted whose billed cost is known. */
  billedRuns: number;
  pendingRuns: number;
  unknownRuns: number;
  /** Of the unknown runs, those whose submit got no definite answer (fal may have billed them under no id we know). */
  unknownSubmits: number;
  /** Every run's billed cost is known, so `billedNano` is the total; otherwise it is only a lower bound. */
  complete: boolean;
  /** Billed minus estimated, over `billedRuns`. */
  deltaNano: Nano;
  /** `deltaNano` as a % of those runs' estimate, to one decimal; null when they were estimated at $0. */
  errorPct: number | null;
  overEstimateRuns: number;
  sources: BilledSource[];
}

export interface Reconciliation {
  /** One entry per record, in the records' order. */
  perRun: RunCost[];
  /** By job id; a job with no records has no entry. */
  perJob: Map<string, CostSummary>;
  totals: CostSummary;
  billing: { status: BillingLookup["status"] | "not-used"; detail: string | null };
}

export function reconcile(records: readonly RunRecord[], billing: BillingLookup | undefined): Reconciliation {
  const perRun = records.map((record): RunCost => {
    const billed = billedCostOf(record, billing);
    return { record, billed, overEstimate: billed.cost_nano !== null && billed.cost_nano > record.estimate_nano };
  });
  const byJob = new Map<string, RunCost[]>();
  for (const run of perRun) {
    const runs = byJob.get(run.record.job);
    if (runs) runs.push(run);
    else byJob.set(run.record.job, [run]);
  }
  return {
    perRun,
    perJob: new Map([...byJob].map(([job, runs]) => [job, summarizeCosts(runs)])),
    totals: summarizeCosts(perRun),
    billing: { status: billing?.status ?? "not-used", detail: billing && billing.status !== "ok" ? billing.message : null },
  };
}

const STATUSES: RunStatus[] = ["succeeded", "failed", "timed-out", "cancelled", "skipped-budget"];

export function summarizeCosts(runs: readonly RunCost[]): CostSummary {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
  let billed: Nano = 0;
  let billedRuns = 0;
  let pending = 0;
  let unknown = 0;
  let unknownSubmits = 0;
  let estOfBilled: Nano = 0;
  let over = 0;
  const sources = new Set<BilledSource>();
  for (const run of runs) {
    counts[run.record.status]++;
    if (run.record.submit_outcome === "unknown") unknownSubmits++;
    const b = run.billed;
    if (b.source === "pending") pending++;
    else if (b.source === "unknown") unknown++;
    else if (b.cost_nano !== null) {
      billed += b.cost_nano;
      // not-submitted runs cost nothing, and are left out of the accuracy figures.
      if (b.source !== "not-submitted") {
        billedRuns++;
        estOfBilled += run.record.estimate_nano;
        sources.add(b.source);
      }
    }
    if (run.overEstimate) over++;
  }
  const delta = billed - estOfBilled;
  return {
    counts,
    billedNano: billed,
    billedRuns,
    pendingRuns: pending,
    unknownRuns: unknown,
    unknownSubmits,
    complete: pending === 0 && unknown === 0,
    deltaNano: delta,
    errorPct: estOfBilled > 0 ? Math.round((delta / estOfBilled) * 1000) / 10 : null,
    overEstimateRuns: over,
    sources: [...sources],
  };
}

/**
 * fal's billing events name the discount each request was billed at. Where a
 * run was priced from the catalog, the workflow's `discount-percent` stood in
 * for it: when the two differ, say so, with the figure to set, since every
 * catalog estimate (and the credit check, and history) is off by as much.
 */
export function discountMismatch(billing: BillingLookup | undefined, catalogPriced: ReadonlySet<string>, configured: number | undefined): string | undefined {
  if (billing?.status !== "ok") return undefined;
  const seen = new Set<number>();
  for (const e of billing.events.values()) if (catalogPriced.has(e.endpoint_id)) seen.add(e.percent_discount ?? 0);
  const set = configured ?? 0;
  const other = [...seen].filter((p) => p !== set).sort((a, b) => a - b);
  if (other.length === 0) return undefined;
  const billed = other.map((p) => `${p}%`).join(", ");
  return `fal billed catalog-priced models at a ${billed} discount, but discount-percent is ${set}%: set \`discount-percent: "${other.length === 1 ? other[0] : "…"}"\` so catalog estimates match your bills`;
}
