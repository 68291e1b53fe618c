import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import * as core from "@actions/core";
import { readConfig, type ActionConfig } from "./action/inputs.js";
import { readRunContext } from "./action/context.js";
import { falEndpointsFromEnv } from "./adapters/fal/endpoints.js";
import { estimateManifest, UsageError } from "./engine/estimate.js";
import { ManifestError, formatIssue } from "./manifest/errors.js";
import { mdCode, mdText } from "./report/escape.js";
import { renderMarkdown } from "./report/markdown.js";
import type { Report } from "./report/model.js";
import { formatUsd } from "./util/money.js";

/**
 * The action: wires the runner (inputs, outputs, summary, annotations) to the
 * engine. Order matters for users' money and trust: validate, estimate and
 * gate before anything can be spent; write the report before failing.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: ActionConfig;
  try {
    config = readConfig(env);
  } catch (err) {
    core.setFailed(err instanceof Error ? err.message : String(err));
    return;
  }

  try {
    const context = readRunContext(env);
    const outcome = await estimateManifest({
      manifestPath: config.manifest,
      budgetUsd: config.budgetUsd,
      priceSource: config.priceSource,
      falKey: config.falKey,
      endpoints: falEndpointsFromEnv(env),
      context,
    });
    const report = outcome.report;
    const reportPath = await writeReport(config, report);
    setEstimateOutputs(report, reportPath);
    await writeSummary(renderMarkdown(report));
    logVerdict(report);
    if (!report.pass) core.setFailed(`fal-jobs: ${report.reasons.join("; ")}`);
  } catch (err) {
    if (err instanceof ManifestError) {
      for (const issue of err.issues) {
        core.error(issue.path ? `${issue.path}: ${issue.message}` : issue.message, {
          title: "fal-jobs.yaml",
          file: issue.file,
          startLine: issue.line,
          startColumn: issue.column,
        });
      }
      await writeSummary(manifestErrorMarkdown(err));
      core.setFailed(`${err.file}: ${err.issues.length} problem(s); nothing was estimated or submitted.\n${err.issues.map(formatIssue).join("\n")}`);
      return;
    }
    if (err instanceof UsageError) {
      core.setFailed(err.message);
      return;
    }
    core.setFailed(`fal-jobs: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

async function writeReport(config: ActionConfig, report: Report): Promise<string> {
  const file = path.resolve(config.outputDir, "fal-jobs-report.json");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

function setEstimateOutputs(report: Report, reportPath: string): void {
  core.setOutput("estimated-cost", formatUsd(report.totals.estimated_nano));
  core.setOutput("budget", report.budget.effective ?? "");
  core.setOutput("over-budget", report.verdict === "over-budget" ? "true" : "false");
  core.setOutput("billed-cost", "");
  core.setOutput("report-path", reportPath);
}

async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(markdown, true).write();
  } catch (err) {
    core.warning(`could not write the job summary: ${(err as Error).message}`);
  }
}

function logVerdict(report: Report): void {
  core.info(`fal-jobs: ${report.verdict} — estimated $${report.totals.estimated} for ${report.totals.runs} run(s); budget ${report.budget.effective ? `$${report.budget.effective}` : "none"}`);
  for (const w of report.warnings) core.warning(w);
}

function manifestErrorMarkdown(err: ManifestError): string {
  const lines = err.issues.map((i) => `- ${mdCode(`${i.file}:${i.line}:${i.column}`)} ${i.path ? `${mdCode(i.path)}: ` : ""}${mdText(i.message, 400)}`);
  return [`### ❌ fal-jobs: invalid manifest`, "", `Nothing was estimated or submitted. Fix these and push again:`, "", ...lines, ""].join("\n");
}
