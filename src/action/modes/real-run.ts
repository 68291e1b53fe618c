import * as core from "@actions/core";
import { falEndpointsFromEnv } from "../../adapters/fal/endpoints.js";
import { UsageError } from "../../errors.js";
import { loadNetworkModules } from "../../shims/network.js";
import * as log from "../log.js";
import { setOutput } from "../outputs.js";
import { checkOutputDirBeforeSpending, writeReport } from "../output-dir.js";
import type { ModeInput, ModeResult } from "./mode.js";

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
    await writeReport(config.outputDir, report);
    const { uploadOutputs } = await import("../../adapters/artifact/upload.js");
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
  return { report };
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
