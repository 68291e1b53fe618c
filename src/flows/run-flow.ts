import path from "node:path";
import { createFalQueue } from "../adapters/fal/client.js";
import type { FalQueue } from "../run/fal-queue.js";
import { FAL_DEFAULTS, type FalEndpoints } from "../adapters/fal/endpoints.js";
import { pollBillingEvents, watchBillingEvents } from "../adapters/fal/billing-api.js";
import type { BillingLookup } from "../billing/types.js";
import { observeUnits, provenUnits } from "../billing/observe.js";
import { executePlan } from "../run/executor.js";
import { iterateRuns, type PlannedRun } from "../plan/expand.js";
import { BudgetLedger } from "../run/ledger.js";
import { downloadFile, type DownloadPolicy } from "../adapters/fal/cdn.js";
import { createCollector, type Collector } from "../run/collect.js";
import { billedCostOf, discountMismatch, eventCostNano, reconcile, type BilledCost, type Reconciliation } from "../billing/reconcile.js";
import { runVerdict } from "../gate/run-verdict.js";
import { checkCredits } from "../gate/credit-check.js";
import { fetchCreditBalance } from "../adapters/fal/account-api.js";
import { Limiter } from "../run/limiter.js";
import { RunProgress, startProgressReports } from "../run/progress.js";
import type { RunRecord } from "../run/types.js";
import { buildRunReport } from "../report/run-report.js";
import { accountReport, type Report } from "../report/model.js";
import { displayUsd, formatUsd } from "../util/money.js";
import { UsageError } from "../errors.js";
import { prepareOutputDir } from "../util/safe-fs.js";
import { estimateManifest, type EstimateOutcome, type EstimateRequest } from "./estimate-flow.js";
import { nextLock, type DoneRun, type StoreRef } from "../lock/update.js";
import type { Lock, LockEntry } from "../lock/schema.js";
import { JOURNAL_FILE, openJournal } from "../run/journal.js";
import { commitEarlierRequests, reportResume } from "./resume-run.js";
import type { ResumePlan } from "../run/resume.js";
import { inShell } from "../util/shell.js";
import type { ShardSpec } from "../plan/partition.js";
import { shardWork } from "./shard.js";

/**
 * The real run: estimate and gate first (an invalid or over-budget manifest
 * submits nothing), then execute under the budget ledger, keep every output,
 * reconcile billed cost, and hand back one report. Cancellation (signal)
 * cancels fal requests and still returns a report.
 */

export interface RunRequest extends EstimateRequest {
  falKey: string;
  falAdminKey?: string;
  outputDir: string;
  billingTimeoutMs: number;
  signal: AbortSignal;
  log: (line: string) => void;
  /** Progress rollups (per job: done/total, elapsed, ETA), meant to be seen: the action writes them outside its folded log groups. Default: `log`. */
  progress?: (lines: string[]) => void;
  /** Longest time between progress rollups while nothing moves (they also come each time another tenth of the runs is done). */
  progressEveryMs?: number;
  /** Test seams. */
  queue?: FalQueue;
  maxDownloadBytes?: number;
  retryBaseMs?: number;
  billingPollMs?: number;
  /** Where this run's files will be kept (the workflow run and attempt); null outside GitHub Actions. */
  store?: StoreRef | null;
  /** On a re-run: what earlier attempts left to collect (their locks go in `earlierLocks`). */
  resume?: ResumePlan;
  /** On cancellation, cancel the requests fal is running too (executor.ts); the CLI does, having no re-run to collect them. */
  cancelRunning?: boolean;
  /**
   * The estimate of this very request, already made with the lock's full entries (`lockEntries: "full"`; the CLI
   * shows it before asking to spend): what was shown is what runs.
   */
  estimated?: EstimateOutcome<LockEntry>;
  /** One shard of a batch split across a matrix: only its part of the runs, under its share of the budget (shard.ts). */
  shard?: ShardSpec;
}

export interface RunOutcome {
  estimate: EstimateOutcome<LockEntry>;
  /** Undefined when the gate stopped the run before anything was submitted. */
  records?: RunRecord[];
  report: Report;
  /** The lock after this run (done runs added, removed entries dropped); undefined when the lock is off or nothing ran. */
  nextLock?: Lock;
}

const DEFAULT_MAX_DOWNLOAD_BYTES = 2 * 1024 ** 3;

export async function runManifest(req: RunRequest): Promise<RunOutcome> {
  const checked = req.estimated ?? (await estimateManifest({ ...req, lockEntries: "full" as const }));
  if (!checked.gate.pass) return { estimate: checked, report: checked.report };
  if (checked.toRun.totalRuns > 0) {
    refuseUnboundedRun(checked);
    if (!(await creditsCover(checked, req))) return { estimate: checked, report: checked.report };
  }

  // A shard submits its part of the runs under its share of the budget; the gate above saw the whole manifest.
  const shard = req.shard ? await shardWork(checked, req.shard, req.manifestPath) : undefined;
  const work: EstimateOutcome<LockEntry> = shard ? { ...checked, toRun: shard.plan, estimate: shard.estimate } : checked;
  if (shard) req.log(`shard ${req.shard!.index}/${req.shard!.total}: ${shard.block.runs} of the ${checked.toRun.totalRuns} run(s) to submit, estimated ${displayUsd(shard.block.estimated_nano)}, capped at ${displayUsd(shard.limitNano)}`);

  const startedAt = new Date();
  const ledger = shard ? new BudgetLedger(shard.limitNano, shard.jobLimitNano) : new BudgetLedger(checked.budget.limitNano!, checked.budget.perJobLimitNano);
  const queue = req.queue ?? createFalQueue({ key: req.falKey, endpoints: req.endpoints, fetch: req.fetch });
  const outputDir = path.resolve(req.outputDir);
  // Billed units are in the unit of the price they are billed at (fal's own, unless the workflow allows lower prices).
  // Where fal's pricing API and the catalog disagree on the kind of unit, outputs cannot show which one fal billed.
  const billedKind = (run: PlannedRun) => {
    const quote = checked.estimate.jobs[run.job.index]!.billingQuote;
    return quote?.catalogInOtherUnit ? undefined : quote?.kind;
  };

  const downloads: DownloadPolicy = {
    extraOrigins: overrideOrigins(req.endpoints),
    maxBytes: req.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES,
    retries: 3,
    timeoutMs: 15 * 60_000,
    retryBaseMs: req.retryBaseMs,
  };
  const collector = createCollector({
    outputDir,
    fetchFile: (url, dest, signal, budget) => downloadFile(url, dest, downloads, signal, budget),
    concurrency: 8,
    // Cancellation and the deadline stop downloads too: the runner kills a cancelled step seconds after SIGTERM.
    signal: req.signal,
  });

  // With an ADMIN key, a run that neither fal's header nor its outputs priced is settled from fal's billing record.
  const billingWatch = req.falAdminKey
    ? watchBillingEvents({
        apiUrl: req.endpoints.apiUrl,
        adminKey: req.falAdminKey,
        fetch: req.fetch,
        waitMs: req.billingTimeoutMs,
        pollMs: req.billingPollMs ?? 2000,
        costOf: eventCostNano,
        log: req.log,
      })
    : undefined;

  // Every request fal accepts is written down as it happens, for a re-run to collect (run/journal.ts).
  const keys = checked.lock.diff.keys;
  const journal = openJournal(path.join(await prepareOutputDir(outputDir), JOURNAL_FILE), req.log);
  const earlier = req.resume?.requests;
  if (earlier && earlier.size > 0) commitEarlierRequests(work, earlier, ledger, req.log);

  const total = work.toRun.totalRuns;
  if (checked.lock.diff.lockedRuns > 0) req.log(`lock: ${checked.lock.diff.lockedRuns} run(s) already generated and paid for; submitting the other ${total}`);
  // The rollup counts the runs submitted here: those the lock holds are not run again.
  const progress = new RunProgress(work.toRun);
  const reports = startProgressReports(progress, {
    heartbeatMs: req.progressEveryMs ?? 15_000,
    write: req.progress ?? ((lines) => lines.forEach((line) => req.log(line))),
    extra: () => `${displayUsd(ledger.committedNano)} committed of ${displayUsd(ledger.limitNano)}`,
  });
  let records: RunRecord[];
  try {
    records = await executePlan({
      // Only the runs the lock does not hold: nothing already paid for is submitted again.
      plan: work.toRun,
      estimate: work.estimate,
      queue,
      ledger,
      signal: req.signal,
      log: req.log,
      retryBaseMs: req.retryBaseMs,
      cancelRunning: req.cancelRunning,
      onRunEvent: progress.onRunEvent,
      awaitBilledCost: billingWatch ? (rec, signal) => billingWatch.costOf(rec.request_id!, signal) : undefined,
      earlierRequest: earlier && earlier.size > 0 ? (run) => earlier.get(keys.of(run)) : undefined,
      onSubmitted: (run, rec) => journal.submitted(keys.of(run), run.id, run.job.model, rec.request_id!, rec.resumed?.attempt),
      observeUnits: (run, rec, data) => {
        const kind = billedKind(run);
        return kind ? provenUnits(observeUnits(kind, data), rec.input_units) : null;
      },
      onFinished: async (run, rec, data) => {
        await collector.collect(rec, run.variant.input, data, billedFields(billedCostOf(rec, undefined)));
        if (rec.request_id) journal.finished(keys.of(run), rec.request_id, rec.status, rec.uncollected === true);
      },
    });
  } finally {
    reports.stop();
    billingWatch?.stop();
    journal.close();
  }
  const cancelReason = req.signal.aborted ? String((req.signal.reason as Error)?.message ?? req.signal.reason ?? "cancelled") : null;
  req.log(`runs finished: ${summaryLine(records)}`);

  const billing = await reconcileBilling(records, req);
  const reconciliation = reconcile(records, billing);
  const report = buildRunReport({
    estimate: checked.report,
    reconciliation,
    verdict: runVerdict({ gate: checked.gate, budget: shard ? { limitNano: shard.limitNano, perJobLimitNano: checked.budget.perJobLimitNano } : checked.budget, reconciliation, cancelReason }),
    billingSource: req.falAdminKey ? "billing-events" : "header-and-outputs",
    startedAt,
    finishedAt: new Date(),
    cancelReason,
    outputDir,
    locked: checked.lock.diff.locked,
    storeUrls: storeUrls(checked.lock.lock),
  });
  reportResume(report, records, req.resume);
  const catalogPriced = new Set(checked.estimate.jobs.filter((j) => j.billingQuote?.source === "catalog").map((j) => j.model));
  const mismatch = discountMismatch(billing, catalogPriced, req.discountPercent);
  if (mismatch) report.warnings.push(mismatch);
  if (shard) report.shard = shard.block;
  // Billing events (ADMIN key) came after the result.json files were written: rewrite them with fal's figures,
  // side by side.
  if (billing) await rewriteResultFiles(reconciliation, collector);
  const nextLock = checked.lock.status === "off" ? undefined : nextLock_(work, reconciliation, req.store ?? null);
  return { estimate: checked, records, report, nextLock };
}

/**
 * Done runs join the lock: succeeded, with fal's request id and every output
 * file kept (its sha256 known). A run whose files were lost runs again rather
 * than being recorded as had.
 */
function nextLock_(checked: EstimateOutcome<LockEntry>, reconciliation: Reconciliation, store: StoreRef | null): Lock {
  const done: DoneRun[] = [];
  // Records come in plan order (executor.ts), one per run of the restricted plan.
  const runs = iterateRuns(checked.toRun);
  for (const { record, billed } of reconciliation.perRun) {
    const run = runs.next().value;
    if (!run || run.id !== record.id) throw new Error(`internal: run records out of plan order at ${record.id}`);
    if (record.status !== "succeeded" || !record.request_id || !run.job.settings.cache) continue;
    if (record.outputs.some((o) => o.sha256 === null || o.path === null || o.bytes === null)) continue;
    done.push({
      key: checked.lock.diff.keys.of(run),
      entry: {
        job: record.job,
        run: record.id,
        model: record.model,
        request_id: record.request_id,
        finished_at: record.timings.finished_at ?? new Date().toISOString(),
        estimated_nano: record.estimate_nano,
        billed: billed.cost_nano === null ? null : formatUsd(billed.cost_nano),
        billed_nano: billed.cost_nano,
        billed_source: billed.source === "not-submitted" ? "unknown" : billed.source,
        outputs: record.outputs.map((o) => ({ name: o.path!, content_type: o.content_type, size: o.bytes!, sha256: o.sha256!, url: o.url })),
      },
    });
  }
  return nextLock(checked.lock.lock, checked.lock.diff, checked.plan.jobs.map((j) => j.id), done, store);
}

function storeUrls(lock: Lock): Map<string, string> {
  const urls = new Map<string, string>();
  for (const [id, store] of Object.entries(lock.stores)) if (store.artifact) urls.set(id, store.artifact.url);
  return urls;
}

function billedFields(b: BilledCost): Record<string, unknown> {
  return { billed: b.cost_nano === null ? null : formatUsd(b.cost_nano), billed_source: b.source, billed_units: b.units };
}

async function rewriteResultFiles(reconciliation: Reconciliation, collector: Collector): Promise<void> {
  const writes = new Limiter(32);
  await Promise.all(
    reconciliation.perRun.map(async ({ record, billed }) => {
      if (!record.dir) return;
      await writes.acquire();
      try {
        await collector.writeResultFile(record, billedFields(billed));
      } finally {
        writes.release();
      }
    }),
  );
}

/**
 * With an ADMIN key, the account's credits must cover the most this run can
 * commit (the smaller of the budget and the estimate of the runs it submits)
 * before anything is submitted; the check and its outcome go in the log and
 * the report. False: the run stops here, with the reason in the report.
 */
async function creditsCover(checked: EstimateOutcome, req: RunRequest): Promise<boolean> {
  const neededNano = Math.min(checked.budget.limitNano!, checked.estimate.totalNano);
  const lookup = req.falAdminKey
    ? await fetchCreditBalance({ apiUrl: req.endpoints.apiUrl, adminKey: req.falAdminKey, fetch: req.fetch, signal: req.signal, retryBaseMs: req.retryBaseMs })
    : undefined;
  const check = checkCredits(lookup, neededNano);
  req.log(`credits: ${check.detail}`);
  checked.report.account = accountReport(check);
  if (check.status !== "short" && check.status !== "failed") return true;
  checked.gate.reasons.push(check.detail);
  // The report was built from the gate and may share its list of reasons.
  if (checked.report.reasons !== checked.gate.reasons) checked.report.reasons.push(check.detail);
  checked.gate.pass = checked.report.pass = false;
  return false;
}

/** The hard cap needs a limit and a known (or bounded) cost for every run. */
export function refuseUnboundedRun(e: EstimateOutcome): void {
  if (e.budget.limitNano === undefined) {
    throw new UsageError(
      inShell({
        action: "a real run (dry-run: false) needs a budget: set the `budget` input or `budget:` in the manifest",
        cli: "a real run needs a budget: pass --budget USD or set `budget:` in the manifest",
      }),
    );
  }
  if (e.estimate.unknownRuns > 0) {
    const jobs = e.estimate.jobs.filter((j) => j.unknownRuns > 0).map((j) => j.id);
    throw new UsageError(`a real run cannot cap spending on runs of unknown cost (jobs: ${jobs.join(", ")}); set \`max_cost:\` or \`units:\` on them, or a \`pricing\` override`);
  }
}

async function reconcileBilling(records: RunRecord[], req: RunRequest): Promise<BillingLookup | undefined> {
  if (!req.falAdminKey) return undefined;
  const ids = records.filter((r) => r.submitted && r.request_id).map((r) => r.request_id!);
  if (ids.length === 0) return undefined;
  req.log(`billing: looking up fal's billing events for ${ids.length} request(s) (up to ${Math.round(req.billingTimeoutMs / 1000)} s)`);
  // Cancellation shortens the wait: the runner gives a cancelled step only seconds.
  const signal = req.signal.aborted ? AbortSignal.timeout(3000) : req.signal;
  const lookup = await pollBillingEvents(ids, {
    apiUrl: req.endpoints.apiUrl,
    adminKey: req.falAdminKey,
    fetch: req.fetch,
    signal,
    deadlineMs: req.signal.aborted ? 0 : req.billingTimeoutMs,
    initialDelayMs: req.billingPollMs ?? 2000,
    log: req.log,
  });
  if (lookup.status !== "ok") req.log(`billing: ${lookup.message}; using billable-unit headers and outputs instead`);
  return lookup;
}

/** Origins of hosts redirected away from fal's defaults (a proxy, a loopback fake): their media may be plain http. */
function overrideOrigins(e: FalEndpoints): Set<string> {
  const origins = new Set<string>();
  for (const key of ["queueUrl", "restUrl", "apiUrl"] as const) {
    if (e[key] !== FAL_DEFAULTS[key]) origins.add(new URL(e[key]).origin);
  }
  return origins;
}

function summaryLine(records: RunRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(", ");
}
