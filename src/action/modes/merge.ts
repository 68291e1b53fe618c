import { writeLockFile } from "../../lock/write.js";
import { textDigest } from "../../lock/read.js";
import type { ModeInput, ModeResult } from "./mode.js";
import { branchLockTarget, commitLock } from "./real-run.js";

/**
 * The job after a sharded batch (`merge`): the shards' reports combined into
 * one report (flows/merge-flow.ts), which then gets the summary, the one
 * sticky comment and the outputs like any run's, and the one lock all shards
 * made, written to the workspace and, with `lock-save: commit`, to the branch.
 * Runs nothing at fal.
 */
export async function mergeMode({ config, context, env }: ModeInput): Promise<ModeResult> {
  const { mergeShards } = await import("../../flows/merge-flow.js");
  const root = env.GITHUB_WORKSPACE ?? process.cwd();
  const outcome = await mergeShards({ patterns: config.merge!.split(/\r?\n/).map((p) => p.trim()).filter(Boolean), cwd: root, lockPath: config.lockPath });
  const report = outcome.report;
  report.execution.output_dir = config.outputDir;
  if (outcome.lock && config.lockPath) {
    try {
      const text = await writeLockFile(config.lockPath, outcome.lock);
      report.lock.written = config.lockPath;
      report.lock.changed = textDigest(text) !== (outcome.before?.digest ?? null);
    } catch (err) {
      report.warnings.push(`the merged lock could not be written to ${config.lockPath} (${(err as Error).message}): the next run pays again for the runs the shards generated`);
    }
    if (config.lockSave === "commit" && outcome.before) {
      const { loadNetworkModules } = await import("../../shims/network.js");
      await loadNetworkModules();
      await commitLock(await branchLockTarget(config, context, env), outcome.before.lock, outcome.lock, report);
    }
  }
  return { report };
}
