import { createHash } from "node:crypto";

/**
 * Splitting one batch across N shards (an Actions matrix) that never talk to
 * each other: each computes the same partition from what they all read (the
 * plan's run keys and each run's estimate), so every run lands in exactly one
 * shard.
 *
 * The runs are laid end to end on a line, in the order of their run keys (a
 * sha256, so the order is random but fixed, and mixes cheap and expensive runs
 * evenly), each as long as its estimate. The line is cut into N equal lengths
 * and a run goes to the piece that holds its midpoint. Hence:
 *
 * - balance: a shard's estimate is within one run's cost of total/N (its pieces
 *   lose or gain at most half a run at either end);
 * - stability: adding a run of cost c shifts each cut by at most c relative to
 *   the runs, so only runs within c of a cut move (about one per cut when runs
 *   cost alike), not the whole order as a greedy assignment would;
 * - runs estimated at $0 have no length: they are cut by count, on their own
 *   line, so they too spread evenly.
 *
 * Figures are exact integers (nano-USD) up to 2^53 in total; beyond that the
 * cut is still the same in every shard, just rounded.
 */

export interface ShardSpec {
  /** 1-based. */
  index: number;
  total: number;
}

/** The most shards: a GitHub matrix has at most 256 jobs. */
const MAX_SHARDS = 256;

/** `i/N` (1-based, as Playwright's `--shard`). */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d{1,3})\s*\/\s*(\d{1,3})\s*$/.exec(text);
  if (!m) throw new Error(`expected i/N such as 2/5 (got "${text}")`);
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || total > MAX_SHARDS) throw new Error(`the number of shards must be 1 to ${MAX_SHARDS} (got ${total})`);
  if (index < 1 || index > total) throw new Error(`the shard must be 1 to ${total} (got ${index})`);
  return { index, total };
}

export interface Partition {
  /** The 0-based shard of each run, in the order given. */
  shardOf: Uint16Array;
  /** One digest of the runs, their estimates and their shards: shards that agree on it ran disjoint parts of one plan. */
  digest: string;
}

/**
 * `key(i)` (distinct run keys) and `costs[i]` (the run's estimate, nano-USD,
 * ≥ 0) for each run i, in any order: the answer does not depend on that order.
 */
export function partitionRuns(key: (i: number) => string, costs: ArrayLike<number>, shards: number): Partition {
  const shardOf = new Uint16Array(costs.length);
  const order = keyOrder(key, costs.length);
  const paid = order.filter((i) => costs[i]! > 0);
  const free = order.filter((i) => !(costs[i]! > 0));
  // Doubled positions keep the midpoints integral: run i covers [2p, 2p + 2c), its midpoint is 2p + c.
  const total = paid.reduce((s, i) => s + costs[i]!, 0);
  let p = 0;
  for (const i of paid) {
    shardOf[i] = Math.min(shards - 1, Math.floor(((2 * p + costs[i]!) * shards) / (2 * total)));
    p += costs[i]!;
  }
  free.forEach((i, j) => (shardOf[i] = Math.min(shards - 1, Math.floor(((2 * j + 1) * shards) / (2 * free.length)))));
  const hash = createHash("sha256").update(`fal-jobs-partition/1 ${shards}\n`);
  // One line per run, hashed in blocks of lines: the same digest as line by line, with fewer calls.
  let block = "";
  for (const i of order) {
    block += `${key(i)} ${costs[i]} ${shardOf[i]}\n`;
    if (block.length >= 1 << 16) {
      hash.update(block);
      block = "";
    }
  }
  return { shardOf, digest: hash.update(block).digest("hex") };
}

const byKey = (key: (i: number) => string) => (a: number, b: number) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/**
 * Indices in the order of their keys. Run keys are hex: their first 8 digits
 * (32 bits) and the index (20 bits) pack into one double exactly, and a
 * Float64Array sorts natively, several times faster than comparing 100,000
 * strings; runs whose first digits tie (a few pairs in 100,000) are then
 * ordered by their whole keys.
 */
function keyOrder(key: (i: number) => string, n: number): number[] {
  const packed = new Float64Array(n);
  for (let i = 0; i < n && n < 2 ** 20; i++) {
    const head = hexHead(key(i));
    if (head < 0) return Array.from({ length: n }, (_, j) => j).sort(byKey(key));
    packed[i] = head * 2 ** 20 + i;
  }
  if (n >= 2 ** 20) return Array.from({ length: n }, (_, j) => j).sort(byKey(key));
  packed.sort();
  const order = Array.from(packed, (p) => p % 2 ** 20);
  for (let i = 0; i < n; ) {
    let j = i + 1;
    const head = Math.floor(packed[i]! / 2 ** 20);
    while (j < n && Math.floor(packed[j]! / 2 ** 20) === head) j++;
    if (j - i > 1) order.splice(i, j - i, ...order.slice(i, j).sort(byKey(key)));
    i = j;
  }
  return order;
}

/** The first 8 digits of a key as an integer, when they are lowercase hex; else -1. */
function hexHead(key: string): number {
  let head = 0;
  for (let i = 0; i < 8; i++) {
    const c = key.charCodeAt(i);
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (digit < 0) return -1;
    head = head * 16 + digit;
  }
  return head;
}
