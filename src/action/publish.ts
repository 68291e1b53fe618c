import * as core from "@actions/core";
import type { AnyReport } from "../report/model.js";
import { buildSummary } from "../report/summary.js";
import type { RunContext } from "./context.js";
import type { ActionConfig } from "./inputs.js";
import * as log from "./log.js";
import { reportOutputs, setOutput } from "./outputs.js";
import { writeReport } from "./output-dir.js";
import { commentOnPullRequest } from "./pr-comment.js";

/**
 * Everything people see, in an order that keeps their trust: the report file,
 * the outputs, the job summary and the PR comment are all written before the
 * verdict fails the step. An error report (nothing could be estimated) is
 * published the same way; the caller fails the step with the error itself.
 */
export async function publish(config: ActionConfig, report: AnyReport, context: RunContext, env: NodeJS.ProcessEnv, existingReportPath?: string): Promise<void> {
  const reportPath = existingReportPath ?? (await writeReportOf(config, report));
  if (reportPath) for (const [name, value] of reportOutputs(report, reportPath)) setOutput(name, value);

  if (env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary.addRaw(buildSummary(report), true).write();
    } catch (err) {
      core.warning(`could not write the job summary: ${(err as Error).message}`);
    }
  }
  await commentOnPullRequest(config, report, context, env);
  if (report.mode === "error") {
    // Posted from a file (post-only mode), the report fails this step as it failed the run that wrote it.
    if (existingReportPath) core.setFailed(`fal-jobs: the report says nothing could be estimated: ${report.error.message}`);
    return;
  }

  const outcome = report.mode === "run" ? `run finished; billed ${report.execution.billed ?? "(not all known)"}` : report.verdict;
  log.info(`fal-jobs: ${outcome} — estimated $${report.totals.estimated}; budget ${report.budget.effective ? `$${report.budget.effective}` : "none"}`);
  for (const w of report.warnings) core.warning(w);
  if (!report.pass) core.setFailed(`fal-jobs: ${report.reasons.join("; ")}`);
}

/** The report file; an error report that cannot be written (output-dir is the problem) is a warning, not a second failure. */
async function writeReportOf(config: ActionConfig, report: AnyReport): Promise<string | undefined> {
  if (report.mode !== "error") return writeReport(config.outputDir, report);
  try {
    return await writeReport(config.outputDir, report);
  } catch (err) {
    core.warning(`the report was not written to ${config.outputDir}: ${(err as Error).message}`);
    return undefined;
  }
}
