import type { PriceOverride } from "../manifest/schema.js";
import type { CatalogEntry } from "./catalog-schema.js";
import type { LoadedCatalog } from "./catalog.js";
import { discounted } from "./discount.js";
import { normalizeUnit, type UnitKind } from "./units.js";

/**
 * Picks one price per model from the three sources: the manifest's own
 * `pricing` override, fal's live pricing API, the bundled catalog. The
 * manifest is pull-request content, so an override never hides fal's own
 * price: it is kept beside it (`trusted`), and the estimate uses whichever
 * costs more unless the workflow allows lower prices. The catalog entry is
 * kept whatever the source, because it knows the model's defaults and which
 * inputs change the price.
 */

export type PriceSource = "override" | "live" | "catalog";

export interface PriceQuote {
  model: string;
  source: PriceSource;
  unit: string;
  kind: UnitKind;
  unitPrice: number;
  currency: string;
  entry?: CatalogEntry;
  /** On an override: fal's own price for the model (live, else catalog), when one is known. */
  trusted?: PriceQuote;
  /**
   * On a live price whose unit is of another kind than the catalog entry's (fal's docs show flux/dev per
   * "image", which fal's model page prices per megapixel): the catalog's price. Either could be how fal bills
   * the run, so the estimate applies both and keeps the higher (estimate/estimate.ts).
   */
  catalogInOtherUnit?: PriceQuote;
  /**
   * On a catalog price: the account's discount (workflow `discount-percent`) it carries. `unitPrice` and every
   * tier (estimate/estimate.ts priceFor) are then the list price less this percentage.
   */
  discountPercent?: number;
}

export interface LivePrice {
  endpoint_id: string;
  unit_price: number;
  unit: string;
  currency: string;
}

export type LivePricing =
  | { status: "skipped"; reason: string }
  | { status: "ok"; prices: ReadonlyMap<string, LivePrice> }
  | { status: "failed"; error: string };

export interface PriceBook {
  quotes: ReadonlyMap<string, PriceQuote>;
  /** Catalog entries of models that have no fixed price (unit known, price not). */
  unpriced: ReadonlyMap<string, CatalogEntry>;
  live: LivePricing;
  catalogAsOf: string;
  /** The account's discount on catalog prices (never on live prices, which are already the account's own). */
  discountPercent?: number;
}

/** What the workflow (never the manifest) says about the account. */
export interface AccountPricing {
  /** Percent off the catalog's list prices, 0 ≤ p < 100 (pricing/discount.ts). */
  discountPercent?: number;
}

export function resolvePrices(
  models: Iterable<string>,
  overrides: Readonly<Record<string, PriceOverride>> | undefined,
  live: LivePricing,
  catalog: LoadedCatalog,
  account: AccountPricing = {},
): PriceBook {
  const discount = account.discountPercent || undefined;
  const quotes = new Map<string, PriceQuote>();
  const unpriced = new Map<string, CatalogEntry>();
  for (const model of new Set(models)) {
    const entry = catalog.entries.get(model);
    const override = overrides?.[model];
    const livePrice = live.status === "ok" ? live.prices.get(model) : undefined;
    const liveQuote: PriceQuote | undefined = livePrice && { model, source: "live", unit: livePrice.unit, kind: normalizeUnit(livePrice.unit), unitPrice: livePrice.unit_price, currency: livePrice.currency, entry };
    const catalogQuote: PriceQuote | undefined =
      entry && entry.unit_price !== null
        ? { model, source: "catalog", unit: entry.unit, kind: normalizeUnit(entry.unit), unitPrice: discounted(entry.unit_price, discount), currency: "USD", entry, ...(discount && { discountPercent: discount }) }
        : undefined;
    if (liveQuote && catalogQuote && liveQuote.kind !== catalogQuote.kind) liveQuote.catalogInOtherUnit = catalogQuote;
    if (override) {
      // The price an override is checked against must be one it can be compared with: fal's in USD.
      const trusted = liveQuote?.currency === "USD" ? liveQuote : (catalogQuote ?? liveQuote);
      quotes.set(model, { model, source: "override", unit: override.unit, kind: normalizeUnit(override.unit), unitPrice: override.unit_price, currency: "USD", entry, trusted });
    } else if (liveQuote ?? catalogQuote) {
      quotes.set(model, (liveQuote ?? catalogQuote)!);
    } else {
      if (entry) unpriced.set(model, entry);
    }
  }
  return { quotes, unpriced, live, catalogAsOf: catalog.asOf, ...(discount && { discountPercent: discount }) };
}

export function describeSource(q: PriceQuote, catalogAsOf: string): string {
  switch (q.source) {
    case "override":
      return "manifest pricing";
    case "live":
      return "fal pricing API";
    case "catalog":
      return `catalog ${catalogAsOf}${q.discountPercent ? `, less the account's ${q.discountPercent}% discount` : ""}`;
  }
}
