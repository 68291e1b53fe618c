import type { BillingEvent, BillingLookup } from "./types.js";
import type { RunRecord } from "../run/types.js";
import { costNano, toNano, type Nano } from "../util/money.js";

/**
 * What each run actually cost, from the best source available, named:
 * 1. fal's billing events (ADMIN key), 2. the `x-fal-billable-units` header of
 * the result × unit price, 3. units counted in the returned outputs × unit
 * price. A run fal provably never accepted cost nothing; one whose submit
 * got no definite answer is unknown. Anything else is pending (its billing
 * event may still come) or unknown — never $0.
 */

export type BilledSource = "billing-events" | "header" | "observed" | "not-submitted" | "pending" | "unknown";

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
