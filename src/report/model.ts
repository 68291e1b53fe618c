import type { EffectiveBudget, GateResult } from "../gate/estimate-gate.js";
import type { Estimate, JobEstimate, ManifestFigure } from "../estimate/estimate.js";
import type { Plan } from "../plan/expand.js";
import type { LockDiff } from "../lock/diff.js";
import { describeSource, type PriceBook } from "../pricing/prices.js";
import { formatUsd, type Nano } from "../util/money.js";
import { TOOL_NAME, TOOL_VERSION } from "../version.js";
import type { BaseReport, EstimateReport, JobReport, ReportContext, VariantReport } from "./schema.js";

/**
 * The report: one JSON document that the job summary, the PR comment, the
 * action outputs and the CLI's --json all render from. Money is given twice:
 * as a decimal string for people and as integer nano-USD for exact sums.
 * Its types are the schema's (schema.ts); this module builds the estimate
 * report from the estimate, and run-report.ts adds the run.
 */

// Where the rest of the code takes the report's types from: type-only, so importing them loads no zod.
export type { AnyReport, BaseReport, ErrorReport, EstimateReport, ExecutionReport, JobReport, JobRunSummary, Report, ReportContext, RunEntry, RunModeReport } from "./schema.js";

export const REPORT_SCHEMA = "fal-jobs-report/v1";

export interface EstimateReportInput {
  manifestPath: string;
  plan: Plan;
  prices: PriceBook;
  /** The runs to submit, priced. */
  estimate: Estimate;
  /** The whole manifest, as if nothing were locked. */
  full: Estimate;
  lock: { path: string | null; status: "off" | "missing" | "read"; entries: number; diff: LockDiff };
  budgetScope: "new" | "full";
  budget: EffectiveBudget;
  gate: GateResult;
  /** On a pull request: the estimate at its base. */
  base?: BaseReport;
  context?: ReportContext;
  now?: Date;
}

const usdOrNull = (n: Nano | undefined): string | null => (n === undefined ? null : formatUsd(n));

export function buildEstimateReport(r: EstimateReportInput): EstimateReport {
  const bySource: EstimateReport["prices"]["by_source"] = { override: 0, live: 0, catalog: 0, none: 0 };
  for (const j of r.estimate.jobs) bySource[j.quote?.source ?? "none"]++;
  return {
    schema: REPORT_SCHEMA,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    generated_at: (r.now ?? new Date()).toISOString(),
    mode: "estimate",
    manifest: { path: r.manifestPath, jobs: r.plan.jobs.length, runs: r.plan.totalRuns },
    currency: "USD",
    budget: {
      effective: usdOrNull(r.budget.limitNano),
      effective_nano: r.budget.limitNano ?? null,
      source: r.budget.source,
      input: usdOrNull(r.budget.inputNano),
      manifest: usdOrNull(r.budget.manifestNano),
      per_job_limit: usdOrNull(r.budget.perJobLimitNano),
      warn_at: r.budget.warnAt ?? null,
      unknown_price: r.budget.unknownPrice,
      scope: r.budgetScope,
    },
    prices: {
      catalog_as_of: r.prices.catalogAsOf,
      live: r.prices.live.status,
      live_detail: r.prices.live.status === "failed" ? r.prices.live.error : r.prices.live.status === "skipped" ? r.prices.live.reason : null,
      by_source: bySource,
    },
    verdict: r.gate.verdict,
    pass: r.gate.pass,
    reasons: r.gate.reasons,
    warnings: r.gate.warnings,
    totals: {
      runs: r.estimate.totalRuns,
      estimated: formatUsd(r.estimate.totalNano),
      estimated_nano: r.estimate.totalNano,
      unknown_runs: r.estimate.unknownRuns,
      locked_runs: r.lock.diff.lockedRuns,
      removed_runs: r.lock.diff.removed.length,
      full: fullFigures(r.full),
    },
    lock: {
      path: r.lock.path,
      status: r.lock.status,
      entries: r.lock.entries,
      removed: removedByJob(r.lock.diff),
      changed: null,
      written: null,
      saved: null,
    },
    ...(r.base && { base: r.base }),
    jobs: r.estimate.jobs.map((j, i) => jobReport(j, r.full.jobs[i]!, r.lock.diff, i, r.prices)),
    context: r.context,
  };
}

function fullFigures(e: { totalRuns?: number; runs?: number; totalNano: Nano; unknownRuns: number }) {
  return { runs: e.totalRuns ?? e.runs ?? 0, estimated: formatUsd(e.totalNano), estimated_nano: e.totalNano, unknown_runs: e.unknownRuns };
}

function removedByJob(diff: LockDiff): EstimateReport["lock"]["removed"] {
  const byJob = new Map<string, { job: string; runs: number; billed_nano: number }>();
  for (const { entry } of diff.removed) {
    const g = byJob.get(entry.job) ?? { job: entry.job, runs: 0, billed_nano: 0 };
    g.runs++;
    g.billed_nano += entry.billed_nano ?? 0;
    byJob.set(entry.job, g);
  }
  return [...byJob.values()].sort((a, b) => (a.job < b.job ? -1 : a.job > b.job ? 1 : 0));
}

const MANIFEST_FIGURE: Record<ManifestFigure, string> = { unit_price: "unit price", units: "units", max_cost: "max_cost" };

function jobReport(j: JobEstimate, full: JobEstimate, diff: LockDiff, index: number, prices: PriceBook): JobReport {
  const fromManifest = [...new Set(j.variants.flatMap((v) => v.fromManifest))].sort();
  const source = j.quote ? describeSource(j.quote, prices.catalogAsOf) : "no price";
  const manifestOnly = fromManifest.filter((f) => !(f === "unit_price" && j.quote?.source === "override"));
  return {
    id: j.id,
    model: j.model,
    runs: j.runs,
    locked_runs: diff.jobs[index]!.lockedRuns,
    locked_billed_nano: diff.jobs[index]!.lockedBilledNano,
    full: fullFigures(full),
    unit: j.quote?.unit ?? null,
    unit_kind: j.quote?.kind ?? null,
    unit_price: j.quote?.unitPrice ?? null,
    units_total: j.unitsTotal ?? null,
    estimated: formatUsd(j.totalNano),
    estimated_nano: j.totalNano,
    unknown_runs: j.unknownRuns,
    source: j.quote?.source ?? "none",
    source_detail: manifestOnly.length ? `${source}; ${manifestOnly.map((f) => MANIFEST_FIGURE[f]).join(", ")} from the manifest` : source,
    from_manifest: fromManifest,
    confidence: j.confidence,
    variants: groupVariants(j),
  };
}

function groupVariants(j: JobEstimate): VariantReport[] {
  const groups = new Map<string, VariantReport>();
  for (const v of j.variants) {
    if (v.runs === 0) continue;
    // The key holds every field of the entry, so variants in one group report identically.
    const key = `${v.costPerRunNano ?? null}|${v.unitsPerRun ?? null}|${v.unitPrice ?? null}|${v.confidence}|${v.problem?.reason ?? ""}|${v.problem?.fix ?? ""}|${v.basis}|${v.priceSource ?? ""}|${v.fromManifest.join(",")}`;
    const g = groups.get(key);
    if (g) {
      g.variants++;
      g.runs += v.runs;
      continue;
    }
    groups.set(key, {
      label: v.label,
      variants: 1,
      runs: v.runs,
      units_per_run: v.unitsPerRun ?? null,
      unit_price: v.unitPrice ?? null,
      cost_per_run: usdOrNull(v.costPerRunNano),
      cost_per_run_nano: v.costPerRunNano ?? null,
      basis: v.basis,
      confidence: v.confidence,
      problem: v.problem ?? null,
      price_source: v.priceSource ?? null,
      from_manifest: v.fromManifest,
    });
  }
  return [...groups.values()];
}
