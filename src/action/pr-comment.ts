import * as core from "@actions/core";
import { commentMarker } from "../comment/marker.js";
import { postSticky } from "../comment/sticky.js";
import { buildCommentBody } from "../report/comment.js";
import { changesCost } from "../report/base-diff.js";
import { figuresDigest } from "../report/figures.js";
import type { AnyReport } from "../report/model.js";
import { loadNetworkModules } from "../shims/network.js";
import type { RunContext } from "./context.js";
import type { ActionConfig } from "./inputs.js";
import * as log from "./log.js";
import { setOutput } from "./outputs.js";

/**
 * Where the comment goes, and posting it. The PR comes from the event; in
 * post-only mode (a workflow_run job) it may come from the report file, which
 * an untrusted run wrote, so it is used only if that PR's head is the commit
 * the workflow run was for. A failure to comment never fails the step.
 */
export async function commentOnPullRequest(config: ActionConfig, report: AnyReport, context: RunContext, env: NodeJS.ProcessEnv): Promise<void> {
  if (config.comment === "off") return;
  const fromReport = config.reportPath ? report.context?.pr_number : undefined;
  // A real run on a push (the merge of a pull request) reports estimated against billed on the pull request it came from.
  const afterMerge = context.prNumber === undefined && fromReport === undefined && report.mode === "run" && context.pushSha !== undefined;
  if (!context.prNumber && !fromReport && !afterMerge) {
    log.info("not a pull request event: the report is in the job summary only");
    return;
  }
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!config.githubToken || !owner || !repo) {
    core.warning("cannot comment: no github-token or GITHUB_REPOSITORY");
    return;
  }
  await loadNetworkModules();
  const { githubCommentStore, pullRequestHeadIs, pullRequestOfCommit } = await import("../adapters/github/comment-store.js");
  const prNumber = context.prNumber ?? fromReport ?? (await mergedPullRequest(pullRequestOfCommit, config.githubToken, owner, repo, context.pushSha!, env.GITHUB_API_URL));
  if (!prNumber) return;
  const target = { token: config.githubToken, owner, repo, prNumber };
  // A PR named by the report (post-only mode) is trusted only for the workflow_run it came from; one GitHub named for the pushed commit is.
  if (context.prNumber === undefined && !afterMerge && !(await reportTargetsTriggeringPr(pullRequestHeadIs, target, context.workflowRunHeadSha))) return;

  const stamp = { runId: Number(env.GITHUB_RUN_ID) || 0, attempt: Number(env.GITHUB_RUN_ATTEMPT) || 1, at: new Date().toISOString() };
  try {
    const res = await postSticky(githubCommentStore(target), {
      marker: commentMarker(config.commentTag),
      body: buildCommentBody(report, config.commentTag, stamp),
      stamp,
      mode: config.comment,
      figures: figuresDigest(report),
      // on-change: a pull request that leaves every figure as it is at the base gets no comment, unless its check fails.
      worthFirstComment: !report.pass || changesCost(report) !== false,
    });
    if (res.action === "forbidden") {
      core.warning(
        `could not comment on PR #${prNumber}: the token may not write comments (${res.message}). ` +
          "On pull requests from forks the token is read-only: use the fork-safe workflow_run pattern from the README, " +
          "or grant `permissions: pull-requests: write` to this job. The job summary has the full report.",
      );
      return;
    }
    if (res.action === "not-needed") {
      log.info("no PR comment: this pull request does not change the estimate (comment: on-change)");
      return;
    }
    setOutput("comment-url", res.url);
    if (res.action === "skipped-stale") log.info(`PR comment left as is: a newer run (${res.newer.runId}, attempt ${res.newer.attempt}) already wrote it`);
    else log.info(`PR comment ${res.action}: ${res.url}`);
  } catch (err) {
    core.warning(`could not comment on PR #${prNumber}: ${(err as Error).message}`);
  }
}

type HeadCheck = typeof import("../adapters/github/comment-store.js").pullRequestHeadIs;

/** The PR number came from a report file: comment only if that PR's head is the commit the workflow_run was for. */
async function reportTargetsTriggeringPr(
  pullRequestHeadIs: HeadCheck,
  target: { token: string; owner: string; repo: string; prNumber: number },
  headSha: string | undefined,
): Promise<boolean> {
  const { token, owner, repo, prNumber } = target;
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

/** The pull request a pushed commit was merged from, or undefined (said in the log: the summary has the report). */
async function mergedPullRequest(find: (token: string, owner: string, repo: string, sha: string, baseUrl?: string) => Promise<number | undefined>, token: string, owner: string, repo: string, sha: string, baseUrl: string | undefined): Promise<number | undefined> {
  try {
    const pr = await find(token, owner, repo, sha, baseUrl);
    if (pr === undefined) log.info(`no pull request merged as commit ${sha.slice(0, 12)}: the report is in the job summary only`);
    else log.info(`commit ${sha.slice(0, 12)} came from pull request #${pr}: the run's comment goes there`);
    return pr;
  } catch (err) {
    core.warning(`could not ask GitHub which pull request commit ${sha.slice(0, 12)} came from (${(err as Error).message}); the job summary has the report`);
    return undefined;
  }
}

