import type { EffectiveBudget, GateResult } from "../gate/estimate-gate.js";
import type { Estimate, JobEstimate, ManifestFigure, VariantEstimate } from "../estimate/estimate.js";
import type { Plan } from "../plan/expand.js";
import type { LockDiff } from "../lock/diff.js";
import { describeSource, type PriceBook } from "../pricing/prices.js";
import { displayUsd, formatUsd, type Nano } from "../util/money.js";
import { TOOL_NAME, TOOL_VERSION } from "../version.js";
import type { CreditCheck } from "../gate/credit-check.js";
import type { BillingHistory, HistoryFigure, PastAccuracy } from "../estimate/history.js";
import type { AccountReport, BaseReport, EstimateReport, JobReport, ReportContext, VariantReport } from "./schema.js";

/**
 * The report: one JSON document that the job summary, the PR comment, the
 * action outputs and the CLI's --json all render from. Money is given twice:
 * as a decimal string for people and as integer nano-USD for exact sums.
 * Its types are the schema's (schema.ts); this module builds the estimate
 * report from the estimate, and run-report.ts adds the run.
 */

// Where the rest of the code takes the report's types from: type-only, so importing them loads no zod.
export type { AccountReport, AnyReport, BaseReport, ErrorReport, EstimateReport, ExecutionReport, JobReport, JobRunSummary, Report, ReportContext, RunEntry, RunModeReport } from "./schema.js";

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
  /** What the lock's runs were billed: each job's past estimates against its bills. */
  history?: BillingHistory;
  /** What was checked before the estimate (model ids; inputs against input schemas). */
  checks?: EstimateReport["checks"];
  context?: ReportContext;
  now?: Date;
}

const usdOrNull = (n: Nano | undefined): string | null => (n === undefined ? null : formatUsd(n));

export function buildEstimateReport(r: EstimateReportInput): EstimateReport {
  const bySource: EstimateReport["prices"]["by_source"] = { override: 0, live: 0, catalog: 0, history: 0, none: 0, repository: 0 };
  for (const j of r.estimate.jobs) bySource[sourceOf(j)] = (bySource[sourceOf(j)] ?? 0) + 1;
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
      discount_percent: r.prices.discountPercent ?? null,
      repository_catalog: r.prices.repository ?? null,
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
    ...(r.checks && { checks: r.checks }),
    jobs: r.estimate.jobs.map((j, i) => jobReport(j, r.full.jobs[i]!, r.lock.diff, i, r.prices, r.history)),
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

/** Where the job's figures came from: past bills when every run of it is estimated from them. */
function sourceOf(j: JobEstimate): JobReport["source"] {
  if (j.variants.length > 0 && j.variants.every((v) => v.priceSource === "history")) return "history";
  return j.quote?.source ?? "none";
}

function historyReport(h: HistoryFigure): NonNullable<VariantReport["history"]> {
  return { scope: h.scope, runs: h.runs, p50: formatUsd(h.p50Nano), p50_nano: h.p50Nano, p95: formatUsd(h.p95Nano), p95_nano: h.p95Nano };
}

function pastReport(p: PastAccuracy): NonNullable<JobReport["past"]> {
  return {
    runs: p.runs,
    estimated: formatUsd(p.estimatedNano),
    estimated_nano: p.estimatedNano,
    billed: formatUsd(p.billedNano),
    billed_nano: p.billedNano,
    error_pct: p.errorPct,
    over_estimate_runs: p.overEstimateRuns,
    billed_per_run: historyReport(p.billed),
  };
}

function jobReport(j: JobEstimate, full: JobEstimate, diff: LockDiff, index: number, prices: PriceBook, history: BillingHistory | undefined): JobReport {
  // A loop, not flatMap: 100,000 variants' (mostly empty) lists would be copied into one array first.
  const figures = new Set<ManifestFigure>();
  for (const v of j.variants) for (const f of v.fromManifest) figures.add(f);
  const fromManifest = [...figures].sort();
  const bills = j.variants.find((v) => v.priceSource === "history")?.history;
  const whose = (h: HistoryFigure) => `${h.runs} run(s) of ${h.scope === "job" ? "this job" : "this model"}`;
  const priced = j.quote ? describeSource(j.quote, prices.catalogAsOf) : "no price";
  // Bills shown beside a bound (`max_cost:`) or `units:` they did not exceed: what the runs may be expected to cost.
  const beside = !bills && j.variants.find((v) => v.history)?.history;
  const billsNote = bills ? `past bills in the lock (p95 of ${whose(bills)})` : beside ? `past bills ${displayUsd(beside.p50Nano)}–${displayUsd(beside.p95Nano)} per run (p50–p95 of ${whose(beside)})` : undefined;
  const source = sourceOf(j) === "history" ? billsNote! : billsNote ? `${priced}; ${billsNote}` : priced;
  const past = history?.accuracyOf(j.id, j.model);
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
    source: sourceOf(j),
    discount_percent: j.quote?.discountPercent ?? null,
    source_detail: manifestOnly.length ? `${source}; ${manifestOnly.map((f) => MANIFEST_FIGURE[f]).join(", ")} from the manifest` : source,
    from_manifest: fromManifest,
    confidence: j.confidence,
    variants: groupVariants(j),
    past: past ? pastReport(past) : null,
  };
}

function groupVariants(j: JobEstimate): VariantReport[] {
  // Variants that report identically form one group. Found by basis first (a string every variant has already), then
  // field by field: a key string per variant would cost a 100,000-variant job more than the rest of its report.
  const groups: Array<{ of: VariantEstimate; report: VariantReport }> = [];
  const byBasis = new Map<string, number[]>();
  for (const v of j.variants) {
    if (v.runs === 0) continue;
    const candidates = byBasis.get(v.basis);
    const found = candidates?.find((g) => reportsAlike(groups[g]!.of, v));
    if (found !== undefined) {
      const g = groups[found]!.report;
      g.variants++;
      g.runs += v.runs;
      continue;
    }
    if (candidates) candidates.push(groups.length);
    else byBasis.set(v.basis, [groups.length]);
    groups.push({
      of: v,
      report: {
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
        from_manifest: [...v.fromManifest],
        history: v.history ? historyReport(v.history) : null,
      },
    });
  }
  return groups.map((g) => g.report);
}

/** Whether two variants (of one basis) give the same entry: every field the entry shows. */
function reportsAlike(a: VariantEstimate, b: VariantEstimate): boolean {
  return (
    a.costPerRunNano === b.costPerRunNano &&
    a.unitsPerRun === b.unitsPerRun &&
    a.unitPrice === b.unitPrice &&
    a.confidence === b.confidence &&
    a.problem?.reason === b.problem?.reason &&
    a.problem?.fix === b.problem?.fix &&
    a.priceSource === b.priceSource &&
    a.fromManifest.length === b.fromManifest.length &&
    a.fromManifest.every((f, i) => f === b.fromManifest[i]) &&
    // The same history figure, or none (a job's variants share its one figure).
    a.history === b.history
  );
}

/** The credit check made before a real run, as the report states it. */
export function accountReport(c: CreditCheck): AccountReport {
  const balance = c.balanceNano === null ? null : c.balanceNano < 0 ? `-${formatUsd(-c.balanceNano)}` : formatUsd(c.balanceNano);
  return { credit_check: c.status, balance, balance_nano: c.balanceNano, currency: c.currency, needed: formatUsd(c.neededNano), needed_nano: c.neededNano, detail: c.detail };
}
