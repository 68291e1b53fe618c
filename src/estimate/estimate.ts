import type { Plan, PlannedJob, Variant } from "../plan/expand.js";
import { matchesCondition, measureUnits } from "../pricing/measure.js";
import { discounted } from "../pricing/discount.js";
import type { PriceBook, PriceQuote, PriceSource } from "../pricing/prices.js";
import { isInputMeasurable, normalizeUnit } from "../pricing/units.js";
import { costNano, displayUsd, toNano, type Nano } from "../util/money.js";
import type { BillingHistory, HistoryFigure } from "./history.js";
import { VariantMemo, type InputView } from "./variant-memo.js";
import { inShell } from "../util/shell.js";

/**
 * Cost of every run before anything runs. A run whose units or price cannot
 * be known is `unknown` with the reason and the fix, never $0.
 */

type Confidence =
  /** Units follow from the input and a price is known. */
  | "exact"
  /** Units given by the manifest (`units:`). */
  | "manual"
  /** From what the same job (or model) was billed before, by the lock: the p95 of its past runs' bills. */
  | "history"
  /** Only an upper bound is known (`max_cost:`). */
  | "upper-bound"
  | "unknown";

/** A figure the manifest (pull-request content) supplied, shown as such in the report. */
export type ManifestFigure = "units" | "unit_price" | "max_cost";

export interface VariantEstimate {
  label: string;
  runs: number;
  unitsPerRun?: number;
  unitPrice?: number;
  surchargeNano: Nano;
  costPerRunNano?: Nano;
  basis: string;
  confidence: Confidence;
  problem?: { reason: string; fix: string };
  /** Where the unit price came from (`history`: the cost per run came from past bills); undefined when none was used. */
  priceSource?: PriceSource | "history";
  /** Past bills of the job (or model) where its units cannot be known from the input: what it may be expected to cost. */
  history?: HistoryFigure;
  /** Figures taken from the manifest rather than measured or looked up. */
  fromManifest: readonly ManifestFigure[];
  /**
   * The unit price that billed units of this variant are priced at: fal's own
   * (live or catalog) whenever one is known, so that a manifest override can
   * never make a run look cheaper than fal bills it.
   */
  billingUnitPrice?: number;
  /**
   * The units this input sets, in the billing unit, when they were measured:
   * units counted in a run's outputs may prove more, never fewer.
   */
  billingUnitsPerRun?: number;
}

export interface JobEstimate {
  id: string;
  model: string;
  runs: number;
  /** The price used: fal's own when the manifest's override was raised to it. */
  quote?: PriceQuote;
  /** The quote billed units are counted in (its unit) and priced at. */
  billingQuote?: PriceQuote;
  variants: VariantEstimate[];
  /** Sum over the runs whose cost is known. */
  totalNano: Nano;
  unknownRuns: number;
  unitsTotal?: number;
  confidence: Confidence;
  /** Where the manifest's own figures were overruled, and why. */
  notes: string[];
}

export interface Estimate {
  jobs: JobEstimate[];
  totalNano: Nano;
  unknownRuns: number;
  totalRuns: number;
}

export interface PricePolicy {
  /**
   * The workflow (never the manifest) lets the manifest's `pricing:` go below
   * fal's live or catalog price, e.g. for a negotiated rate.
   */
  allowLowerPrices: boolean;
}

/**
 * `history`: what runs were billed before (the lock's entries), for models whose units the input cannot tell.
 * `memo: false` prices every variant on its own (variant-memo.ts), for the test that holds the memo to it.
 */
export function estimatePlan(plan: Plan, prices: PriceBook, policy: PricePolicy = { allowLowerPrices: false }, history?: BillingHistory, options: { memo?: boolean } = {}): Estimate {
  const jobs = plan.jobs.map((job) => estimateJob(job, prices, policy, history, options.memo ?? true));
  return {
    jobs,
    totalNano: jobs.reduce((s, j) => s + j.totalNano, 0),
    unknownRuns: jobs.reduce((s, j) => s + j.unknownRuns, 0),
    totalRuns: plan.totalRuns,
  };
}

/**
 * The estimate of a restricted plan (the runs a lock does not hold), from the
 * full plan's estimate: the same per-run figures, counted over fewer runs.
 * `plan` must be the full plan restricted (plan/expand.ts restrictPlan).
 */
export function restrictEstimate(full: Estimate, plan: Plan): Estimate {
  const jobs = full.jobs.map((j, i): JobEstimate => {
    const planned = plan.jobs[i]!;
    if (planned.runCount === j.runs) return j;
    // A job with nothing left to run has no variants in the restricted plan (restrictPlan).
    const variants = planned.runCount === 0 ? [] : j.variants.map((v, k) => ({ ...v, runs: planned.variants[k]!.runs }));
    return { ...j, runs: planned.runCount, variants, ...tally(variants) };
  });
  return {
    jobs,
    totalNano: jobs.reduce((s, j) => s + j.totalNano, 0),
    unknownRuns: jobs.reduce((s, j) => s + j.unknownRuns, 0),
    totalRuns: plan.totalRuns,
  };
}

/** Only where the units cannot be told from the input (compute seconds, tokens) or there is no price may past bills price runs. */
function pricedByHistory(quote: PriceQuote | undefined): boolean {
  return !quote || !isInputMeasurable((quote.trusted ?? quote).kind);
}

/** Whether estimatePlan would look at past bills for any job: when not, the plan is estimated before the lock is read. */
export function historyPricesAny(plan: Plan, prices: PriceBook): boolean {
  return plan.jobs.some((job) => pricedByHistory(prices.quotes.get(job.model)));
}

const RANK: Record<Confidence, number> = { exact: 0, manual: 1, history: 2, "upper-bound": 3, unknown: 4 };

function estimateJob(job: PlannedJob, prices: PriceBook, policy: PricePolicy, history: BillingHistory | undefined, memoize: boolean): JobEstimate {
  const quote = prices.quotes.get(job.model);
  const unpriced = prices.unpriced.get(job.model);
  const notes = new Set<string>();
  const memo = new VariantMemo<VariantEstimate>(notes, memoize);
  const priced = job.variants.map((v) => memo.estimate(v, (view, said) => conservativeVariant(job, v, quote, policy, said, unpriced?.source.note, view)));
  // Only where the units cannot be known from the input (compute seconds, tokens, no price at all): bills never overrule a measurement.
  const figure = pricedByHistory(quote) ? history?.figureFor(job.id, job.model) : undefined;
  const variants = figure ? priced.map((v) => calibrated(job, v, figure, notes)) : priced;
  const { totalNano, unknownRuns, unitsTotal, confidence } = tally(variants);
  const trusted = quote?.source === "override" ? quote.trusted : quote;
  const falQuote = quote?.source === "override" && trusted && variants.some((v) => v.priceSource !== "override") ? trusted : quote;
  const usedQuote = falQuote?.catalogInOtherUnit && variants.some((v) => v.priceSource === "catalog") ? falQuote.catalogInOtherUnit : falQuote;
  const billingQuote = quote?.source === "override" && (policy.allowLowerPrices || !trusted) ? quote : trusted;
  return { id: job.id, model: job.model, runs: job.runCount, quote: usedQuote, billingQuote, variants, totalNano, unknownRuns, unitsTotal, confidence, notes: [...notes] };
}

function tally(variants: VariantEstimate[]): Pick<JobEstimate, "totalNano" | "unknownRuns" | "unitsTotal" | "confidence"> {
  let totalNano = 0;
  let unknownRuns = 0;
  let unitsTotal: number | undefined = 0;
  let confidence: Confidence = "exact";
  const priceSources = new Set<VariantEstimate["priceSource"]>();
  for (const v of variants) {
    if (v.costPerRunNano === undefined) unknownRuns += v.runs;
    else totalNano += v.costPerRunNano * v.runs;
    if (v.unitsPerRun === undefined) unitsTotal = undefined;
    else if (unitsTotal !== undefined) unitsTotal += v.unitsPerRun * v.runs;
    priceSources.add(v.priceSource);
    if (v.runs > 0 && RANK[v.confidence] > RANK[confidence]) confidence = v.confidence;
  }
  // Units of variants priced in different units (the manifest's and fal's) do not add up.
  if (priceSources.size > 1) unitsTotal = undefined;
  return { totalNano, unknownRuns, unitsTotal, confidence };
}

/**
 * The manifest may only make an estimate more conservative: with a price
 * override and fal's own price both known, each run is estimated at the
 * higher of the two (the workflow's `allow-lower-prices` lifts that), and
 * billed units are always priced at fal's own price when there is one.
 */
function conservativeVariant(job: PlannedJob, variant: Variant, quote: PriceQuote | undefined, policy: PricePolicy, notes: Set<string>, noFixedPrice: string | undefined, view: InputView): VariantEstimate {
  const own = billedVariant(job, variant, quote, notes, noFixedPrice, view);
  const trusted = quote?.source === "override" ? quote.trusted : undefined;
  if (!trusted || policy.allowLowerPrices) return own;
  const fal = billedVariant(job, variant, trusted, notes, undefined, view);
  const billing = { billingUnitPrice: fal.billingUnitPrice, billingUnitsPerRun: fal.billingUnitsPerRun };
  if (fal.costPerRunNano === undefined) {
    if (own.costPerRunNano === undefined) return { ...own, ...billing };
    // fal has a price, but what this input costs in fal's unit cannot be known, so the manifest's price (in its own
    // unit) cannot be checked against it: it may not stand in for it.
    return {
      ...fal,
      problem: {
        reason: `${job.id}: the manifest's price ($${quote!.unitPrice} per ${quote!.unit}) cannot be checked against fal's own (${describePrice(trusted, fal.unitPrice)}): ${fal.problem?.reason.replace(`${job.id}: `, "") ?? fal.basis}`,
        fix: `set \`units:\` (${trusted.unit} per run) or \`max_cost:\` on the job; ${inShell({ action: "a workflow that trusts its manifest's prices can set the `allow-lower-prices` input", cli: "if you trust the manifest's prices, pass --allow-lower-prices" })}`,
      },
    };
  }
  if (own.costPerRunNano === undefined || fal.costPerRunNano > own.costPerRunNano) {
    notes.add(
      `the manifest's price for ${job.model} ($${quote!.unitPrice} per ${quote!.unit}) would estimate below fal's own (${describePrice(trusted, fal.unitPrice)}); fal's is used. ` +
        inShell({ action: "A workflow that trusts its manifest can set the `allow-lower-prices` input", cli: "If you trust the manifest's prices, pass --allow-lower-prices" }),
    );
    return { ...fal, ...billing };
  }
  return { ...own, ...billing };
}

/**
 * A run of a model whose units the input cannot tell, against what the same
 * job (else the model) was billed before. Runs of unknown cost are estimated
 * at the p95 of those bills; `units:` stands unless the bills are higher
 * (the manifest may only raise an estimate); `max_cost:` stays the bound the
 * run is estimated and capped at, the bills shown beside it. Bills of $0 are
 * never used: an estimate of $0 would be a guess.
 */
function calibrated(job: PlannedJob, v: VariantEstimate, h: HistoryFigure, notes: Set<string>): VariantEstimate {
  if (h.p95Nano <= 0 || v.basis === "not USD") return v;
  const whose = h.scope === "job" ? `job ${job.id}` : `${job.model} (other jobs)`;
  const basis = `p95 of ${h.runs} billed run${h.runs === 1 ? "" : "s"} of ${whose} in the lock (p50 ${displayUsd(h.p50Nano)})`;
  const fromHistory = { costPerRunNano: h.p95Nano, confidence: "history" as const, priceSource: "history" as const, basis, history: h, unitsPerRun: undefined, surchargeNano: 0 };
  switch (v.confidence) {
    case "unknown":
      return { ...v, ...fromHistory, problem: undefined };
    case "manual":
      if (v.costPerRunNano !== undefined && h.p95Nano <= v.costPerRunNano) return { ...v, history: h };
      notes.add(`job ${job.id}: its past bills (p95 ${displayUsd(h.p95Nano)} over ${h.runs} run(s)) are above what \`units:\` gives (${displayUsd(v.costPerRunNano ?? 0)} per run); the bills are used`);
      return { ...v, ...fromHistory, fromManifest: v.fromManifest.filter((f) => f !== "units") };
    case "upper-bound":
      return v.fromManifest.includes("max_cost") ? { ...v, history: h } : v;
    default:
      return v;
  }
}

/** Units measured from the input (not a manifest figure or a bound). */
function measuredUnits(v: VariantEstimate): number | undefined {
  return v.confidence === "exact" ? v.unitsPerRun : undefined;
}

/**
 * A run at one quote, with the unit price and units its billed units will be counted at.
 *
 * When fal's pricing API gives a unit of another kind than the catalog's (its docs show flux/dev per "image";
 * the catalog and fal's model page per megapixel), either could be how fal bills, so the run is estimated both
 * ways and the higher figure is used: the catalog's tiers and unit rules still count, and the estimate is never
 * below what either source justifies. The live figure decides whether there is a figure at all (a catalog that
 * cannot measure the input does not hide one). Billed units stay in fal's live unit, at its price: its
 * billable-units header and billing records count in it.
 */
function billedVariant(job: PlannedJob, variant: Variant, quote: PriceQuote | undefined, notes: Set<string>, noFixedPrice: string | undefined, view: InputView): VariantEstimate {
  const own = estimateVariant(job, variant, quote, notes, noFixedPrice, view);
  const billing = { billingUnitPrice: own.unitPrice, billingUnitsPerRun: measuredUnits(own) };
  const catalog = quote?.catalogInOtherUnit;
  if (!catalog) return { ...own, ...billing };
  notes.add(
    `fal's pricing API prices ${job.model} per ${quote.unit}, the catalog per ${catalog.unit}: each run is estimated both ways and the higher figure is used; ` +
      `billed units are counted in fal's ${quote.unit}, from its billing records or billable-units header, not from the outputs`,
  );
  const byCatalog = estimateVariant(job, variant, catalog, notes, undefined, view);
  if (own.costPerRunNano !== undefined && byCatalog.costPerRunNano !== undefined && byCatalog.costPerRunNano > own.costPerRunNano) return { ...byCatalog, ...billing };
  return { ...own, ...billing };
}

function describePrice(q: PriceQuote, unitPrice = q.unitPrice): string {
  return `$${unitPrice} per ${q.unit}, ${q.source === "live" ? "fal pricing API" : q.source === "repository" ? "repository catalog" : "catalog"}`;
}

// Shared by every variant they describe: a 100,000-run plan need not hold 100,000 copies of an empty list.
const NO_FIGURES: readonly ManifestFigure[] = Object.freeze([]);
const UNIT_PRICE: readonly ManifestFigure[] = Object.freeze(["unit_price"]);

/** `view`: the input the model receives (the manifest's, over `defaults`, the model's known defaults), as the memo sees it. */
function estimateVariant(job: PlannedJob, variant: Variant, quote: PriceQuote | undefined, notes: Set<string>, noFixedPrice: string | undefined, view: InputView): VariantEstimate {
  const effectiveInput = view(quote?.entry?.defaults);
  const base = { label: variant.label, runs: variant.runs, surchargeNano: 0, fromManifest: NO_FIGURES };
  const maxCost = job.spec.max_cost;

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
  const priced = { ...base, unitPrice, billingUnitPrice: unitPrice, priceSource: quote.source, fromManifest: quote.source === "override" ? UNIT_PRICE : NO_FIGURES };
  const surchargeNano = surchargesFor(quote, effectiveInput);
  const m = measureUnits(quote.kind, effectiveInput, quote.entry?.params);

  if (job.spec.units !== undefined) {
    const units = job.spec.units;
    // `units:` is for what the input cannot tell; it may never undercut what the input does tell.
    if (m.ok && m.units > units) {
      notes.add(`job ${job.id}: \`units: ${units}\` is below the ${m.units} ${quote.unit} the input sets (${m.basis}); the measured units are used`);
    } else {
      return { ...priced, unitsPerRun: units, surchargeNano, costPerRunNano: costNano(units, unitPrice) + surchargeNano, basis: `${units} units (manifest)`, confidence: "manual", fromManifest: [...priced.fromManifest, "units"] };
    }
  }
  if (!m.ok) {
    if (maxCost !== undefined) return upperBound(priced, maxCost, `${m.reason}; \`max_cost\` per run`);
    return { ...priced, basis: m.reason, confidence: "unknown", problem: { reason: `${job.id}: ${m.reason}`, fix: m.fix } };
  }
  const cost = costNano(m.units, unitPrice) + surchargeNano;
  // A max_cost below a measurable cost would under-budget: the measurement wins.
  return { ...priced, unitsPerRun: m.units, surchargeNano, costPerRunNano: cost, basis: m.basis, confidence: m.upperBound ? "upper-bound" : "exact" };
}

function upperBound(base: Omit<VariantEstimate, "basis" | "confidence">, maxCost: number, basis: string): VariantEstimate {
  return { ...base, costPerRunNano: toNano(maxCost), basis, confidence: "upper-bound", fromManifest: [...base.fromManifest, "max_cost"] };
}

/**
 * The unit price for this input. Tiers come from the catalog; when the price
 * itself is live (it may be account-specific), a tier keeps its ratio to the
 * catalog's base price; a catalog tier carries the account's discount like
 * the base price. A user's override is taken as is.
 */
export function priceFor(quote: PriceQuote, input: Record<string, unknown>): number {
  const entry = quote.entry;
  if (quote.source === "override" || !entry?.tiers) return quote.unitPrice;
  const tier = entry.tiers.find((t) => matchesCondition(input, t.when));
  if (!tier) return quote.unitPrice;
  if (quote.source === "catalog") return discounted(tier.unit_price, quote.discountPercent);
  if (entry.unit_price !== null && entry.unit_price > 0 && quote.kind === normalizeUnit(entry.unit)) return quote.unitPrice * (tier.unit_price / entry.unit_price);
  return quote.unitPrice;
}

function surchargesFor(quote: PriceQuote, input: Record<string, unknown>): Nano {
  if (quote.source === "override") return 0;
  let total = 0;
  for (const s of quote.entry?.surcharges ?? []) if (matchesCondition(input, s.when)) total += toNano(s.per_request);
  return total;
}
