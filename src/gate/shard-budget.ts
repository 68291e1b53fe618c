import type { Nano } from "../util/money.js";

/**
 * A shard's hard cap, with no coordination between shards: its share of a
 * limit in proportion to its share of the estimate,
 *
 *   cap_i = floor(limit × estimate_i / estimate_total)
 *
 * (equal shares of the limit when nothing is estimated to cost anything).
 * Rounded down, the caps add up to at most the limit, so the shards together
 * can never commit more than it. Exact in integers (BigInt): a product of
 * nano-USD figures passes 2^53.
 */
export function shardCapNano(limitNano: Nano, estimateNano: Nano, totalEstimateNano: Nano, shards: number): Nano {
  if (totalEstimateNano <= 0) return Math.floor(limitNano / shards);
  return Number((BigInt(limitNano) * BigInt(estimateNano)) / BigInt(totalEstimateNano));
}
