import path from "node:path";
import { writeLockFile } from "../lock/write.js";
import { textDigest } from "../lock/read.js";
import type { Lock } from "../lock/schema.js";
import type { RunModeReport } from "../report/model.js";

/**
 * Writes the updated lock to the workspace and a copy into the output folder
 * (so it travels in the artifact), and says in the report what changed. A
 * lock that cannot be written is a warning: the outputs are kept, but the
 * next run pays again for these runs unless the lock is restored.
 */
export async function writeRunLock(lock: { next: Lock; path: string }, report: RunModeReport, before: string | null, copyToOutputs: boolean): Promise<void> {
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
    report.lock.changed = textDigest(text) !== before;
  } catch (err) {
    report.lock.written = null;
    report.warnings.push(`the lock could not be written to ${lock.path} (${(err as Error).message}): the next run pays again for the runs this one generated`);
  }
}
