import type { EffectiveBudget, GateResult, Verdict } from "../estimate/budget.js";
import type { Confidence, Estimate, JobEstimate, ManifestFigure } from "../estimate/estimate.js";
import type { Plan } from "../plan/expand.js";
import { describeSource, type PriceBook, type PriceSource } from "../pricing/prices.js";
import type { UnitKind } from "../pricing/units.js";
import { formatUsd, type Nano } from "../util/money.js";
import type { BilledCost, BilledSource } from "../billing/reconcile.js";
import type { OutputFile, RunError, RunRecord, RunStatus, SubmitOutcome } from "../run/types.js";
import { TOOL_NAME, TOOL_VERSION } from "../version.js";

/**
 * The report: one JSON document that the job summary, the PR comment, the
 * action outputs and the CLI's --json all render from. Money is given twice:
 * as a decimal string for people and as integer nano-USD for exact sums.
 */

export const REPORT_SCHEMA = "fal-jobs-report/v1";

export type Usd = string;

export interface Report {
  schema: typeof REPORT_SCHEMA;
  tool: { name: string; version: string };
  generated_at: string;
  mode: "estimate" | "run";
  manifest: { path: string; jobs: number; runs: number };
  currency: "USD";
  budget: {
    effective: Usd | null;
    effective_nano: Nano | null;
    source: EffectiveBudget["source"];
    input: Usd | null;
    manifest: Usd | null;
    per_job_limit: Usd | null;
    warn_at: number | null;
    unknown_price: "fail" | "warn";
  };
  prices: {
    catalog_as_of: string;
    live: "ok" | "failed" | "skipped";
    live_detail: string | null;
    by_source: Record<PriceSource | "none", number>;
  };
  verdict: Verdict;
  pass: boolean;
  reasons: string[];
  warnings: string[];
  totals: {
    runs: number;
    estimated: Usd;
    estimated_nano: Nano;
    unknown_runs: number;
  };
  jobs: JobReport[];
  /** Present after a real run. */
  execution?: ExecutionReport;
  runs?: RunReport[];
  context?: ReportContext;
}

export interface ExecutionReport {
  started_at: string;
  finished_at: string;
  duration_ms: number;
  cancelled: boolean;
  cancel_reason: string | null;
  counts: Record<RunStatus, number>;
  billing: { source: "billing-events" | "header-and-outputs"; status: string; detail: string | null };
  billed: Usd | null;
  billed_nano: Nano;
  billed_runs: number;
  pending_runs: number;
  unknown_runs: number;
  /** Billed minus estimated, over the runs fal accepted whose billed cost is known. */
  delta_nano: Nano;
  error_pct: number | null;
  over_estimate_runs: number;
  artifact: { name: string; id: number; url: string } | null;
  artifact_error: string | null;
  output_dir: string;
}

export interface RunReport {
  id: string;
  job: string;
  model: string;
  variant: string;
  repeat: number;
  status: RunStatus;
  submitted: boolean;
  submit_outcome: SubmitOutcome;
  request_id: string | null;
  error: RunError | null;
  timings: RunRecord["timings"];
  estimated: Usd;
  estimated_nano: Nano;
  billed: BilledCost & { cost: Usd | null };
  over_estimate: boolean;
  dir: string | null;
  outputs: OutputFile[];
}

export interface JobRunSummary {
  counts: Record<RunStatus, number>;
  billed_nano: Nano;
  billed_runs: number;
  pending_runs: number;
  unknown_runs: number;
  delta_nano: Nano;
  error_pct: number | null;
  over_estimate_runs: number;
  billed_sources: BilledSource[];
  errors: string[];
}

export interface ReportContext {
  repository?: string;
  event?: string;
  pr_number?: number;
  sha?: string;
  run_id?: string;
  run_attempt?: string;
  server_url?: string;
}

export interface JobReport {
  id: string;
  model: string;
  runs: number;
  unit: string | null;
  unit_kind: UnitKind | null;
  /** Base unit price; variants may differ by tier. */
  unit_price: number | null;
  units_total: number | null;
  estimated: Usd;
  estimated_nano: Nano;
  unknown_runs: number;
  source: PriceSource | "none";
  source_detail: string;
  /** Figures of this job's estimate that the manifest supplied (pull-request content), not fal or the input. */
  from_manifest: ManifestFigure[];
  confidence: Confidence;
  variants: VariantReport[];
  /** Present after a real run. */
  run?: JobRunSummary;
}

/** Matrix variants that cost the same per run, as one entry: a 100,000-run matrix must not make a 30 MB report. */
export interface VariantReport {
  /** The first variant's label; `variants` says how many share this cost. */
  label: string;
  variants: number;
  runs: number;
  units_per_run: number | null;
  unit_price: number | null;
  cost_per_run: Usd | null;
  cost_per_run_nano: Nano | null;
  basis: string;
  confidence: Confidence;
  problem: { reason: string; fix: string } | null;
  price_source: PriceSource | null;
  from_manifest: ManifestFigure[];
}

export interface EstimateReportInput {
  manifestPath: string;
  plan: Plan;
  prices: PriceBook;
  estimate: Estimate;
  budget: EffectiveBudget;
  gate: GateResult;
  context?: ReportContext;
  now?: Date;
}

const usdOrNull = (n: Nano | undefined): Usd | null => (n === undefined ? null : formatUsd(n));

export function buildEstimateReport(r: EstimateReportInput): Report {
  const bySource: Record<PriceSource | "none", number> = { override: 0, live: 0, catalog: 0, none: 0 };
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
    },
    jobs: r.estimate.jobs.map((j) => jobReport(j, r.prices)),
    context: r.context,
  };
}

const MANIFEST_FIGURE: Record<ManifestFigure, string> = { unit_price: "unit price", units: "units", max_cost: "max_cost" };

function jobReport(j: JobEstimate, prices: PriceBook): JobReport {
  const fromManifest = [...new Set(j.variants.flatMap((v) => v.fromManifest))].sort();
  const source = j.quote ? describeSource(j.quote, prices.catalogAsOf) : "no price";
  const manifestOnly = fromManifest.filter((f) => !(f === "unit_price" && j.quote?.source === "override"));
  return {
    id: j.id,
    model: j.model,
    runs: j.runs,
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
