import { falEndpointsFromEnv } from "../../adapters/fal/endpoints.js";
import { estimateManifest } from "../../flows/estimate-flow.js";
import { baseSourceFor } from "../base-source.js";
import type { ModeInput, ModeResult } from "./mode.js";

/** Estimate and gate only: nothing is submitted and no key is needed. */
export async function dryRun({ config, context, env }: ModeInput): Promise<ModeResult> {
  const outcome = await estimateManifest({
    manifestPath: config.manifest,
    budgetUsd: config.budgetUsd,
    priceSource: config.priceSource,
    allowLowerPrices: config.allowLowerPrices,
    discountPercent: config.discountPercent,
    lockPath: config.lockPath,
    budgetScope: config.budgetScope,
    base: baseSourceFor(config, context, env),
    failOnIncrease: config.failOnIncrease,
    falKey: config.falKey,
    endpoints: falEndpointsFromEnv(env),
    context: context.report,
  });
  return { report: outcome.report };
}
