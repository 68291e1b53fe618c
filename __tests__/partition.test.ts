import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseShard, partitionRuns } from "../src/plan/partition.js";

const listed = (keys: readonly string[]) => (i: number) => keys[i]!;
import { shardCapNano } from "../src/gate/shard-budget.js";

/** Run keys as the lock makes them: sha256 in hex. */
const key = (n: number) => createHash("sha256").update(`run ${n}`).digest("hex");

/**
 * Skewed manifests: a few expensive runs (videos, ~$0.50–$5) among many
 * cheap ones (images, ~$0.003–$0.05), some free, in nano-USD.
 */
const skewedCosts = fc.array(
  fc.oneof(
    { weight: 20, arbitrary: fc.integer({ min: 3_000_000, max: 50_000_000 }) },
    { weight: 1, arbitrary: fc.integer({ min: 500_000_000, max: 5_000_000_000 }) },
    { weight: 1, arbitrary: fc.constant(0) },
  ),
  { minLength: 1, maxLength: 600 },
);

function loads(costs: readonly number[], shardOf: Uint16Array, shards: number): { cost: number[]; count: number[] } {
  const cost = new Array<number>(shards).fill(0);
  const count = new Array<number>(shards).fill(0);
  shardOf.forEach((s, i) => {
    cost[s]! += costs[i]!;
    count[s]!++;
  });
  return { cost, count };
}

describe("shard partition", () => {
  it("parses i/N and refuses anything else, saying what it expects", () => {
    expect(parseShard("2/5")).toEqual({ index: 2, total: 5 });
    expect(parseShard(" 1 / 1 ")).toEqual({ index: 1, total: 1 });
    expect(() => parseShard("0/3")).toThrow("the shard must be 1 to 3 (got 0)");
    expect(() => parseShard("4/3")).toThrow("the shard must be 1 to 3 (got 4)");
    expect(() => parseShard("1/0")).toThrow("the number of shards must be 1 to 256");
    expect(() => parseShard("1/300")).toThrow("the number of shards must be 1 to 256");
    expect(() => parseShard("2 of 3")).toThrow('expected i/N such as 2/5 (got "2 of 3")');
  });

  it("is deterministic and does not depend on the order the runs are listed in", () => {
    fc.assert(
      fc.property(skewedCosts, fc.integer({ min: 1, max: 20 }), fc.integer(), (costs, shards, seed) => {
        const keys = costs.map((_, i) => key(i));
        const a = partitionRuns(listed(keys), costs, shards);
        // The same runs, listed in another order.
        const perm = keys.map((_, i) => i).sort((x, y) => ((x * 7919 + seed) % 1009) - ((y * 7919 + seed) % 1009) || x - y);
        const b = partitionRuns(listed(perm.map((i) => keys[i]!)), perm.map((i) => costs[i]!), shards);
        perm.forEach((i, j) => expect(b.shardOf[j]).toBe(a.shardOf[i]));
        expect(b.digest).toBe(a.digest);
      }),
      { numRuns: 60 },
    );
  });

  it("orders runs by their whole key, also where the first digits tie, as a plain string sort does", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("0000000000a", "0000000000b", "fffffffffff"), fc.stringMatching(/^[0-9a-f]{8}$/), fc.integer({ min: 0, max: 1e8 })), { minLength: 1, maxLength: 200 }), fc.integer({ min: 2, max: 9 }), (rows, shards) => {
        const unique = [...new Map(rows.map(([p, k, c]) => [p + k, c])).entries()];
        const keys = unique.map(([k]) => k);
        const costs = unique.map(([, c]) => c);
        // Not hex: the same keys go through a plain string sort, in the same order.
        const viaStrings = partitionRuns(listed(keys.map((k) => `z${k}`)), costs, shards).shardOf;
        expect([...partitionRuns(listed(keys), costs, shards).shardOf]).toEqual([...viaStrings]);
      }),
    );
  });

  it("puts every run in exactly one shard, each shard's estimate within one run's cost of the ideal", () => {
    fc.assert(
      fc.property(skewedCosts, fc.integer({ min: 1, max: 20 }), (costs, shards) => {
        const keys = costs.map((_, i) => key(i));
        const { shardOf } = partitionRuns(listed(keys), costs, shards);
        // One shard per run, each in range: the shards' runs are disjoint and together every run.
        expect(shardOf).toHaveLength(costs.length);
        expect([...shardOf].every((s) => s >= 0 && s < shards)).toBe(true);
        const { cost, count } = loads(costs, shardOf, shards);
        const total = costs.reduce((a, b) => a + b, 0);
        const maxCost = Math.max(...costs);
        for (const c of cost) expect(Math.abs(c - total / shards)).toBeLessThanOrEqual(maxCost);
        // Free runs are cut by count: within one run of their even share.
        const free = costs.filter((c) => c === 0).length;
        const freePer = new Array<number>(shards).fill(0);
        shardOf.forEach((s, i) => costs[i] === 0 && freePer[s]!++);
        for (const n of freePer) expect(Math.abs(n - free / shards)).toBeLessThan(1);
        expect(count.reduce((a, b) => a + b, 0)).toBe(costs.length);
      }),
      { numRuns: 200 },
    );
  });

  it("does not put a few expensive runs in one shard with everything else", () => {
    // 6 videos at $3.20 and 3,000 images at $0.025 ($75 and $19.20) into 3 shards.
    const costs = [...Array.from({ length: 6 }, () => 3_200_000_000), ...Array.from({ length: 3000 }, () => 25_000_000)];
    const { shardOf } = partitionRuns(listed(costs.map((_, i) => key(i))), costs, 3);
    const { cost, count } = loads(costs, shardOf, 3);
    const ideal = costs.reduce((a, b) => a + b, 0) / 3;
    for (const c of cost) expect(Math.abs(c - ideal)).toBeLessThanOrEqual(3_200_000_000);
    const videos = [0, 1, 2].map((s) => costs.filter((c, i) => c === 3_200_000_000 && shardOf[i] === s).length);
    expect(Math.max(...videos)).toBeLessThan(6);
    expect(Math.min(...count)).toBeGreaterThan(0);
  });

  it("moves few runs when one is added: only runs within the new run's cost of a cut", () => {
    fc.assert(
      fc.property(skewedCosts, fc.integer({ min: 3_000_000, max: 5_000_000_000 }), fc.integer({ min: 2, max: 20 }), (costs, added, shards) => {
        const keys = costs.map((_, i) => key(i));
        const before = partitionRuns(listed(keys), costs, shards).shardOf;
        const after = partitionRuns(listed([...keys, key(-1)]), [...costs, added], shards).shardOf;
        let moved = 0;
        for (let i = 0; i < costs.length; i++) if (before[i] !== after[i]) moved++;
        // Each of the shards − 1 cuts shifts by at most `added` relative to the runs; midpoints of paid runs lie at
        // least the cheapest paid run apart, so at most added / cheapest + 1 of them per cut. Free runs do not move.
        const paid = costs.filter((c) => c > 0);
        const cheapest = paid.length ? Math.min(...paid) : Infinity;
        expect(moved).toBeLessThanOrEqual((shards - 1) * (Math.floor(added / cheapest) + 1));
      }),
      { numRuns: 200 },
    );
  });

  it("moves about one run per cut when runs cost alike", () => {
    const costs = Array.from({ length: 10_000 }, () => 25_000_000);
    const keys = costs.map((_, i) => key(i));
    const before = partitionRuns(listed(keys), costs, 20).shardOf;
    const after = partitionRuns(listed([...keys, key(-1)]), [...costs, 25_000_000], 20).shardOf;
    const moved = costs.filter((_, i) => before[i] !== after[i]).length;
    expect(moved).toBeLessThanOrEqual(2 * 19);
    expect(moved).toBeLessThan(costs.length / 100);
  });

  it("splits the budget in proportion to the estimate, never above it in total", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 50 }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 2 ** 52 }), (estimates, limit) => {
        const total = estimates.reduce((a, b) => a + b, 0);
        const caps = estimates.map((e) => shardCapNano(limit, e, total, estimates.length));
        expect(caps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(limit);
        // Each cap is the exact proportional share, rounded down by less than one nano-USD.
        caps.forEach((cap, i) => {
          if (total === 0) expect(cap).toBe(Math.floor(limit / estimates.length));
          else expect(BigInt(cap) * BigInt(total) <= BigInt(limit) * BigInt(estimates[i]!) && (BigInt(cap) + 1n) * BigInt(total) > BigInt(limit) * BigInt(estimates[i]!)).toBe(true);
        });
      }),
    );
  });
});
