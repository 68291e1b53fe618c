import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ShardSpec } from "../plan/partition.js";
import type { RunModeReport } from "../report/model.js";
import { writeFileNoFollow } from "../util/safe-fs.js";
import * as log from "./log.js";

/**
 * What a shard hands to the merge job: its report and the lock it made, as a
 * small artifact of their own (`{artifact-name}-report-{i}-of-{N}-attempt-{k}`),
 * so the merge job downloads kilobytes, not the outputs. The files' names carry
 * the shard and the attempt, so `merge-multiple: true` puts every shard's (and
 * every re-run's) side by side in one folder.
 */

export interface ShardFiles {
  dir: string;
  report: string;
  lock: string;
}

export function shardFiles(spec: ShardSpec, env: NodeJS.ProcessEnv): ShardFiles {
  const label = `${spec.index}-of-${spec.total}-attempt-${env.GITHUB_RUN_ATTEMPT || "1"}`;
  const dir = path.join(env.RUNNER_TEMP || os.tmpdir(), `fal-jobs-shard-${label}-${process.pid}`);
  return { dir, report: path.join(dir, `fal-jobs-report-${label}.json`), lock: path.join(dir, `fal-jobs.lock-${label}.json`) };
}

/** Writes the shard's report beside its lock and uploads both; failure is a warning in the report, and the merge will miss this shard. */
export async function uploadShardReport(files: ShardFiles, report: RunModeReport, artifactName: string, env: NodeJS.ProcessEnv): Promise<void> {
  await mkdir(files.dir, { recursive: true });
  // Compact: only the merge reads it, and a shard of a big batch has tens of thousands of runs.
  await writeFileNoFollow(files.report, `${JSON.stringify(report)}\n`);
  const { uploadOutputs } = await import("../adapters/artifact/upload.js");
  const upload = await uploadOutputs(artifactName, files.dir, env);
  if (upload.ok) log.info(`shard report uploaded as artifact ${upload.artifact.name}, for the merge job`);
  else report.warnings.push(`the shard's report was not uploaded as an artifact (${upload.error}): the merge job will count this shard as missing`);
}
