/**
 * fal's per-request billing records, as reconciliation needs them. billing/
 * owns these types and the adapter (adapters/fal/billing-api.ts) returns
 * them, as pricing/ owns LivePricing: the domain does not depend on an adapter.
 */

export interface BillingEvent {
  request_id: string;
  endpoint_id: string;
  output_units: number | null;
  unit_price: number | null;
  cost_total: number | null;
  cost_estimate_nano_usd: number | null;
  percent_discount: number | null;
}

export type BillingLookup =
  | { status: "ok"; events: Map<string, BillingEvent> }
  /** The key may not read billing (API scope): use other sources. */
  | { status: "refused"; message: string }
  | { status: "failed"; message: string };
