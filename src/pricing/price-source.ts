import { UsageError } from "../errors.js";
import { setting } from "../util/shell.js";

/** Where prices come from: the live pricing API when a key allows (auto), only it (live), or only the catalog. */
export type PriceSourceMode = "auto" | "live" | "catalog";

export function parsePriceSource(value: string | undefined): PriceSourceMode {
  const v = (value ?? "").trim() || "auto";
  if (v === "auto" || v === "live" || v === "catalog") return v;
  throw new UsageError(`${setting("price-source")} must be auto, live or catalog (got "${value}")`);
}
