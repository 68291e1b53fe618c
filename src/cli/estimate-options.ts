import { UsageError } from "../errors.js";
import { falEndpointsFromEnv } from "../adapters/fal/endpoints.js";
import type { EstimateRequest } from "../flows/estimate-flow.js";
import { lockPathFor } from "../lock/read.js";
import { parsePriceSource } from "../pricing/price-source.js";
import { parseDiscountPercent } from "../pricing/discount.js";
import { parseUsd } from "../util/money.js";
import type { OptionSpec, Parsed } from "./command.js";
import { keyFrom } from "./io.js";

/** The options `estimate` and `run` share, read the same way: what is estimated, and against what. */

export const ESTIMATE_OPTIONS: Record<string, OptionSpec> = {
  budget: { type: "string", value: "USD", help: "a budget, or a lower one than the manifest's (with both, the smaller applies: it never raises the manifest's)" },
  "price-source": { type: "string", value: "auto|live|catalog", help: "auto (default): fal's live prices with FAL_KEY, else the bundled catalog; live: fail without them; catalog: offline" },
  "allow-lower-prices": { type: "boolean", help: "let the manifest's `pricing:` go below fal's price (a negotiated rate; only for a manifest you trust)" },
  "discount-percent": { type: "string", value: "N", help: "the account's negotiated discount: N% off catalog prices (live prices are already the account's own)" },
  lock: { type: "string", value: "FILE|off", help: "the lock of runs already generated and paid for (default fal-jobs.lock.json beside the manifest); off: every run is new" },
  "budget-scope": { type: "string", value: "new|full", help: "what the budget gates: new (default), the runs the lock does not hold; full, the whole manifest" },
};

export const MANIFEST_ARGUMENT = { manifest: "the manifest (default fal-jobs.yaml)" };

export function estimateRequest({ values, positionals }: Parsed, env: NodeJS.ProcessEnv): EstimateRequest & { lockPath: string | null } {
  let budgetUsd: number | undefined;
  try {
    budgetUsd = parseUsd(values.budget as string | undefined);
  } catch (err) {
    throw new UsageError(`--budget: ${(err as Error).message}`);
  }
  let discountPercent: number | undefined;
  try {
    discountPercent = parseDiscountPercent(values["discount-percent"] as string | undefined);
  } catch (err) {
    throw new UsageError(`--discount-percent: ${(err as Error).message}`);
  }
  const scope = (values["budget-scope"] as string | undefined) ?? "new";
  if (scope !== "new" && scope !== "full") throw new UsageError(`--budget-scope must be new or full (got "${scope}")`);
  const manifestPath = positionals[0] ?? "fal-jobs.yaml";
  return {
    manifestPath,
    lockPath: lockPathFor(values.lock as string | undefined, manifestPath),
    budgetScope: scope,
    budgetUsd,
    priceSource: parsePriceSource(values["price-source"] as string | undefined),
    allowLowerPrices: (values["allow-lower-prices"] as boolean | undefined) ?? false,
    discountPercent,
    falKey: keyFrom(env, "FAL_KEY"),
    endpoints: falEndpointsFromEnv(env),
  };
}
