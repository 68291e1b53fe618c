import { loadManifestFile } from "../manifest/load.js";
import type { Manifest } from "../manifest/schema.js";
import { buildPlan, countRuns, type Plan, type PlannedJob } from "../plan/expand.js";
import { bundledCatalog } from "../pricing/bundled-catalog.js";
import type { LoadedCatalog } from "../pricing/catalog.js";
import { resolvePrices, type LivePricing, type PriceBook } from "../pricing/prices.js";
import { estimatePlan, historyPricesAny, restrictEstimate, type Estimate } from "../estimate/estimate.js";
import { readLockFile, readLockSummary } from "../lock/read.js";
import { diffLock, lockDiffFrom, type LockDiff } from "../lock/diff.js";
import { keyChunks, keyRepeats, planKeys } from "../lock/key.js";
import type { BillingHistory } from "../estimate/history.js";
import { startLockThread, type LockThread } from "../adapters/threads/lock-thread.js";
import type { Partition } from "../plan/partition.js";
import { emptyLock, summarizeEntry, type Lock, type LockEntry, type LockOf, type LockSummary } from "../lock/schema.js";
import { unionLocks } from "../lock/merge.js";
import { historyFromLock } from "../lock/history.js";
import { applyGate, effectiveBudget, type EffectiveBudget, type GateResult } from "../gate/estimate-gate.js";
import { buildEstimateReport, type EstimateReport, type ReportContext } from "../report/model.js";
import { fetchLivePrices } from "../adapters/fal/pricing-api.js";
import { fetchModels } from "../adapters/fal/models-api.js";
import type { LiveModels } from "../check/model-check.js";
import { readRepoCatalogFile, REPO_CATALOG_FILE, type RepositoryCatalog } from "../pricing/repo-catalog.js";
import { checkManifest } from "./check-manifest.js";
import { statSync } from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import { stopYoungGenerationGrowth } from "../util/heap.js";
import type { PriceSourceMode } from "../pricing/price-source.js";
import type { FalEndpoints } from "../adapters/fal/endpoints.js";
import type { IncreaseLimit } from "../gate/increase-gate.js";
import { baseModels, compareWithBase, loadBase, type BaseSource } from "./base.js";
import { setting } from "../util/shell.js";
import { displayUsd, MAX_TOTAL_USD, toNano } from "../util/money.js";

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
  /**
   * The repository catalog (`catalog update`'s file): a path, null for none; default `fal-jobs.catalog.json`
   * beside the manifest, when it exists.
   */
  repoCatalogPath?: string | null;
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
  /**
   * The caller will split the runs to submit into this many shards (`estimate --shard`): their keys are hashed, and
   * the partition made, on a second thread beside the estimate (EstimateOutcome.partition).
   */
  shards?: number;
}

/** A real run keeps the lock's full entries (it reports its locked runs and writes the next lock); an estimate needs only their summaries. */
interface FullLockRequest extends EstimateRequest {
  lockEntries: "full";
}

type BudgetScope = "new" | "full";

/** Runs from which the plan's memory is worth holding V8's young generation, and its keys worth hashing on a thread. */
const LARGE_PLAN = 10_000;

/** Variants per chunk of encodings sent to the lock thread: it hashes one while the next is made. */
const KEY_CHUNK = 4096;

/** A lock file from which reading it on a second thread pays for the thread (~1,700 entries). */
const LARGE_LOCK_BYTES = 1 << 20;

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** The lock the plan was compared with. */
interface LockState<E extends LockSummary> {
  path: string | null;
  status: "off" | "missing" | "read";
  /** The lock as read, whole, for a real run (which reports its locked runs and writes the next lock from it); an estimate keeps none. */
  lock: E extends LockEntry ? LockOf<LockEntry> : null;
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
  /** The runs to submit split into `shards` (plan/partition.ts), when the request asked for shards and the thread made it. */
  partition?: Partition & { shards: number };
}

export function estimateManifest(req: FullLockRequest): Promise<EstimateOutcome<LockEntry>>;
export function estimateManifest(req: EstimateRequest): Promise<EstimateOutcome>;
export async function estimateManifest(req: EstimateRequest | FullLockRequest): Promise<EstimateOutcome<LockEntry> | EstimateOutcome> {
  if (req.priceSource === "live" && !req.falKey) {
    throw new UsageError(`${setting("price-source")} live needs a fal key (${setting("fal-key")}); use auto or catalog to estimate without one`);
  }
  // An estimate's lock is read, or its run keys hashed, on a second thread while the manifest is parsed and priced: worth
  // a thread's start-up only for a large lock, or for a large plan's keys when they will be needed. Started first, so
  // that it is ready when the plan is.
  const lockPath = req.lockPath ?? null;
  const onThread = !("lockEntries" in req);
  const largeLock = onThread && lockPath !== null && fileSize(lockPath) >= LARGE_LOCK_BYTES;
  const partition = onThread && req.shards !== undefined;
  let thread = largeLock || partition ? startLockThread(lockPath, { partition }) : null;
  try {
    const manifest = await loadManifestFile(req.manifestPath);
    const runs = countRuns(manifest);
    // Before the plan is built: V8 would grow its young generation while building it (util/heap.ts).
    if (runs >= LARGE_PLAN) stopYoungGenerationGrowth();
    // A small plan's keys are hashed here sooner than the thread would answer.
    if (thread && !largeLock && runs < LARGE_PLAN) {
      thread.close();
      thread = null;
    }
    return await estimatePlanned(req, manifest, thread && { thread, hashHere: largeLock });
  } finally {
    thread?.close();
  }
}

/** `thread.hashHere`: the thread reads a large lock, so the keys are hashed on this thread meanwhile. */
async function estimatePlanned(req: EstimateRequest | FullLockRequest, manifest: Manifest, thread: { thread: LockThread; hashHere: boolean } | null): Promise<EstimateOutcome<LockEntry> | EstimateOutcome> {
  // The thread hashes each job's keys while the next job is planned, unless it reads a large lock meanwhile.
  const hashThere = thread && !thread.hashHere ? thread.thread : null;
  const plan = buildPlan(manifest, hashThere ? (job) => sendKeys(hashThere, job) : undefined);
  const base = req.base && (await loadBase(req.base));
  // On a pull request, what the base's lock holds is paid for too: merging does not generate it again (the lock on the
  // base branch keeps it), so it is not counted as to spend, even when this branch's own lock is older.
  const lockPath = req.lockPath ?? null;
  const baseLock = base?.status === "read" && lockPath !== null && Object.keys(base.lock.runs).length > 0 ? [base.lock] : [];
  const extraLocks = [...(req.extraLocks ?? []), ...baseLock];
  const lockWork: PendingLock<LockEntry> | PendingLock<LockSummary> =
    "lockEntries" in req
      ? onThisThread(lockPath, plan, extraLocks, { read: readLockFile, entries: (l) => l, listLocked: true })
      : // Other locks to unite with the file's are on this thread already: the union is made here.
        thread && extraLocks.length === 0
        ? onLockThread(thread.thread, lockPath, plan, thread.hashHere)
        : onThisThread(lockPath, plan, extraLocks, { read: readLockSummary, entries: summarizeLock, listLocked: false });
  const models = plan.jobs.map((j) => j.model);
  // One batch of live look-ups prices both: the base's models are priced like the head's.
  const wanted = [...models.map((model) => ({ model, overridden: Boolean(manifest.pricing?.[model]) })), ...baseModels(base)];
  const live = await livePrices(req, wanted);
  if (req.priceSource === "live" && live.status === "failed") {
    throw new UsageError(`${setting("price-source")} is live but the fal pricing API failed: ${live.error}`);
  }
  const catalog = req.catalog ?? bundledCatalog();
  const repoPath = req.repoCatalogPath === undefined ? path.join(path.dirname(req.manifestPath), REPO_CATALOG_FILE) : req.repoCatalogPath;
  const repository = repoPath === null ? undefined : await readRepoCatalogFile(repoPath);
  const liveModels = await lookUpModels(req, models, catalog, repository);
  // Before any price is applied: a misspelt model or a wrong input stops everything here, with its position.
  const checks = await checkManifest(manifest, plan, { catalog, repository, live, liveModels });
  const account = { discountPercent: req.discountPercent };
  const prices = resolvePrices(models, manifest.pricing, live, catalog, account, repository);
  const policy = { allowLowerPrices: req.allowLowerPrices ?? false };
  // What the lock's runs were billed estimates runs whose units the input cannot tell, and shows each job's accuracy.
  // Without such jobs the plan is estimated while the lock is still being read (on the lock thread).
  const full = estimatePlan(plan, prices, policy, historyPricesAny(plan, prices) ? await lockWork.history : undefined);
  // The thread partitions the runs to submit (those its comparison left) while the report is built here.
  const partitioned = thread && req.shards !== undefined ? thread.thread.partition(variantCosts(full), req.shards) : null;
  const history = await lockWork.history;
  if (full.totalNano > toNano(MAX_TOTAL_USD)) {
    throw new UsageError(`the manifest is estimated at ${displayUsd(full.totalNano)}, more than fal-jobs counts exactly (${displayUsd(toNano(MAX_TOTAL_USD))}): split it into manifests estimated below that`);
  }
  const lock = await lockWork.state;
  const toRun = lock.diff.toRun;
  const estimate = toRun.totalRuns === plan.totalRuns ? full : restrictEstimate(full, toRun);
  const budget = effectiveBudget(req.budgetUsd, manifest.budget);
  const budgetScope = req.budgetScope ?? "new";
  const gate = applyGate(budgetScope === "full" ? full : estimate, budget);
  if (live.status === "failed") gate.warnings.unshift(`live prices unavailable (${live.error}); the ${repository ? "repository and " : ""}bundled catalog dated ${prices.catalogAsOf} was used instead`);
  gate.warnings.push(...checks.warnings);
  const compared = base && compareWithBase(base, { toSpend: estimate, full }, { live, catalog, repository, policy, account }, req.failOnIncrease, budget.unknownPrice);
  if (compared) {
    gate.reasons.push(...compared.check.reasons);
    gate.warnings.push(...compared.check.warnings);
    gate.pass = gate.reasons.length === 0;
  }
  const report = buildEstimateReport({ manifestPath: req.manifestPath, plan, prices, estimate, full, lock: { ...lock, entries: lock.diff.entries }, budgetScope, budget, gate, base: compared?.report, history, context: req.context, now: req.now, checks: { inputs_checked: checks.inputsChecked, inputs_unchecked: checks.inputsUnchecked } });
  const partition = partitioned && (await partitioned);
  return { manifest, plan, toRun, prices, estimate, full, lock, budgetScope, budget, gate, report, partition: partition ? { shards: req.shards!, ...partition } : undefined };
}

/** Each variant's estimate per run (0 where unknown, as the partition counts it), in plan order. */
function variantCosts(estimate: Estimate): Float64Array {
  const costs = new Float64Array(estimate.jobs.reduce((n, job) => n + job.variants.length, 0));
  let i = 0;
  for (const job of estimate.jobs) for (const v of job.variants) costs[i++] = v.costPerRunNano ?? 0;
  return costs;
}

/**
 * The lock, compared with the plan: its history as soon as the lock is read,
 * its state once compared. Each promise is marked handled when made: an
 * error thrown before they are awaited (a bad input) must not also surface
 * as an unhandled rejection of a lock that failed to read.
 */
interface PendingLock<E extends LockSummary> {
  history: Promise<BillingHistory>;
  state: Promise<LockState<E>>;
}

function pending<E extends LockSummary>(p: PendingLock<E>): PendingLock<E> {
  p.history.catch(() => undefined);
  p.state.catch(() => undefined);
  return p;
}

function onThisThread<E extends LockSummary>(
  lockPath: string | null,
  plan: Plan,
  extra: Lock[],
  how: {
    read: (file: string) => Promise<{ lock: LockOf<E>; existed: boolean; digest: string | null }>;
    /** An extra lock's entries, as `read` keeps them. */
    entries: (lock: Lock) => LockOf<E>;
    listLocked: boolean;
  },
): PendingLock<E> {
  const read = readLock(lockPath, extra, how);
  return pending({
    history: read.then(({ lock }) => historyFromLock(lock)),
    state: read.then(({ lock, state }) => ({ ...state, lock: (how.listLocked ? lock : null) as LockState<E>["lock"], diff: diffLock(plan, lock, { listLocked: how.listLocked }) })),
  });
}

async function readLock<E extends LockSummary>(lockPath: string | null, extra: Lock[], how: Parameters<typeof onThisThread<E>>[3]): Promise<{ lock: LockOf<E>; state: Omit<LockState<E>, "lock" | "diff"> }> {
  const { read, entries } = how;
  if (lockPath === null) return { lock: { ...emptyLock(), runs: {} }, state: { path: null, status: "off", digest: null } };
  const file = await read(lockPath);
  const lock = extra.length ? unionLocks(file.lock, ...extra.map(entries)) : file.lock;
  return { lock, state: { path: lockPath, status: file.existed || extra.length ? "read" : "missing", digest: file.digest } };
}

/**
 * The same from the lock thread; whatever it could not do is done here, where an invalid lock fails with its position.
 * While it reads a large lock, the keys are hashed here (before the estimate, so that it can compare as soon as it has
 * read); else it was sent them to hash as the plan was built (sendKeys), and hashes while this thread estimates.
 */
function onLockThread(thread: LockThread, lockPath: string | null, plan: Plan, hashHere: boolean): PendingLock<LockSummary> {
  const compared = thread.compare(hashHere ? planKeys(plan) : undefined, keyRepeats(plan), plan.jobs.map((j) => j.settings.cache));
  let fallback: PendingLock<LockSummary> | undefined;
  const here = () => (fallback ??= onThisThread(lockPath, plan, [], { read: readLockSummary, entries: summarizeLock, listLocked: false }));
  return pending({
    history: thread.read.then((read) => read?.history ?? here().history),
    state: Promise.all([thread.read, compared]).then(([read, c]) => {
      if (!read || !c) return here().state;
      const status = lockPath === null ? "off" : read.existed ? "read" : "missing";
      return { path: lockPath, status, lock: null, digest: null, diff: lockDiffFrom(plan, c.keys, c.comparison) };
    }),
  });
}

/** A planned job's key encodings, to the thread that hashes them. */
function sendKeys(thread: LockThread, job: PlannedJob): void {
  for (const chunk of keyChunks([job], KEY_CHUNK)) thread.hash(chunk);
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

/**
 * With a key (and prices not limited to the catalogs), fal's model API is asked about the models no catalog lists:
 * whether they exist, their status and their input schema. Models the catalogs list are not asked about again.
 */
async function lookUpModels(req: EstimateRequest, models: string[], catalog: LoadedCatalog, repository: RepositoryCatalog | undefined): Promise<LiveModels> {
  if (req.priceSource === "catalog") return { status: "skipped", reason: "price-source is catalog" };
  if (!req.falKey) return { status: "skipped", reason: "no fal key" };
  const unknown = [...new Set(models)].filter((m) => !catalog.entries.has(m) && !repository?.entries.has(m));
  if (unknown.length === 0) return { status: "ok", models: new Map() };
  return fetchModels(unknown, { apiUrl: req.endpoints.apiUrl, key: req.falKey, fetch: req.fetch });
}
