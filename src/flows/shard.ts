import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { restrictEstimate, type Estimate } from "../estimate/estimate.js";
import { shardCapNano } from "../gate/shard-budget.js";
import { restrictPlan, type Plan, type PlannedJob } from "../plan/expand.js";
import { runOffsets } from "../lock/key.js";
import { partitionRuns, type ShardSpec } from "../plan/partition.js";
import type { ShardReport } from "../report/schema.js";
import type { Nano } from "../util/money.js";
import type { EstimateOutcome } from "./estimate-flow.js";

/**
 * One shard's part of a real run (`shard: i/N`): the runs to submit that the
 * partition (plan/partition.ts) gives it, their estimate, and its caps: its
 * share of the budget (and of each job's `per_job_limit`) in proportion to
 * its share of the estimate (gate/shard-budget.ts). Every shard computes every
 * shard's part from the same manifest, lock and prices, without talking to
 * the others; the report records them all, and a digest of the partition, so
 * the merge can tell that the shards agreed.
 */

export interface ShardWork {
  /** This shard's runs: the full plan restricted (jobs and variants keep their positions). */
  plan: Plan;
  estimate: Estimate;
  limitNano: Nano;
  /** Per job id, when the manifest sets `per_job_limit`. */
  jobLimitNano?: (job: string) => Nano;
  block: ShardReport;
}

export async function shardWork(checked: EstimateOutcome, spec: ShardSpec, manifestPath: string): Promise<ShardWork> {
  const { block, mine, byJob } = await shardPart(checked, spec, manifestPath);
  const plan = restrictPlan(checked.plan, mine);
  const perJob = checked.budget.perJobLimitNano;
  const jobIndex = new Map(checked.plan.jobs.map((j) => [j.id, j.index]));
  const jobLimitNano =
    perJob === undefined
      ? undefined
      : (id: string) => {
          const j = jobIndex.get(id)!;
          return shardCapNano(perJob, byJob[j]![spec.index - 1]!, checked.estimate.jobs[j]!.totalNano, spec.total);
        };
  return { plan, estimate: restrictEstimate(checked.full, plan), limitNano: block.budget_nano ?? 0, jobLimitNano, block };
}

/**
 * A shard's part as every shard computes it — the partition of the runs to
 * submit, each shard's share, this shard's runs — without making its plan
 * (all that `estimate --shard` shows).
 */
export async function shardPart(
  checked: EstimateOutcome,
  spec: ShardSpec,
  manifestPath: string,
): Promise<{ block: ShardReport; mine: (job: PlannedJob, variant: number, repeat: number) => boolean; byJob: number[][] }> {
  // The runs to submit, in plan order (as iterateRuns, without making each run's id or object).
  const n = checked.toRun.totalRuns;
  const jobOf = new Int32Array(n);
  const variantOf = new Int32Array(n);
  const repeatOf = new Int32Array(n);
  const costs = new Float64Array(n);
  let i = 0;
  for (const job of checked.toRun.jobs) {
    job.variants.forEach((variant, v) => {
      const cost = checked.estimate.jobs[job.index]!.variants[v]!.costPerRunNano ?? 0;
      const add = (repeat: number) => {
        jobOf[i] = job.index;
        variantOf[i] = v;
        repeatOf[i] = repeat;
        costs[i++] = cost;
      };
      if (variant.repeats) variant.repeats.forEach(add);
      else for (let r = 1; r <= variant.runs; r++) add(r);
    });
  }
  const jobs = checked.plan.jobs;
  const keys = checked.lock.diff.keys;
  // The estimate's thread may have made it already (from the same keys and estimates).
  const made = checked.partition;
  const { shardOf, digest } = made && made.shards === spec.total && made.shardOf.length === n ? made : partitionRuns((k) => keys.at(jobs[jobOf[k]!]!, variantOf[k]!, repeatOf[k]!), costs, spec.total);
  // This shard's runs, marked at their place in the full plan (job, variant, repeat).
  const { offsets, total } = runOffsets(jobs.map((job) => job.variants.map((v) => v.runs)));
  const marked = new Uint8Array(total);
  const shares = Array.from({ length: spec.total }, (_, i) => ({ index: i + 1, runs: 0, estimated_nano: 0, budget_nano: null as Nano | null }));
  // Estimates per shard and job, for the per-job caps.
  const byJob = jobs.map(() => new Array<number>(spec.total).fill(0));
  shardOf.forEach((s, k) => {
    shares[s]!.runs++;
    shares[s]!.estimated_nano += costs[k]!;
    byJob[jobOf[k]!]![s]! += costs[k]!;
    if (s === spec.index - 1) marked[offsets[jobOf[k]!]![variantOf[k]!]! + repeatOf[k]! - 1] = 1;
  });
  const limit = checked.budget.limitNano;
  if (limit !== undefined) for (const share of shares) share.budget_nano = shardCapNano(limit, share.estimated_nano, checked.estimate.totalNano, spec.total);
  const me = shares[spec.index - 1]!;
  const manifestSha256 = createHash("sha256").update(await readFile(manifestPath)).digest("hex");
  return {
    block: { index: spec.index, total: spec.total, manifest_sha256: manifestSha256, partition: digest, runs: me.runs, estimated_nano: me.estimated_nano, budget_nano: me.budget_nano, shares, lock_file: null },
    mine: (job, v, r) => marked[offsets[job.index]![v]! + r - 1] === 1,
    byJob,
  };
}
