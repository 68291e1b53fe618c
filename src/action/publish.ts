import * as core from "@actions/core";
import type { Report } from "../report/model.js";
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
 * verdict fails the step.
 */
export async function publish(config: ActionConfig, report: Report, context: RunContext, env: NodeJS.ProcessEnv, existingReportPath?: string): Promise<void> {
  const reportPath = existingReportPath ?? (await writeReport(config.outputDir, report));
  for (const [name, value] of reportOutputs(report, reportPath)) setOutput(name, value);

  if (env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary.addRaw(buildSummary(report), true).write();
    } catch (err) {
      core.warning(`could not write the job summary: ${(err as Error).message}`);
    }
  }
  await commentOnPullRequest(config, report, context, env);

  const outcome = report.mode === "run" ? `run finished; billed ${report.execution.billed ?? "(not all known)"}` : report.verdict;
  log.info(`fal-jobs: ${outcome} — estimated $${report.totals.estimated}; budget ${report.budget.effective ? `$${report.budget.effective}` : "none"}`);
  for (const w of report.warnings) core.warning(w);
  if (!report.pass) core.setFailed(`fal-jobs: ${report.reasons.join("; ")}`);
}
