import type { BudgetSpec } from "../manifest/schema.js";
import { displayUsd, toNano, type Nano } from "../util/money.js";
import type { Estimate } from "../estimate/estimate.js";
import { setting } from "../util/shell.js";

/**
 * The budget gate. The manifest is pull-request content, so it may only
 * tighten the budget the workflow sets: the effective limit is the smaller of
 * the two when both are set.
 */

export interface EffectiveBudget {
  limitNano?: Nano;
  source: "input" | "manifest" | "both" | "none";
  inputNano?: Nano;
  manifestNano?: Nano;
  perJobLimitNano?: Nano;
  warnAt?: number;
  unknownPrice: "fail" | "warn";
}

export function effectiveBudget(inputUsd: number | undefined, manifest: BudgetSpec | undefined): EffectiveBudget {
  const spec = typeof manifest === "number" ? { limit: manifest } : manifest;
  const inputNano = inputUsd === undefined ? undefined : toNano(inputUsd);
  const manifestNano = spec === undefined ? undefined : toNano(spec.limit);
  let limitNano: Nano | undefined;
  let source: EffectiveBudget["source"] = "none";
  if (inputNano !== undefined && manifestNano !== undefined) {
    limitNano = Math.min(inputNano, manifestNano);
    source = "both";
  } else if (inputNano !== undefined) {
    limitNano = inputNano;
    source = "input";
  } else if (manifestNano !== undefined) {
    limitNano = manifestNano;
    source = "manifest";
  }
  return {
    limitNano,
    source,
    inputNano,
    manifestNano,
    perJobLimitNano: spec?.per_job_limit === undefined ? undefined : toNano(spec.per_job_limit),
    warnAt: spec?.warn_at,
    unknownPrice: spec?.unknown_price ?? "fail",
  };
}

type Verdict = "within-budget" | "over-budget" | "unknown-cost" | "no-budget";

export interface GateResult {
  verdict: Verdict;
  pass: boolean;
  /** Why the gate failed; empty when it passed. */
  reasons: string[];
  warnings: string[];
  /** Jobs over the per-job limit. */
  overJobs: string[];
}

export function applyGate(estimate: Estimate, budget: EffectiveBudget): GateResult {
  const reasons: string[] = [];
  const warnings: string[] = [];
  const overJobs: string[] = [];
  let over = false;

  if (budget.limitNano !== undefined && estimate.totalNano > budget.limitNano) {
    over = true;
    reasons.push(
      `estimated ${displayUsd(estimate.totalNano)} exceeds the budget of ${displayUsd(budget.limitNano)} by ${displayUsd(estimate.totalNano - budget.limitNano)}`,
    );
  }
  if (budget.perJobLimitNano !== undefined) {
    for (const job of estimate.jobs) {
      if (job.totalNano > budget.perJobLimitNano) {
        over = true;
        overJobs.push(job.id);
        reasons.push(`job ${job.id} is estimated at ${displayUsd(job.totalNano)}, over the per-job limit of ${displayUsd(budget.perJobLimitNano)}`);
      }
    }
  }

  const unknown = estimate.unknownRuns > 0;
  if (unknown) {
    const lines = unknownCostLines(estimate);
    if (budget.unknownPrice === "fail") {
      reasons.push(...lines);
    } else {
      warnings.push(...lines.map((l) => `${l} (counted as unknown, not as $0, because budget.unknown_price is warn)`));
    }
  }

  if (!over && budget.limitNano !== undefined && budget.warnAt !== undefined && estimate.totalNano >= budget.warnAt * budget.limitNano) {
    warnings.push(
      `estimated ${displayUsd(estimate.totalNano)} is ${Math.round((estimate.totalNano / Math.max(budget.limitNano, 1)) * 100)}% of the ${displayUsd(budget.limitNano)} budget (warn_at ${budget.warnAt})`,
    );
  }
  // Where the manifest's own figures (units, prices) were overruled because they would have lowered the estimate.
  warnings.push(...estimate.jobs.flatMap((j) => j.notes));
  if (budget.limitNano === undefined) {
    warnings.push(`no budget is set (${setting("budget")} or the manifest's \`budget\`): the estimate is not gated`);
  }

  const verdict: Verdict = over ? "over-budget" : unknown && budget.unknownPrice === "fail" ? "unknown-cost" : budget.limitNano === undefined ? "no-budget" : "within-budget";
  return { verdict, pass: reasons.length === 0, reasons, warnings, overJobs };
}

function unknownCostLines(estimate: Estimate): string[] {
  const out: string[] = [];
  for (const job of estimate.jobs) {
    const groups = new Map<string, { reason: string; fix: string; runs: number }>();
    for (const v of job.variants) {
      if (!v.problem) continue;
      const key = `${v.problem.reason}|${v.problem.fix}`;
      const g = groups.get(key);
      if (g) g.runs += v.runs;
      else groups.set(key, { ...v.problem, runs: v.runs });
    }
    for (const g of groups.values()) {
      const reason = g.reason.startsWith(`${job.id}: `) ? g.reason.slice(job.id.length + 2) : g.reason;
      out.push(`cost of ${g.runs} run${g.runs === 1 ? "" : "s"} of job ${job.id} (${job.model}) is unknown: ${reason} — fix: ${g.fix}`);
    }
  }
  return out;
}
