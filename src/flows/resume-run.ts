import { iterateRuns } from "../plan/expand.js";
import type { BudgetLedger } from "../run/ledger.js";
import type { EarlierRequest, ResumePlan } from "../run/resume.js";
import type { RunRecord } from "../run/types.js";
import type { RunModeReport } from "../report/model.js";
import { displayUsd } from "../util/money.js";
import type { EstimateOutcome } from "./estimate-flow.js";
import { inShell } from "../util/shell.js";
import { JOURNAL_FILE } from "../run/journal.js";

/**
 * The run flow's side of re-runs resuming (run/resume.ts has the rules).
 *
 * The budget across attempts: a run whose earlier request this attempt
 * collects was paid for, so it counts against this attempt's budget, committed
 * before anything starts and never refused (collecting it costs nothing
 * more). It is part of the plan the estimate gate sees, so the gate counts it
 * too; with the first attempt's manifest and budget that gate passes whenever
 * the first one did, as what that attempt finished is locked now. Runs
 * earlier attempts finished and locked are locked here, as runs of the lock
 * are: not part of what this attempt spends. A run whose earlier request fal
 * no longer has is a new run and must fit the budget.
 */

export function commitEarlierRequests(checked: EstimateOutcome, earlier: ReadonlyMap<string, EarlierRequest>, ledger: BudgetLedger, log: (line: string) => void): void {
  const keys = checked.lock.diff.keys;
  let runs = 0;
  for (const run of iterateRuns(checked.toRun)) {
    if (!earlier.has(keys.of(run))) continue;
    const estimate = checked.estimate.jobs[run.job.index]!.variants[run.variantIndex]!.costPerRunNano ?? 0;
    ledger.commitPaid(run.id, estimate, run.job.id);
    runs++;
  }
  if (runs > 0) log(`resume: ${runs} run(s) have requests earlier attempts submitted and nobody collected; their results are fetched by request id (${displayUsd(ledger.committedNano)} committed for them)`);
}

/** What the report says about resuming: per run (run-report.ts), in the execution, and as warnings where money is at stake. */
export function reportResume(report: RunModeReport, records: readonly RunRecord[], resume: ResumePlan | undefined): void {
  const uncollected = records.filter((r) => r.uncollected);
  report.execution.uncollected_runs = uncollected.length;
  if (uncollected.length > 0) {
    report.warnings.push(
      inShell({
        action: `${uncollected.length} run(s) were still running at fal when this run was cancelled: they were left to finish (fal bills them either way) and are recorded for a re-run. Re-run this workflow run within the hour fal keeps results, and it collects them by request id instead of paying for them again`,
        cli: `${uncollected.length} run(s) could not be cancelled at fal: they may run on and be billed; their request ids are in the report and in ${JOURNAL_FILE} in the output folder`,
      }),
    );
  }
  if (!resume) return;
  const resumed = records.filter((r) => r.resumed);
  const resubmitted = resumed.filter((r) => r.resumed!.outcome !== "collected");
  report.execution.resume = {
    attempt: report.context?.run_attempt ?? "",
    from_attempts: resume.attempts,
    collected_runs: resumed.length - resubmitted.length,
    resubmitted_runs: resubmitted.filter((r) => r.submitted).length,
  };
  if (resubmitted.length > 0) {
    const first = resubmitted[0]!;
    const again = resubmitted.filter((r) => r.submitted).length;
    const skipped = resubmitted.length - again;
    report.warnings.push(
      `${resubmitted.length} run(s) that an earlier attempt had submitted could not be collected (e.g. ${first.id}: ${first.resumed!.detail ?? first.resumed!.outcome}): ${again} were submitted again, so fal may have billed them twice${skipped > 0 ? `; ${skipped} did not fit the budget and were not` : ""}`,
    );
  }
}
