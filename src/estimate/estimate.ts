import type { Plan, PlannedJob, Variant } from "../plan/expand.js";
import { matchesCondition, measureUnits } from "../pricing/measure.js";
import type { PriceBook, PriceQuote } from "../pricing/prices.js";
import { normalizeUnit } from "../pricing/units.js";
import { costNano, toNano, type Nano } from "../util/money.js";

/**
 * Cost of every run before anything runs. A run whose units or price cannot
 * be known is `unknown` with the reason and the fix, never $0.
 */

export type Confidence =
  /** Units follow from the input and a price is known. */
  | "exact"
  /** Units given by the manifest (`units:`). */
  | "manual"
  /** Only an upper bound is known (`max_cost:`). */
  | "upper-bound"
  | "unknown";

export interface VariantEstimate {
  label: string;
  runs: number;
  /** The input the model receives: the manifest's, over the model's known defaults. */
  effectiveInput: Record<string, unknown>;
  unitsPerRun?: number;
  unitPrice?: number;
  surchargeNano: Nano;
  costPerRunNano?: Nano;
  basis: string;
  confidence: Confidence;
  problem?: { reason: string; fix: string };
}

export interface JobEstimate {
  id: string;
  model: string;
  runs: number;
  quote?: PriceQuote;
  variants: VariantEstimate[];
  /** Sum over the runs whose cost is known. */
  totalNano: Nano;
  unknownRuns: number;
  unitsTotal?: number;
  confidence: Confidence;
}

export interface Estimate {
  jobs: JobEstimate[];
  totalNano: Nano;
  unknownRuns: number;
  totalRuns: number;
}

export function estimatePlan(plan: Plan, prices: PriceBook): Estimate {
  const jobs = plan.jobs.map((job) => estimateJob(job, prices));
  return {
    jobs,
    totalNano: jobs.reduce((s, j) => s + j.totalNano, 0),
    unknownRuns: jobs.reduce((s, j) => s + j.unknownRuns, 0),
    totalRuns: plan.totalRuns,
  };
}

const RANK: Record<Confidence, number> = { exact: 0, manual: 1, "upper-bound": 2, unknown: 3 };

export function estimateJob(job: PlannedJob, prices: PriceBook): JobEstimate {
  const quote = prices.quotes.get(job.model);
  const unpriced = prices.unpriced.get(job.model);
  const variants = job.variants.map((v) => estimateVariant(job, v, quote, unpriced?.source.note));
  let totalNano = 0;
  let unknownRuns = 0;
  let unitsTotal: number | undefined = 0;
  let confidence: Confidence = "exact";
  for (const v of variants) {
    if (v.costPerRunNano === undefined) unknownRuns += v.runs;
    else totalNano += v.costPerRunNano * v.runs;
    if (v.unitsPerRun === undefined) unitsTotal = undefined;
    else if (unitsTotal !== undefined) unitsTotal += v.unitsPerRun * v.runs;
    if (RANK[v.confidence] > RANK[confidence]) confidence = v.confidence;
  }
  return { id: job.id, model: job.model, runs: job.runCount, quote, variants, totalNano, unknownRuns, unitsTotal, confidence };
}

function estimateVariant(job: PlannedJob, variant: Variant, quote: PriceQuote | undefined, noFixedPrice?: string): VariantEstimate {
  const effectiveInput = { ...(quote?.entry?.defaults ?? {}), ...variant.input };
  const base = { label: variant.label, runs: variant.runs, effectiveInput, surchargeNano: 0 };
  const maxCost = job.job.max_cost;

  if (!quote) {
    if (maxCost !== undefined) return upperBound(base, maxCost, "no price known; `max_cost` per run");
    return {
      ...base,
      basis: "no price",
      confidence: "unknown",
      problem: {
        reason: noFixedPrice
          ? `${job.model} has no fixed price (${noFixedPrice.replace(/\.$/, "")})`
          : `no price for ${job.model}: it is not in the bundled catalog and no live price was available`,
        fix: `add \`pricing: {${job.model}: {unit: …, unit_price: …}}\` to the manifest, set \`max_cost:\` on the job, or run with a fal key so the live pricing API is used`,
      },
    };
  }
  if (quote.currency !== "USD") {
    return { ...base, basis: "not USD", confidence: "unknown", problem: { reason: `fal quotes ${job.model} in ${quote.currency}`, fix: "add a USD `pricing` override" } };
  }

  const unitPrice = priceFor(quote, effectiveInput);
  const surchargeNano = surchargesFor(quote, effectiveInput);

  if (job.job.units !== undefined) {
    const units = job.job.units;
    return { ...base, unitsPerRun: units, unitPrice, surchargeNano, costPerRunNano: costNano(units, unitPrice) + surchargeNano, basis: `${units} units (manifest)`, confidence: "manual" };
  }
  const m = measureUnits(quote.kind, effectiveInput, quote.entry?.params);
  if (!m.ok) {
    if (maxCost !== undefined) return upperBound({ ...base, unitPrice }, maxCost, `${m.reason}; \`max_cost\` per run`);
    return { ...base, unitPrice, basis: m.reason, confidence: "unknown", problem: { reason: `${job.id}: ${m.reason}`, fix: m.fix } };
  }
  const cost = costNano(m.units, unitPrice) + surchargeNano;
  // A max_cost below a measurable cost would under-budget: the measurement wins.
  return { ...base, unitsPerRun: m.units, unitPrice, surchargeNano, costPerRunNano: cost, basis: m.basis, confidence: "exact" };
}

function upperBound(base: Omit<VariantEstimate, "basis" | "confidence">, maxCost: number, basis: string): VariantEstimate {
  return { ...base, costPerRunNano: toNano(maxCost), basis, confidence: "upper-bound" };
}

/**
 * The unit price for this input. Tiers come from the catalog; when the price
 * itself is live (it may be account-specific), a tier keeps its ratio to the
 * catalog's base price. A user's override is taken as is.
 */
export function priceFor(quote: PriceQuote, input: Record<string, unknown>): number {
  const entry = quote.entry;
  if (quote.source === "override" || !entry?.tiers) return quote.unitPrice;
  const tier = entry.tiers.find((t) => matchesCondition(input, t.when));
  if (!tier) return quote.unitPrice;
  if (quote.source === "catalog") return tier.unit_price;
  if (entry.unit_price !== null && entry.unit_price > 0 && quote.kind === normalizeUnit(entry.unit)) return quote.unitPrice * (tier.unit_price / entry.unit_price);
  return quote.unitPrice;
}

function surchargesFor(quote: PriceQuote, input: Record<string, unknown>): Nano {
  if (quote.source === "override") return 0;
  let total = 0;
  for (const s of quote.entry?.surcharges ?? []) if (matchesCondition(input, s.when)) total += toNano(s.per_request);
  return total;
}
