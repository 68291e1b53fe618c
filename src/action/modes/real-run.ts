import * as core from "@actions/core";
import { falEndpointsFromEnv } from "../../adapters/fal/endpoints.js";
import { UsageError } from "../../errors.js";
import { loadNetworkModules } from "../../shims/network.js";
import * as log from "../log.js";
import { setOutput } from "../outputs.js";
import { checkOutputDirBeforeSpending, writeReport } from "../output-dir.js";
import type { ModeInput, ModeResult } from "./mode.js";
import path from "node:path";
import { writeLockFile } from "../../lock/write.js";
import type { Lock } from "../../lock/schema.js";
import type { StoreRef } from "../../lock/update.js";
import type { RunModeReport } from "../../report/model.js";

/**
 * The paid run: the engine under a signal that SIGINT/SIGTERM (a cancelled
 * workflow) and the `deadline` abort, then the outputs uploaded as an
 * artifact. The report is written before the upload, so it is in the artifact.
 */
export async function realRun({ config, context, env }: ModeInput): Promise<ModeResult> {
  if (!config.falKey) {
    throw new UsageError("dry-run is false but there is no fal key: set the `fal-key` input (or FAL_KEY). Nothing was submitted.");
  }
  await checkOutputDirBeforeSpending(config.outputDir);
  const cancel = cancellation(config.deadlineMs);

  await loadNetworkModules();
  const { runManifest } = await import("../../flows/run-flow.js");
  log.startGroup("fal-jobs: running");
  let outcome: Awaited<ReturnType<typeof runManifest>>;
  try {
    outcome = await runManifest({
      manifestPath: config.manifest,
      budgetUsd: config.budgetUsd,
      priceSource: config.priceSource,
      allowLowerPrices: config.allowLowerPrices,
      lockPath: config.lockPath,
      budgetScope: config.budgetScope,
      store: storeOf(context),
      falKey: config.falKey,
      falAdminKey: config.falAdminKey,
      endpoints: falEndpointsFromEnv(env),
      context: context.report,
      outputDir: config.outputDir,
      billingTimeoutMs: config.billingTimeoutMs,
      signal: cancel.signal,
      log: log.info,
    });
  } finally {
    core.endGroup();
    cancel.dispose();
  }

  const report = outcome.report;
  // An estimate report here means the gate stopped the run: nothing to upload.
  if (report.mode === "run") {
    const lock = outcome.nextLock && config.lockPath ? { next: outcome.nextLock, path: config.lockPath, store: storeOf(context) } : undefined;
    // The lock goes to the workspace before the upload too: a step killed during the upload still leaves it.
    if (lock) await saveLock(lock, report, outcome.estimate.lock.text, true);
    await writeReport(config.outputDir, report);
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
        await saveLock(lock, report, outcome.estimate.lock.text, false);
      }
    } else {
      report.execution.artifact_error = upload.error;
      report.warnings.push(`outputs were not uploaded as an artifact: ${upload.error}; the files are in ${config.outputDir}`);
    }
  }
  return { report };
}

/** This workflow run attempt, where the lock says the files it adds are kept; null outside GitHub Actions. */
function storeOf(context: ModeInput["context"]): StoreRef | null {
  const { repository, run_id, run_attempt } = context.report;
  if (!repository || !run_id) return null;
  const attempt = run_attempt || "1";
  return { id: `${run_id}.${attempt}`, store: { repository, run_id, run_attempt: attempt, artifact: null } };
}

/**
 * Writes the updated lock to the workspace and a copy into the output folder
 * (so it travels in the artifact), and says in the report what changed. A
 * lock that cannot be written is a warning: the outputs are kept, but the
 * next run pays again for these runs unless the lock is restored.
 */
async function saveLock(lock: { next: Lock; path: string }, report: RunModeReport, before: string | null, copyToOutputs: boolean): Promise<void> {
  // No lock yet and nothing done: do not create an empty one.
  if (before === null && Object.keys(lock.next.runs).length === 0) {
    report.lock.changed = false;
    return;
  }
  try {
    const text = await writeLockFile(lock.path, lock.next);
    // The copy in the artifact cannot name the artifact it is in: its own store's `artifact` stays null there.
    if (copyToOutputs) await writeLockFile(path.join(report.execution.output_dir, "fal-jobs.lock.json"), lock.next);
    report.lock.written = lock.path;
    report.lock.changed = text !== before;
  } catch (err) {
    report.lock.written = null;
    report.warnings.push(`the lock could not be written to ${lock.path} (${(err as Error).message}): the next run pays again for the runs this one generated`);
  }
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
