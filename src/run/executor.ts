import type { Estimate } from "../estimate/estimate.js";
import { iterateRuns, type Plan, type PlannedRun } from "../plan/expand.js";
import { costNano, type Nano } from "../util/money.js";
import { retry, type RetryOptions } from "../util/retry.js";
import { describeError, isTransient, SubmitFailed, type CallRetry, type FalQueue, type QueueStatus } from "./fal-queue.js";
import type { BudgetLedger } from "./ledger.js";
import { Limiter } from "./limiter.js";
import type { RunEvent } from "./progress.js";
import { fetchEarlier, type EarlierRequest } from "./resume.js";
import type { RunRecord, RunStatus } from "./types.js";
import { inShell } from "../util/shell.js";

/**
 * Turns the plan into fal requests: submit → wait for completion → result,
 * per job with bounded concurrency, a per-run timeout that cancels the fal
 * request, retries of our own transient failures (never of model errors or
 * of the submit itself), and the budget ledger deciding whether each run may
 * start. Every run ends in one defined status, whatever fails.
 *
 * This is the only place fal calls are retried (the adapter sends each once):
 * each status request, result and cancel gets at most the job's `retries`.
 */

export interface ExecuteOptions {
  plan: Plan;
  estimate: Estimate;
  queue: FalQueue;
  ledger: BudgetLedger;
  /** Aborted on SIGINT/SIGTERM or the global deadline: cancel everything, start nothing. */
  signal: AbortSignal;
  /** Called once a run has its result (or failed), with the result data; downloads happen here. Errors are the callee's to record. */
  onFinished?: (run: PlannedRun, record: RunRecord, data: unknown) => Promise<void>;
  /** Billing units counted in a result (images and their pixels, durations): settles a run that fal sent no units for. */
  observeUnits?: (run: PlannedRun, record: RunRecord, data: unknown) => number | null;
  /**
   * fal's billed cost of an accepted run from its billing records (ADMIN key), for a run whose units neither the
   * header nor the outputs showed; null when it did not come in time. The run keeps its slot while waiting.
   */
  awaitBilledCost?: (record: RunRecord, signal: AbortSignal) => Promise<Nano | null>;
  log?: (line: string) => void;
  /** Told when fal accepts a run, reports it queued or running, and when it ends: the progress rollup counts these. */
  onRunEvent?: (record: RunRecord, event: RunEvent) => void;
  /** Retry backoff base (ms, default 500); tests shorten it. */
  retryBaseMs?: number;
  /** Called the moment fal has accepted a run's request (or the run took over an earlier attempt's): the journal's line. */
  onSubmitted?: (run: PlannedRun, record: RunRecord) => void;
  /**
   * The request an earlier attempt of this workflow run submitted for this run and never collected (resume.ts):
   * its result is fetched instead of submitting again. Such a run is paid for already, so it is committed in the
   * ledger before the batch starts (never refused by the budget), and starts without asking it.
   */
  earlierRequest?: (run: PlannedRun) => EarlierRequest | undefined;
  /**
   * On cancellation, cancel the requests fal is running too, not only the queued ones. Default false: a running
   * request is billed either way, so the action leaves it to finish for a re-run to collect; the CLI has no re-run
   * to collect it, and a person who pressed Ctrl-C wants it stopped.
   */
  cancelRunning?: boolean;
}

/** What cancels a batch, as the reader knows it. */
const CANCELLED_BY = () => inShell({ action: "workflow cancelled or deadline reached", cli: "Ctrl-C or --deadline" });

class RunTimeout extends Error {
  constructor(ms: number) {
    super(`run timed out after ${Math.round(ms / 1000)} s`);
    this.name = "RunTimeout";
  }
}

export async function executePlan(opts: ExecuteOptions): Promise<RunRecord[]> {
  // Jobs run side by side, each under its own concurrency limit; records keep plan order.
  const perJob = await Promise.all(
    opts.plan.jobs.map(async (job) => {
      const records: RunRecord[] = [];
      const limiter = new Limiter(job.settings.concurrency);
      const tasks: Array<Promise<void>> = [];
      for (const run of iterateRuns({ jobs: [job], totalRuns: job.runCount })) {
        const record = newRecord(run, opts.estimate);
        records.push(record);
        if (opts.signal.aborted) {
          cancelBeforeStart(run, record, opts);
          continue;
        }
        await limiter.acquire();
        // The slot frees once the run's result (and with it its billed units) is in, before its downloads. Not at
        // COMPLETED: then more than `concurrency` runs could be unsettled, and each may overrun its estimate.
        let released = false;
        const release = () => {
          if (!released) limiter.release();
          released = true;
        };
        tasks.push(
          runOne(run, record, opts, release)
            .catch((err: unknown) => {
              // A bug in our own code must still leave the run in a defined state.
              if (!record.timings.finished_at) {
                record.error = { message: `internal error: ${(err as Error).message}`, stage: "result" };
                finish(record, "failed", opts);
              }
            })
            .finally(release),
        );
      }
      await Promise.all(tasks);
      return records;
    }),
  );
  return perJob.flat();
}

function newRecord(run: PlannedRun, estimate: Estimate): RunRecord {
  const variant = estimate.jobs[run.job.index]!.variants[run.variantIndex]!;
  return {
    id: run.id,
    job: run.job.id,
    model: run.job.model,
    variant: run.variant.label,
    repeat: run.repeat,
    status: "cancelled",
    submitted: false,
    submit_outcome: "not-attempted",
    request_id: null,
    error: null,
    timings: { started_at: null, submitted_at: null, completed_at: null, finished_at: null, total_ms: null },
    estimate_nano: variant.costPerRunNano ?? 0,
    // Billed units are priced at fal's own price whenever one is known, never at a lower manifest override.
    unit_price: variant.billingUnitPrice ?? variant.unitPrice ?? null,
    header_units: null,
    observed_units: null,
    input_units: variant.billingUnitsPerRun ?? null,
    dir: null,
    outputs: [],
  };
}

async function runOne(run: PlannedRun, record: RunRecord, opts: ExecuteOptions, releaseSlot: () => void): Promise<void> {
  const { queue, ledger, signal } = opts;
  const log = opts.log ?? (() => {});
  if (signal.aborted) return cancelBeforeStart(run, record, opts);
  const earlier = opts.earlierRequest?.(run);
  if (!earlier && !startWithinBudget(run, record, ledger, log)) return finish(record, "skipped-budget", opts);

  const timeoutMs = run.job.settings.timeoutMs;
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(new RunTimeout(timeoutMs)), timeoutMs);
  const runSignal = AbortSignal.any([signal, timer.signal]);
  const started = Date.now();
  record.timings.started_at = new Date(started).toISOString();
  let data: unknown;
  let stage: "submit" | "status" | "result" = "submit";
  // What fal last said of the request: on cancellation, a queued one is cancelled and a running one left to finish.
  let falState = "";
  // One log line per stage (in queue, running), not per status event: fal reports every move in the queue.
  let lastStatus = "";
  const onUpdate = (s: QueueStatus) => {
    falState = s.status;
    if (s.status === lastStatus || (s.status !== "IN_QUEUE" && s.status !== "IN_PROGRESS")) return;
    lastStatus = s.status;
    log(`${run.id}: ${s.status === "IN_QUEUE" ? `in queue${s.queue_position !== undefined ? ` (position ${s.queue_position})` : ""}` : "running"}`);
    opts.onRunEvent?.(record, s.status === "IN_QUEUE" ? "queued" : "running");
  };
  const policy = retryPolicy(run, opts, runSignal);
  const retryCall: CallRetry = (call) => retry(call, policy);

  try {
    let status: QueueStatus | undefined;
    if (earlier) {
      // Paid for by an earlier attempt: fetch its result rather than paying again.
      record.request_id = earlier.requestId;
      record.submitted = true;
      record.submit_outcome = "accepted";
      record.timings.submitted_at = new Date().toISOString();
      log(`${run.id}: collecting request ${earlier.requestId}, submitted by attempt ${earlier.attempt}`);
      stage = "status";
      const got = await fetchEarlier(queue, run.job.model, earlier.requestId, runSignal, onUpdate, retryCall, retryCall);
      record.resumed = { attempt: earlier.attempt, request_id: earlier.requestId, outcome: got.kind, ...(got.kind !== "collected" && { detail: got.detail }) };
      if (got.kind === "collected") {
        status = got.status;
        data = got.data;
        opts.onSubmitted?.(run, record);
      } else {
        // Gone or failed: a new run after all, which must fit the budget like any other. (The earlier attempt's
        // journal still holds the old request; this attempt's line for the new one supersedes it.)
        log(`${run.id}: ${got.detail}; submitting it again`);
        Object.assign(record, { request_id: null, submitted: false, submit_outcome: "not-attempted" });
        ledger.release(run.id);
        stage = "submit";
        if (!startWithinBudget(run, record, ledger, log)) return finish(record, "skipped-budget", opts);
      }
    }
    if (!status) {
      record.request_id = await submitRun(run, record, opts, runSignal);
      record.submitted = true;
      record.submit_outcome = "accepted";
      record.timings.submitted_at = new Date().toISOString();
      opts.onSubmitted?.(run, record);
      log(`${run.id}: submitted (request ${record.request_id})`);
      opts.onRunEvent?.(record, "submitted");

      stage = "status";
      status = await queue.waitForCompletion(run.job.model, record.request_id!, runSignal, onUpdate, retryCall);
    }
    record.timings.completed_at = new Date().toISOString();

    stage = "result";
    try {
      // fal already said the run failed: a 5xx on its result is that failure, not a blip.
      if (data === undefined) {
        const failed = status.error;
        const result = await retry(() => queue.result(run.job.model, record.request_id!, runSignal), { ...policy, isRetryable: (e) => isTransient(e) && !failed });
        data = result.data;
      }
    } finally {
      record.header_units = queue.billableUnits(record.request_id!) ?? null;
    }
    if (status.error) {
      // fal reported the failure on the status; a result without it would be misleading.
      record.error = { message: status.error, type: status.error_type, stage: "result" };
      record.status = "failed";
    } else {
      record.status = "succeeded";
    }
  } catch (err) {
    if (record.request_id) record.header_units = queue.billableUnits(record.request_id) ?? null;
    if (err instanceof SubmitFailed) record.submit_outcome = err.outcome === "unknown" ? "unknown" : err.outcome === "rejected" ? "rejected" : "not-attempted";
    const unknownSubmit = record.submit_outcome === "unknown" ? "; the submit's outcome is unknown: fal may have accepted and billed it (it was not sent again)" : "";
    if (timer.signal.aborted && !signal.aborted) {
      record.error = { message: `${(timer.signal.reason as Error).message}${unknownSubmit}`, stage: "timeout" };
      record.status = "timed-out";
      await cancelQuietly(queue, run, record, opts, log);
    } else if (signal.aborted) {
      record.status = "cancelled";
      // fal removes a queued request, but one it is running runs on and is billed (fal only signals the model app,
      // which may ignore it). So a running (or finished) request is left to finish and recorded as uncollected: a
      // re-run of the workflow collects its result by request id instead of paying for the run again.
      const running = Boolean(record.request_id) && (stage === "result" || falState === "IN_PROGRESS" || falState === "COMPLETED");
      if (running && !opts.cancelRunning) {
        record.uncollected = true;
        record.error = { message: `cancelled (${CANCELLED_BY()}) while fal was running request ${record.request_id}: left to finish (fal bills it either way) so that a re-run of this workflow collects it`, stage: "cancel" };
        log(`${run.id}: fal request ${record.request_id} left running for a re-run to collect`);
      } else {
        const at = running ? ` while fal was running request ${record.request_id} (fal bills what it ran)` : "";
        record.error = { message: `cancelled (${CANCELLED_BY()})${at}${unknownSubmit}`, stage: "cancel" };
        // A cancel that did not go through leaves the request alive: a re-run should look for its result.
        if (!(await cancelQuietly(queue, run, record, opts, log)) && record.request_id) record.uncollected = true;
      }
    } else {
      record.error = { ...describeError(err), stage };
      record.status = "failed";
      // fal accepted it but we lost track of it before it finished: left alone it would run, and bill, with nobody
      // waiting for it and its slot already free. Cancel it as a timeout would.
      if (stage === "status") await cancelQuietly(queue, run, record, opts, log);
    }
    // Only a submit that provably created nothing frees its money; an unknown one keeps its estimate committed.
    if (record.submit_outcome === "rejected" || (stage === "submit" && record.submit_outcome === "not-attempted")) ledger.release(run.id);
  } finally {
    clearTimeout(timeout);
  }

  record.timings.total_ms = Date.now() - started;
  // Settle as soon as the units are known, before the slot frees: fal's header first, else what the outputs prove.
  if (record.status === "succeeded" && data !== undefined && opts.observeUnits) record.observed_units = observeSafely(opts.observeUnits, run, record, data);
  const units = record.header_units ?? (record.status === "succeeded" ? record.observed_units : null);
  if (units !== null && record.unit_price !== null) ledger.settle(run.id, costNano(units, record.unit_price));
  else if (record.submitted && opts.awaitBilledCost) {
    // Neither fal's header nor the outputs told: hold the slot until fal's own billing record does, so that no more
    // than `concurrency` runs are ever unsettled. Without one in time the run stays committed at its estimate.
    const billed = await opts.awaitBilledCost(record, signal).catch(() => null);
    if (billed !== null) ledger.settle(run.id, billed);
  }
  releaseSlot();
  if (opts.onFinished) await opts.onFinished(run, record, data);
  finish(record, record.status, opts);
}

/**
 * One submit per run. A 429 is fal refusing to create the request, so it is
 * the only answer worth another try; anything whose outcome is unknown is
 * never sent again (see SubmitFailed).
 */
async function submitRun(run: PlannedRun, record: RunRecord, opts: ExecuteOptions, signal: AbortSignal): Promise<string> {
  return retry(
    () => {
      record.submit_outcome = "unknown";
      return opts.queue.submit(run.job.model, run.variant.input, signal);
    },
    {
      ...retryPolicy(run, opts, signal),
      isRetryable: (err) => err instanceof SubmitFailed && err.outcome === "rejected" && err.status === 429,
      // Refused, so nothing was created: if the wait is cancelled, the run's money is free.
      onRetry: () => (record.submit_outcome = "rejected"),
    },
  );
}

/** The job's `retries`, with backoff from `retryBaseMs` (1 s, doubling; jittered, so runs refused together do not return together). */
function retryPolicy(run: PlannedRun, opts: ExecuteOptions, signal: AbortSignal): RetryOptions {
  return { retries: run.job.settings.retries, baseMs: opts.retryBaseMs ?? 1000, jitter: true, isRetryable: isTransient, signal };
}

/** A malformed result is no observation: it must not stop the run from being settled and its outputs kept. */
function observeSafely(observe: NonNullable<ExecuteOptions["observeUnits"]>, run: PlannedRun, record: RunRecord, data: unknown): number | null {
  try {
    return observe(run, record, data);
  } catch {
    return null;
  }
}

function finish(record: RunRecord, status: RunStatus, opts: ExecuteOptions): void {
  record.status = status;
  record.timings.finished_at = new Date().toISOString();
  const log = opts.log ?? (() => {});
  if (status === "succeeded") log(`${record.id}: succeeded in ${((record.timings.total_ms ?? 0) / 1000).toFixed(1)} s, ${record.outputs.filter((o) => o.path).length} file(s)`);
  else if (status !== "skipped-budget") log(`${record.id}: ${status}${record.error ? ` — ${record.error.message}` : ""}`);
  opts.onRunEvent?.(record, "finished");
}

/**
 * A run cancelled before it started. One whose request an earlier attempt submitted still has that request at
 * fal, paid for and uncollected: the report says so, and the next attempt collects it.
 */
function cancelBeforeStart(run: PlannedRun, record: RunRecord, opts: ExecuteOptions): void {
  const earlier = opts.earlierRequest?.(run);
  if (earlier) Object.assign(record, { request_id: earlier.requestId, submitted: true, submit_outcome: "accepted", uncollected: true });
  finish(record, "cancelled", opts);
}

/** Cancels the run's fal request; false when there was none or the cancel did not go through. */
async function cancelQuietly(queue: FalQueue, run: PlannedRun, record: RunRecord, opts: ExecuteOptions, log: (l: string) => void): Promise<boolean> {
  if (!record.request_id) return false;
  try {
    // A run left going may still bill: retry a cancel that met a blip, within 5 s in all.
    const signal = AbortSignal.timeout(5000);
    await retry(() => queue.cancel(run.job.model, record.request_id!, signal), retryPolicy(run, opts, signal));
    log(`${run.id}: fal request ${record.request_id} cancelled`);
    return true;
  } catch (err) {
    // Already finished, or fal unreachable: say so; the report shows the request id for follow-up.
    log(`${run.id}: cancel of ${record.request_id} failed: ${describeError(err).message}`);
    return false;
  }
}

/** The ledger's start rule; a run it refuses is skipped, and the log says which limit it would pass. */
function startWithinBudget(run: PlannedRun, record: RunRecord, ledger: BudgetLedger, log: (l: string) => void): boolean {
  if (ledger.tryStart(run.id, record.estimate_nano, run.job.id)) return true;
  record.error = null;
  const limit = ledger.jobLimitNano(run.job.id);
  const jobLimit = limit !== undefined && ledger.jobCommittedNano(run.job.id) + record.estimate_nano > limit;
  log(`${run.id}: skipped — starting it would pass the ${jobLimit ? `per-job limit (job ${run.job.id} has ${usd(ledger.jobCommittedNano(run.job.id))} committed)` : `budget (committed so far ${usd(ledger.committedNano)})`}`);
  return false;
}

function usd(nano: Nano): string {
  return `$${(nano / 1e9).toFixed(4)}`;
}
