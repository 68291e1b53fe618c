import { glob, stat } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../errors.js";
import { readLockFile } from "../lock/read.js";
import { unionLocks } from "../lock/merge.js";
import type { Lock } from "../lock/schema.js";
import { ManifestError } from "../manifest/errors.js";
import { MergeRefused, mergeShardReports, type ShardFile } from "../report/merge.js";
import type { RunModeReport } from "../report/model.js";
import { readReportJson } from "../report/read-file.js";
import { parseReport, ReportSchemaError } from "../report/schema.js";

/**
 * The merge of a sharded batch, shared by the action (`merge`) and the CLI
 * (`fal-jobs merge`): the shard reports a glob finds, each checked against the
 * report's schema (they come from other jobs), combined (report/merge.ts), and
 * the locks the shards made beside them combined into one. Nothing is
 * estimated or submitted.
 */

export interface MergeRequest {
  /** A glob of shard report files (relative to `cwd`), or several. */
  patterns: string[];
  cwd: string;
  /** The workspace's lock, the one the shards started from: the merged lock is written there (null: lock off). */
  lockPath: string | null;
  now?: Date;
}

export interface MergeFlowOutcome {
  report: RunModeReport;
  /** The shards' locks combined; undefined when the lock is off or no shard made one. */
  lock?: Lock;
  /** The workspace's lock before the merge (what a three-way save compares with). */
  before?: { lock: Lock; digest: string | null };
}

export async function mergeShards(req: MergeRequest): Promise<MergeFlowOutcome> {
  const files = await findReports(req.patterns, req.cwd);
  if (files.length === 0) throw new UsageError(`merge: no file matches ${req.patterns.map((p) => `"${p}"`).join(", ")} (in ${req.cwd}): download the shards' report artifacts first (actions/download-artifact with pattern and merge-multiple: true)`);
  const shardFiles: ShardFile[] = [];
  for (const file of files) shardFiles.push({ file: path.relative(req.cwd, file) || file, report: await readShardReport(file) });
  let merged;
  try {
    merged = mergeShardReports(shardFiles, req.now);
  } catch (err) {
    if (err instanceof MergeRefused) throw new UsageError(`merge refused: ${err.message}. Nothing was merged.`);
    throw err;
  }
  const { report, used } = merged;
  if (req.lockPath === null) return { report };
  const locks: Lock[] = [];
  for (const { file, report: shard } of used) {
    const name = shard.shard!.lock_file;
    if (!name) continue;
    const lockFile = path.join(path.dirname(path.resolve(req.cwd, file)), path.basename(name));
    try {
      const read = await readLockFile(lockFile);
      if (!read.existed) throw new Error("the file is not there");
      locks.push(read.lock);
    } catch (err) {
      const why = err instanceof ManifestError ? err.message : (err as Error).message;
      report.reasons.push(`the lock shard ${shard.shard!.index} made (${name}, beside ${file}) could not be read (${why}): its runs are not in the merged lock, so the next run would pay for them again`);
      report.pass = false;
    }
  }
  const workspace = await readLockFile(req.lockPath);
  const before = { lock: workspace.lock, digest: workspace.digest };
  if (locks.length === 0) return { report, before };
  return { report, lock: unionLocks(locks[0]!, ...locks.slice(1)), before };
}

async function findReports(patterns: string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    for await (const file of glob(pattern, { cwd })) {
      const abs = path.resolve(cwd, file);
      if ((await stat(abs)).isFile()) found.add(abs);
    }
  }
  // Lock files may sit beside the reports (the shards' artifacts hold both): only reports are merged.
  return [...found].filter((f) => !path.basename(f).startsWith("fal-jobs.lock")).sort();
}

async function readShardReport(file: string): Promise<RunModeReport> {
  let data: unknown;
  try {
    data = await readReportJson(file);
  } catch (err) {
    throw new UsageError(`merge: cannot read ${file}: ${(err as Error).message}. Nothing was merged.`);
  }
  try {
    const report = parseReport(data);
    if (report.mode !== "run") throw new ReportSchemaError("mode", "is estimate: a shard that ran writes a run report (a shard whose estimate gate failed ran nothing)");
    return report;
  } catch (err) {
    if (!(err instanceof ReportSchemaError)) throw err;
    throw new UsageError(`merge: ${file} is not a shard's report: ${err.message}. Nothing was merged.`);
  }
}
