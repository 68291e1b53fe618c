import { readFileSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import * as core from "@actions/core";
import { readConfig, type ActionConfig } from "./action/inputs.js";
import * as log from "./action/log.js";
import { reportOutputs, setOutput } from "./action/outputs.js";
import { readRunContext } from "./action/context.js";
import { falEndpointsFromEnv } from "./adapters/fal/endpoints.js";
import { estimateManifest, UsageError } from "./engine/estimate.js";
import { loadNetworkModules } from "./shims/network.js";
import { ManifestError, formatIssue } from "./manifest/errors.js";
import { commentMarker } from "./comment/marker.js";
import { postSticky } from "./comment/sticky.js";
import { buildCommentBody } from "./report/comment.js";
import { mdCode, mdText } from "./report/escape.js";
import type { Report } from "./report/model.js";
import { buildSummary } from "./report/summary.js";
import { findSymlinks, prepareOutputDir, UnsafePathError, writeFileNoFollow } from "./util/safe-fs.js";

/**
 * The action: wires the runner (inputs, outputs, summary, annotations,
 * signals) to the engine. Order matters for users' money and trust: validate,
 * estimate and gate before anything can be spent; write the report, upload
 * and comment before failing the step.
 *
 * The fal client, Octokit and the artifact client (most of the bundle) load
 * only on the paths that use them, so a dry run on a push starts fast.
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
    if (config.reportPath) await postOnly(config, env);
    else if (config.dryRun) await dryRun(config, env);
    else await realRun(config, env);
  } catch (err) {
    if (err instanceof ManifestError) return reportManifestError(err);
    if (err instanceof UsageError || err instanceof UnsafePathError) return core.setFailed(err.message);
    core.setFailed(`fal-jobs: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

async function dryRun(config: ActionConfig, env: NodeJS.ProcessEnv): Promise<void> {
  const outcome = await estimateManifest({
    manifestPath: config.manifest,
    budgetUsd: config.budgetUsd,
    priceSource: config.priceSource,
    allowLowerPrices: config.allowLowerPrices,
    falKey: config.falKey,
    endpoints: falEndpointsFromEnv(env),
    context: readRunContext(env),
  });
  await publish(config, outcome.report, env);
}

async function realRun(config: ActionConfig, env: NodeJS.ProcessEnv): Promise<void> {
  if (!config.falKey) {
    throw new UsageError("dry-run is false but there is no fal key: set the `fal-key` input (or FAL_KEY). Nothing was submitted.");
  }
  await checkOutputDirBeforeSpending(config);
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    core.warning(`received ${sig}: cancelling fal requests, then writing the report`);
    controller.abort(new Error(`received ${sig}`));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const deadline = config.deadlineMs ? setTimeout(() => controller.abort(new Error(`deadline of ${Math.round(config.deadlineMs! / 1000)} s reached`)), config.deadlineMs) : undefined;
  deadline?.unref();

  await loadNetworkModules();
  const { runManifest } = await import("./engine/run.js");
  log.startGroup("fal-jobs: running");
  let report: Report;
  try {
    const outcome = await runManifest({
      manifestPath: config.manifest,
      budgetUsd: config.budgetUsd,
      priceSource: config.priceSource,
      allowLowerPrices: config.allowLowerPrices,
      falKey: config.falKey,
      falAdminKey: config.falAdminKey,
      endpoints: falEndpointsFromEnv(env),
      context: readRunContext(env),
      outputDir: config.outputDir,
      billingTimeoutMs: config.billingTimeoutMs,
      signal: controller.signal,
      log: log.info,
    });
    report = outcome.report;
  } finally {
    core.endGroup();
    clearTimeout(deadline);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }

  if (report.execution) {
    // The report goes into the artifact too, so write it before uploading.
    await writeReport(config, report);
    const { uploadOutputs } = await import("./adapters/artifact/upload.js");
    const upload = await uploadOutputs(config.artifactName, config.outputDir, env);
    if (upload.ok) {
      report.execution.artifact = upload.artifact;
      setOutput("artifact-id", String(upload.artifact.id));
      setOutput("artifact-url", upload.artifact.url);
      log.info(`outputs uploaded as artifact ${upload.artifact.name} (${upload.artifact.url})`);
    } else {
      report.execution.artifact_error = upload.error;
      report.warnings.push(`outputs were not uploaded as an artifact: ${upload.error}; the files are in ${config.outputDir}`);
    }
  }
  await publish(config, report, env);
}

/** A million runs' report is a few hundred MB; anything larger is not one of ours. */
const MAX_REPORT_BYTES = 512 * 1024 * 1024;

/** Fork-safe second half: post a report that an unprivileged run wrote. Runs nothing. */
async function postOnly(config: ActionConfig, env: NodeJS.ProcessEnv): Promise<void> {
  let data: unknown;
  try {
    // The file comes from an untrusted run: bound what is read before parsing it.
    const size = (await stat(config.reportPath!)).size;
    if (size > MAX_REPORT_BYTES) throw new Error(`it is ${size} bytes; a report is at most ${MAX_REPORT_BYTES}`);
    data = JSON.parse(await readFile(config.reportPath!, "utf8"));
  } catch (err) {
    throw new UsageError(`report: cannot read ${config.reportPath}: ${(err as Error).message}`);
  }
  // The report schema loads only here: a dry run need not build it.
  const { parseReport, ReportSchemaError } = await import("./report/schema.js");
  let report: Report;
  try {
    report = parseReport(data);
  } catch (err) {
    if (!(err instanceof ReportSchemaError)) throw err;
    throw new UsageError(`report: ${config.reportPath} is not a valid fal-jobs report: ${err.message}. Nothing was posted.`);
  }
  await publish(config, report, env, { writeReportFile: false });
}

/** Report file, outputs, summary, comment — then the verdict. */
async function publish(config: ActionConfig, report: Report, env: NodeJS.ProcessEnv, opts: { writeReportFile?: boolean } = {}): Promise<void> {
  const reportPath = opts.writeReportFile === false ? path.resolve(config.reportPath!) : await writeReport(config, report);
  for (const [name, value] of reportOutputs(report, reportPath)) setOutput(name, value);

  const summary = buildSummary(report);
  if (env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary.addRaw(summary, true).write();
    } catch (err) {
      core.warning(`could not write the job summary: ${(err as Error).message}`);
    }
  }
  await comment(config, report, env);

  log.info(`fal-jobs: ${report.mode === "run" ? `run finished; billed ${report.execution?.billed ?? "(not all known)"}` : report.verdict} — estimated $${report.totals.estimated}; budget ${report.budget.effective ? `$${report.budget.effective}` : "none"}`);
  for (const w of report.warnings) core.warning(w);
  if (!report.pass) core.setFailed(`fal-jobs: ${report.reasons.join("; ")}`);
}

async function comment(config: ActionConfig, report: Report, env: NodeJS.ProcessEnv): Promise<void> {
  if (config.comment === "off") return;
  const fromEvent = readRunContext(env).pr_number;
  const prNumber = fromEvent ?? (config.reportPath ? report.context?.pr_number : undefined);
  if (!prNumber) {
    log.info("not a pull request event: the report is in the job summary only");
    return;
  }
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!config.githubToken || !owner || !repo) {
    core.warning("cannot comment: no github-token or GITHUB_REPOSITORY");
    return;
  }
  await loadNetworkModules();
  const { githubCommentStore, pullRequestHeadIs } = await import("./adapters/github/comment-store.js");
  if (fromEvent === undefined && !(await reportTargetsTriggeringPr(pullRequestHeadIs, config.githubToken, owner, repo, prNumber, env))) return;
  const stamp = { runId: Number(env.GITHUB_RUN_ID) || 0, attempt: Number(env.GITHUB_RUN_ATTEMPT) || 1, at: new Date().toISOString() };
  try {
    const res = await postSticky(githubCommentStore({ token: config.githubToken, owner, repo, prNumber }), {
      marker: commentMarker(config.commentTag),
      body: buildCommentBody(report, config.commentTag, stamp),
      stamp,
      mode: config.comment,
    });
    if (res.action === "forbidden") {
      core.warning(
        `could not comment on PR #${prNumber}: the token may not write comments (${res.message}). ` +
          "On pull requests from forks the token is read-only: use the fork-safe workflow_run pattern from the README, " +
          "or grant `permissions: pull-requests: write` to this job. The job summary has the full report.",
      );
      return;
    }
    setOutput("comment-url", res.url);
    if (res.action === "skipped-stale") log.info(`PR comment left as is: a newer run (${res.newer.runId}, attempt ${res.newer.attempt}) already wrote it`);
    else log.info(`PR comment ${res.action}: ${res.url}`);
  } catch (err) {
    core.warning(`could not comment on PR #${prNumber}: ${(err as Error).message}`);
  }
}

/** The PR number came from a report file: comment only if that PR's head is the commit the workflow_run was for. */
async function reportTargetsTriggeringPr(
  pullRequestHeadIs: typeof import("./adapters/github/comment-store.js").pullRequestHeadIs,
  token: string, owner: string, repo: string, prNumber: number, env: NodeJS.ProcessEnv): Promise<boolean> {
  const headSha = readWorkflowRunHeadSha(env);
  if (!headSha) {
    core.warning(`not commenting on PR #${prNumber} named by the report: post-only mode comments only from a workflow_run event, whose head commit it checks`);
    return false;
  }
  try {
    if (await pullRequestHeadIs(token, owner, repo, prNumber, headSha)) return true;
    core.warning(`not commenting: PR #${prNumber} named by the report is not at ${headSha.slice(0, 12)}, the commit the workflow run was for`);
  } catch (err) {
    core.warning(`not commenting: could not check PR #${prNumber}: ${(err as Error).message}`);
  }
  return false;
}

function readWorkflowRunHeadSha(env: NodeJS.ProcessEnv): string | undefined {
  if (env.GITHUB_EVENT_NAME !== "workflow_run" || !env.GITHUB_EVENT_PATH) return undefined;
  try {
    const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")) as { workflow_run?: { head_sha?: string } };
    return event.workflow_run?.head_sha;
  } catch {
    return undefined;
  }
}

const REPORT_FILE = "fal-jobs-report.json";

/** Never through a symlink (output-dir may hold committed ones): see src/util/safe-fs.ts. */
async function writeReport(config: ActionConfig, report: Report): Promise<string> {
  const file = path.join(await prepareOutputDir(config.outputDir), REPORT_FILE);
  await writeFileNoFollow(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

/**
 * Outputs paid for need somewhere safe to go: a real run refuses to start when
 * output-dir is, or holds, a symlink, rather than failing to keep what it bought.
 */
async function checkOutputDirBeforeSpending(config: ActionConfig): Promise<void> {
  try {
    const root = await prepareOutputDir(config.outputDir);
    const links = await findSymlinks(root);
    if (links.length > 0) {
      const shown = links.map((l) => path.relative(process.cwd(), l) || l).join(", ");
      throw new UnsafePathError(`${shown} ${links.length === 1 ? "is a symbolic link" : "are symbolic links"} in output-dir: fal-jobs never writes through symlinks; remove ${links.length === 1 ? "it" : "them"} or choose another output-dir`);
    }
  } catch (err) {
    if (err instanceof UnsafePathError) throw new UnsafePathError(`${err.message}. Nothing was submitted.`);
    throw err;
  }
}

async function reportManifestError(err: ManifestError): Promise<void> {
  for (const issue of err.issues) {
    core.error(issue.path ? `${issue.path}: ${issue.message}` : issue.message, { title: "fal-jobs.yaml", file: issue.file, startLine: issue.line, startColumn: issue.column });
  }
  if (process.env.GITHUB_STEP_SUMMARY) {
    const lines = err.issues.map((i) => `- ${mdCode(`${i.file}:${i.line}:${i.column}`)} ${i.path ? `${mdCode(i.path)}: ` : ""}${mdText(i.message, 400)}`);
    await core.summary.addRaw(["### ❌ fal-jobs: invalid manifest", "", "Nothing was estimated or submitted. Fix these and push again:", "", ...lines, ""].join("\n"), true).write();
  }
  core.setFailed(`${err.file}: ${err.issues.length} problem(s); nothing was estimated or submitted.\n${err.issues.map(formatIssue).join("\n")}`);
}
