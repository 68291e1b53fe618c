import * as core from "@actions/core";
import { falEndpointsFromEnv } from "../../adapters/fal/endpoints.js";
import { UsageError } from "../../errors.js";
import { ManifestError } from "../../manifest/errors.js";
import { loadNetworkModules } from "../../shims/network.js";
import * as log from "../log.js";
import { setOutput } from "../outputs.js";
import { checkOutputDirBeforeSpending, writeReport } from "../output-dir.js";
import { foldedRunLog } from "../run-log.js";
import { TEST_RETRY_BASE_MS, testRetryBaseMs } from "../test-seams.js";
import type { ModeInput, ModeResult } from "./mode.js";
import { baseSourceFor } from "../base-source.js";
import path from "node:path";
import { writeRunLock } from "../../flows/write-lock.js";
import type { Lock } from "../../lock/schema.js";
import type { StoreRef } from "../../lock/update.js";
import { pendingLocks, saveLockToBranch, type LockTarget } from "../save-lock.js";
import type { RunModeReport } from "../../report/model.js";
import { lockReadWithoutEarlierOnly, readEarlierAttempts, STATE_FILES } from "../resume.js";
import { stateUploadPending } from "../post.js";
import { shardFiles, uploadShardReport } from "../shard.js";

/**
 * The paid run: the engine under a signal that SIGINT/SIGTERM (a cancelled
 * workflow) and the `deadline` abort, then the outputs uploaded as an
 * artifact. The report is written before the upload, so it is in the artifact.
 */
export async function realRun({ config, context, env }: ModeInput): Promise<ModeResult> {
  if (!config.falKey) {
    throw new UsageError("dry-run is false but there is no fal key: set the `fal-key` input (or FAL_KEY). Nothing was submitted.");
  }
  const retryBaseMs = testRetryBaseMs(env);
  if (retryBaseMs !== undefined) log.info(`test seam ${TEST_RETRY_BASE_MS}: retries back off from ${retryBaseMs} ms`);
  await checkOutputDirBeforeSpending(config.outputDir);
  const cancel = cancellation(config.deadlineMs);

  await loadNetworkModules();
  // Before anything is spent: where the lock will be saved, and the locks recorded there already.
  const lockTarget = config.lockSave === "commit" ? await branchLockTarget(config, context, env) : undefined;
  const extraLocks = lockTarget ? await readBranchLocks(lockTarget) : [];
  // A re-run also reads what earlier attempts of this workflow run paid for (resume.ts).
  const resume = await readEarlierAttempts(config, env);
  // Should this step die before it uploads its state, the post step does (post.ts).
  stateUploadPending(env, { outputDir: config.outputDir, artifactName: config.artifactName });
  const { runManifest } = await import("../../flows/run-flow.js");
  const runLog = foldedRunLog("fal-jobs: running");
  let outcome: Awaited<ReturnType<typeof runManifest>>;
  try {
    outcome = await runManifest({
      manifestPath: config.manifest,
      budgetUsd: config.budgetUsd,
      priceSource: config.priceSource,
      allowLowerPrices: config.allowLowerPrices,
      discountPercent: config.discountPercent,
      lockPath: config.lockPath,
      budgetScope: config.budgetScope,
      extraLocks: [...extraLocks, ...(resume?.locks ?? [])],
      resume,
      shard: config.shard,
      base: baseSourceFor(config, context, env),
      failOnIncrease: config.failOnIncrease,
      store: storeOf(context, config),
      falKey: config.falKey,
      falAdminKey: config.falAdminKey,
      endpoints: falEndpointsFromEnv(env),
      context: context.report,
      outputDir: config.outputDir,
      billingTimeoutMs: config.billingTimeoutMs,
      retryBaseMs,
      signal: cancel.signal,
      log: runLog.line,
      progress: runLog.progress,
    });
  } finally {
    runLog.close();
    cancel.dispose();
  }

  const report = outcome.report;
  // An estimate report here means the gate stopped the run: nothing to upload.
  if (report.mode !== "run") stateUploadPending(env, null);
  if (report.mode === "run") {
    // A shard's lock goes beside its report, for the merge job: shards never write the workspace's lock.
    const shard = config.shard ? shardFiles(config.shard, env) : undefined;
    const lockFile = shard ? shard.lock : config.lockPath;
    const lock = outcome.nextLock && lockFile ? { next: outcome.nextLock, path: lockFile, store: storeOf(context, config) } : undefined;
    // The lock goes to the workspace before the upload too: a step killed during the upload still leaves it.
    if (lock) await writeRunLock(lock, report, outcome.estimate.lock.digest, true);
    await writeReport(config.outputDir, report);
    // The state a re-run resumes from goes first and on its own: it is small, and must not depend on the outputs'
    // upload (a cancelled step has seconds left; an outputs upload may be gigabytes, or fail).
    const { uploadState } = await import("../../adapters/artifact/state.js");
    const state = await uploadState(config.artifactName, config.outputDir, STATE_FILES, env);
    report.execution.state_artifact = state.ok ? state.artifact : null;
    if (state.ok) stateUploadPending(env, null);
    report.execution.state_artifact_error = state.ok ? null : state.error;
    if (!state.ok && env.ACTIONS_RUNTIME_TOKEN) report.warnings.push(`the state a re-run of this workflow resumes from was not uploaded (${state.error}): a re-run would pay again for what this run did not lock`);
    const { uploadOutputs } = await import("../../adapters/artifact/upload.js");
    const upload = await uploadOutputs(config.artifactName, config.outputDir, env);
    if (upload.ok) {
      report.execution.artifact = upload.artifact;
      setOutput("artifact-id", String(upload.artifact.id));
      setOutput("artifact-url", upload.artifact.url);
      log.info(`outputs uploaded as artifact ${upload.artifact.name} (${upload.artifact.url})`);
      const store = lock?.store && lock.next.stores[lock.store.id];
      if (lock && store) {
        store.artifact = upload.artifact;
        await writeRunLock(lock, report, outcome.estimate.lock.digest, false);
      }
    } else {
      report.execution.artifact_error = upload.error;
      report.warnings.push(`outputs were not uploaded as an artifact: ${upload.error}; the files are in ${config.outputDir}`);
    }
    if (shard && report.shard) {
      report.shard.lock_file = report.lock.written ? path.basename(report.lock.written) : null;
      await uploadShardReport(shard, report, config.shardReportArtifact!, env);
    }
    if (lock && lockTarget) await commitLock(lockTarget, lockReadWithoutEarlierOnly(outcome.estimate.lock.lock, resume, extraLocks), lock.next, report);
  }
  return { report };
}

async function readBranchLocks(target: LockTarget): Promise<Lock[]> {
  try {
    return await pendingLocks(target);
  } catch (err) {
    if (err instanceof ManifestError) throw err;
    throw new UsageError(`could not read the lock on ${target.branch} through the GitHub API (${(err as Error).message}): without it, runs it records could be paid for again. Nothing was submitted.`);
  }
}

export async function commitLock(target: LockTarget, base: Lock, next: Lock, report: RunModeReport): Promise<void> {
  const result = await saveLockToBranch(target, base, next, report.totals.runs);
  if (result.saved === "failed") {
    report.warnings.push(`the lock was not saved to ${target.branch} (${result.error}): the next run pays again for the runs this one generated unless ${report.lock.written ?? "the lock"} is committed`);
    return;
  }
  if (result.saved === "pull-request") {
    report.warnings.push(`${target.branch} is protected: the lock went to ${result.branch} and a pull request (${result.url}); runs read it until it is merged`);
    report.lock.saved = { to: "pull-request", ref: result.branch, url: result.url };
  } else if (result.saved === "committed") {
    report.lock.saved = { to: "branch", ref: `${target.branch}@${result.commitSha.slice(0, 12)}`, url: null };
  } else {
    report.lock.saved = { to: "unchanged", ref: target.branch, url: null };
  }
  log.info(`lock: ${result.saved === "pull-request" ? `pull request ${result.url}` : result.saved === "committed" ? `committed to ${target.branch} (${result.commitSha.slice(0, 12)})` : `already up to date on ${target.branch}`}`);
}

/** `lock-save: commit` needs a branch, a token and the lock's path in the repository; without them nothing is spent. */
export async function branchLockTarget(config: ModeInput["config"], context: ModeInput["context"], env: NodeJS.ProcessEnv): Promise<LockTarget> {
  const [owner, repo] = (context.report.repository ?? "").split("/");
  if (!context.branch) throw new UsageError("lock-save: commit needs a branch to commit to: run on push or workflow_dispatch (this run is not for a branch). Nothing was submitted.");
  if (!config.githubToken || !owner || !repo) throw new UsageError("lock-save: commit needs the github-token input (with contents: write) and GITHUB_REPOSITORY. Nothing was submitted.");
  if (!config.lockPath) throw new UsageError("lock-save: commit needs a lock (the `lock` input is off). Nothing was submitted.");
  const root = env.GITHUB_WORKSPACE ?? process.cwd();
  const repoPath = path.relative(root, path.resolve(config.lockPath)).split(path.sep).join("/");
  if (repoPath.startsWith("../") || path.isAbsolute(repoPath)) throw new UsageError(`lock-save: commit needs the lock inside the repository (got ${config.lockPath}). Nothing was submitted.`);
  const { githubBranchFiles } = await import("../../adapters/github/lock-branch.js");
  return { files: githubBranchFiles({ token: config.githubToken, owner, repo, baseUrl: env.GITHUB_API_URL }), branch: context.branch, path: repoPath };
}

/** This workflow run attempt, where the lock says the files it adds are kept; null outside GitHub Actions. */
function storeOf(context: ModeInput["context"], config: Pick<ModeInput["config"], "shard">): StoreRef | null {
  const { repository, run_id, run_attempt } = context.report;
  if (!repository || !run_id) return null;
  const attempt = run_attempt || "1";
  // Each shard keeps its files in its own artifact: one store per shard.
  const shard = config.shard ? `.${config.shard.index}-of-${config.shard.total}` : "";
  return { id: `${run_id}.${attempt}${shard}`, store: { repository, run_id, run_attempt: attempt, artifact: null } };
}

/** Aborted by SIGINT/SIGTERM or when the deadline passes; the fal requests in flight are then cancelled. */
function cancellation(deadlineMs: number | undefined): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    core.warning(`received ${sig}: cancelling fal requests, then writing the report`);
    controller.abort(new Error(`received ${sig}`));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const deadline = deadlineMs ? setTimeout(() => controller.abort(new Error(`deadline of ${Math.round(deadlineMs / 1000)} s reached`)), deadlineMs) : undefined;
  deadline?.unref();
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(deadline);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
