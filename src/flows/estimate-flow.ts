import { loadManifestFile } from "../manifest/load.js";
import type { Manifest } from "../manifest/schema.js";
import { buildPlan, countRuns, type Plan } from "../plan/expand.js";
import { bundledCatalog } from "../pricing/bundled-catalog.js";
import type { LoadedCatalog } from "../pricing/catalog.js";
import { resolvePrices, type LivePricing, type PriceBook } from "../pricing/prices.js";
import { estimatePlan, restrictEstimate, type Estimate } from "../estimate/estimate.js";
import { readLockFile, readLockSummary } from "../lock/read.js";
import { diffLock, type LockDiff } from "../lock/diff.js";
import { emptyLock, summarizeEntry, type Lock, type LockEntry, type LockOf, type LockSummary } from "../lock/schema.js";
import { unionLocks } from "../lock/merge.js";
import { historyFromLock } from "../lock/history.js";
import { applyGate, effectiveBudget, type EffectiveBudget, type GateResult } from "../gate/estimate-gate.js";
import { buildEstimateReport, type EstimateReport, type ReportContext } from "../report/model.js";
import { fetchLivePrices } from "../adapters/fal/pricing-api.js";
import { UsageError } from "../errors.js";
import { stopYoungGenerationGrowth } from "../util/heap.js";
import type { PriceSourceMode } from "../pricing/price-source.js";
import type { FalEndpoints } from "../adapters/fal/endpoints.js";
import type { IncreaseLimit } from "../gate/increase-gate.js";
import { baseModels, compareWithBase, loadBase, type BaseSource } from "./base.js";

/**
 * The estimate flow shared by the action and the CLI:
 * manifest → plan → prices → estimate → budget gate → report.
 * The only I/O is reading the manifest (and on a pull request the base's,
 * through a BaseSource) and, when allowed, one batch of live price look-ups.
 */

export interface EstimateRequest {
  manifestPath: string;
  budgetUsd?: number;
  priceSource: PriceSourceMode;
  falKey?: string;
  endpoints: FalEndpoints;
  fetch?: typeof fetch;
  context?: ReportContext;
  catalog?: LoadedCatalog;
  now?: Date;
  /** Set by the workflow, never by the manifest: the manifest's `pricing:` may go below fal's own price. */
  allowLowerPrices?: boolean;
  /** Set by the workflow (or the CLI), never by the manifest: the account's discount on catalog prices, in percent. */
  discountPercent?: number;
  /** The lock to plan against; null or absent: none (`lock: off`), every run is new. */
  lockPath?: string | null;
  /** What the budget gates: the runs to spend on (default), or the whole manifest as if nothing were locked. */
  budgetScope?: BudgetScope;
  /** Locks recorded elsewhere (the branch's, a pending pull request's): their runs are not paid for again either. */
  extraLocks?: Lock[];
  /** On a pull request: the manifest and lock at its base, estimated with the same prices and shown as the change. */
  base?: BaseSource;
  /** Fail when the estimate rises above the base's by more than this (needs `base`). */
  failOnIncrease?: IncreaseLimit;
}

/** A real run keeps the lock's full entries (it reports its locked runs and writes the next lock); an estimate needs only their summaries. */
interface FullLockRequest extends EstimateRequest {
  lockEntries: "full";
}

type BudgetScope = "new" | "full";

/** Runs from which the plan's memory is worth holding V8's young generation; smaller plans keep V8's defaults. */
const LARGE_PLAN = 10_000;

/** The lock the plan was compared with. */
interface LockState<E extends LockSummary> {
  path: string | null;
  status: "off" | "missing" | "read";
  lock: LockOf<E>;
  /** sha256 of the file's text as read, to tell whether a run changed it (null: no file, or an estimate, which reads no digest). */
  digest: string | null;
  diff: LockDiff<E>;
}

export interface EstimateOutcome<E extends LockSummary = LockSummary> {
  manifest: Manifest;
  /** Every run of the manifest. */
  plan: Plan;
  /** The runs to submit: those the lock does not hold (`lock.diff.toRun`). */
  toRun: Plan;
  prices: PriceBook;
  /** The runs to submit, priced: what this will spend. Aligned with `toRun`. */
  estimate: Estimate;
  /** The whole manifest, as if nothing were locked. */
  full: Estimate;
  lock: LockState<E>;
  budgetScope: BudgetScope;
  budget: EffectiveBudget;
  gate: GateResult;
  report: EstimateReport;
}

export function estimateManifest(req: FullLockRequest): Promise<EstimateOutcome<LockEntry>>;
export function estimateManifest(req: EstimateRequest): Promise<EstimateOutcome>;
export async function estimateManifest(req: EstimateRequest | FullLockRequest): Promise<EstimateOutcome<LockEntry> | EstimateOutcome> {
  if (req.priceSource === "live" && !req.falKey) {
    throw new UsageError("price-source live needs a fal key (the `fal-key` input or FAL_KEY); use auto or catalog to estimate without one");
  }
  const manifest = await loadManifestFile(req.manifestPath);
  // Before the plan is built: V8 would grow its young generation while building it (util/heap.ts).
  if (countRuns(manifest) >= LARGE_PLAN) stopYoungGenerationGrowth();
  const plan = buildPlan(manifest);
  const base = req.base && (await loadBase(req.base));
  // On a pull request, what the base's lock holds is paid for too: merging does not generate it again (the lock on the
  // base branch keeps it), so it is not counted as to spend, even when this branch's own lock is older.
  const baseLock = base?.status === "read" && req.lockPath !== null && req.lockPath !== undefined && Object.keys(base.lock.runs).length > 0 ? [base.lock] : [];
  const extraLocks = [...(req.extraLocks ?? []), ...baseLock];
  const lock = "lockEntries" in req ? await readLock(req.lockPath ?? null, plan, extraLocks, { read: readLockFile, entries: (l) => l, listLocked: true })
    : await readLock(req.lockPath ?? null, plan, extraLocks, { read: readLockSummary, entries: summarizeLock, listLocked: false });
  const models = plan.jobs.map((j) => j.model);
  // One batch of live look-ups prices both: the base's models are priced like the head's.
  const wanted = [...models.map((model) => ({ model, overridden: Boolean(manifest.pricing?.[model]) })), ...baseModels(base)];
  const live = await livePrices(req, wanted);
  if (req.priceSource === "live" && live.status === "failed") {
    throw new UsageError(`price-source is live but the fal pricing API failed: ${live.error}`);
  }
  const catalog = req.catalog ?? bundledCatalog();
  const account = { discountPercent: req.discountPercent };
  const prices = resolvePrices(models, manifest.pricing, live, catalog, account);
  const policy = { allowLowerPrices: req.allowLowerPrices ?? false };
  // What the lock's runs were billed estimates runs whose units the input cannot tell, and shows each job's accuracy.
  const history = historyFromLock(lock.lock);
  const full = estimatePlan(plan, prices, policy, history);
  const toRun = lock.diff.toRun;
  const estimate = toRun.totalRuns === plan.totalRuns ? full : restrictEstimate(full, toRun);
  const budget = effectiveBudget(req.budgetUsd, manifest.budget);
  const budgetScope = req.budgetScope ?? "new";
  const gate = applyGate(budgetScope === "full" ? full : estimate, budget);
  if (live.status === "failed") gate.warnings.unshift(`live prices unavailable (${live.error}); the bundled catalog dated ${prices.catalogAsOf} was used instead`);
  const compared = base && compareWithBase(base, { toSpend: estimate, full }, { live, catalog, policy, account }, req.failOnIncrease, budget.unknownPrice);
  if (compared) {
    gate.reasons.push(...compared.check.reasons);
    gate.warnings.push(...compared.check.warnings);
    gate.pass = gate.reasons.length === 0;
  }
  const report = buildEstimateReport({ manifestPath: req.manifestPath, plan, prices, estimate, full, lock: { ...lock, entries: lock.diff.entries }, budgetScope, budget, gate, base: compared?.report, history, context: req.context, now: req.now });
  return { manifest, plan, toRun, prices, estimate, full, lock, budgetScope, budget, gate, report };
}

async function readLock<E extends LockSummary>(
  lockPath: string | null,
  plan: Plan,
  extra: Lock[],
  how: {
    read: (file: string) => Promise<{ lock: LockOf<E>; existed: boolean; digest: string | null }>;
    /** An extra lock's entries, as `read` keeps them. */
    entries: (lock: Lock) => LockOf<E>;
    listLocked: boolean;
  },
): Promise<LockState<E>> {
  const { read, entries, listLocked } = how;
  if (lockPath === null) {
    const lock: LockOf<E> = { ...emptyLock(), runs: {} };
    return { path: null, status: "off", lock, digest: null, diff: diffLock(plan, lock, { listLocked }) };
  }
  const file = await read(lockPath);
  const lock = extra.length ? unionLocks(file.lock, ...extra.map(entries)) : file.lock;
  return { path: lockPath, status: file.existed || extra.length ? "read" : "missing", lock, digest: file.digest, diff: diffLock(plan, lock, { listLocked }) };
}

function summarizeLock(lock: Lock): LockOf<LockSummary> {
  const runs: Record<string, LockSummary> = {};
  for (const key of Object.keys(lock.runs)) runs[key] = summarizeEntry(lock.runs[key]!);
  return { ...lock, runs };
}

/** `models`: each model a manifest (the head's or the base's) uses, and whether that manifest's `pricing:` overrides it. */
async function livePrices(req: EstimateRequest, models: Array<{ model: string; overridden: boolean }>): Promise<LivePricing> {
  if (req.priceSource === "catalog") return { status: "skipped", reason: "price-source is catalog" };
  if (!req.falKey) return { status: "skipped", reason: "no fal key" };
  // Overridden models are looked up too: the manifest's price may not undercut fal's.
  const ids = [...new Set(models.map((m) => m.model))];
  if (req.allowLowerPrices && models.every((m) => m.overridden)) return { status: "skipped", reason: "every model has a manifest price and lower prices are allowed" };
  return fetchLivePrices(ids, { apiUrl: req.endpoints.apiUrl, key: req.falKey, fetch: req.fetch });
}
