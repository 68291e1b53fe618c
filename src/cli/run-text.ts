import { flatten } from "../report/escape.js";
import { fmtNumber } from "../report/format.js";
import type { RunModeReport } from "../report/model.js";
import { displayUsd } from "../util/money.js";

/**
 * What `fal-jobs run` prints when the batch is over: the verdict in one line, a row per job (runs by how they
 * ended, estimated and billed), why it failed, the runs that did not succeed, and where the outputs, report and
 * lock are. Billed figures that are not known are said to be unknown, never shown as $0.
 */
export function renderRunText(r: RunModeReport, shown: { outputs: string; report: string }): string {
  const e = r.execution;
  const succeeded = e.counts.succeeded;
  const submittedRuns = r.runs.length;
  const head = e.cancelled ? "RUN CANCELLED" : r.pass ? "RUN SUCCEEDED" : "RUN FAILED";
  const budget = r.budget.effective_nano === null ? "no budget" : `budget ${displayUsd(r.budget.effective_nano)}`;
  const out = [`${head}: ${fmtNumber(succeeded)} of ${fmtNumber(submittedRuns)} run(s) succeeded; billed ${billedText(e)} (estimated ${displayUsd(r.totals.estimated_nano)}), ${budget}`];

  const rows = [["JOB", "RUNS", "SUCCEEDED", "NOT SUCCEEDED", "ESTIMATED", "BILLED"]];
  for (const j of r.jobs) {
    const c = j.run.counts;
    const others = (["failed", "timed-out", "cancelled", "skipped-budget"] as const).filter((s) => c[s] > 0).map((s) => `${fmtNumber(c[s])} ${s}`);
    const runs = j.locked_runs ? `${fmtNumber(j.runs)} (+${fmtNumber(j.locked_runs)} locked)` : fmtNumber(j.runs);
    rows.push([flatten(j.id, 40), runs, fmtNumber(c.succeeded), others.join(", ") || "-", displayUsd(j.estimated_nano), billedText(j.run)]);
  }
  rows.push(["TOTAL", fmtNumber(submittedRuns), fmtNumber(succeeded), "", displayUsd(r.totals.estimated_nano), billedText(e)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => [...row[i]!].length)));
  const line = (row: string[]) => row.map((c, i) => (i === 0 || i === 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  out.push("", line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line), "");

  for (const reason of r.reasons) out.push(`  ✗ ${reason}`);
  for (const w of r.warnings) out.push(`  ! ${w}`);
  const notDone = r.runs.filter((run) => run.status !== "succeeded");
  if (notDone.length > 0) {
    out.push("runs that did not succeed:");
    for (const run of notDone.slice(0, 10)) out.push(`  ${flatten(run.id, 80)}: ${run.status}${run.error ? ` — ${flatten(run.error.message, 200)}` : ""}`);
    if (notDone.length > 10) out.push(`  … and ${fmtNumber(notDone.length - 10)} more (all in the report)`);
  }
  const files = r.runs.reduce((n, run) => n + run.outputs.filter((o) => o.path !== null).length, 0);
  out.push(`outputs: ${fmtNumber(files)} file(s) in ${shown.outputs}; report ${shown.report}`);
  if (r.lock.status !== "off") {
    out.push(
      r.lock.written
        ? `lock: ${r.lock.written} ${r.lock.changed ? "updated" : "unchanged"}: the runs it holds are not paid for again`
        : `lock: not written${r.lock.changed === false ? " (nothing to record)" : ""}`,
    );
  }
  return out.join("\n");
}

function billedText(c: { billed_nano: number; pending_runs: number; unknown_runs: number }): string {
  const open = c.pending_runs + c.unknown_runs;
  return open > 0 ? `${displayUsd(c.billed_nano)} + ${fmtNumber(open)} unknown` : displayUsd(c.billed_nano);
}
