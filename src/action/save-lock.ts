import path from "node:path";
import type { BranchFiles } from "../adapters/github/lock-branch.js";
import { mergeLocks } from "../lock/merge.js";
import { parseLock } from "../lock/read.js";
import { emptyLock, type Lock } from "../lock/schema.js";
import { serializeLock } from "../lock/serialize.js";

/**
 * `lock-save: commit`: the lock goes back to the branch the run was for,
 * through the contents API with the file's blob sha as precondition. When
 * another run changed it meanwhile the write is refused, the branch's lock
 * is read again and merged (lock/merge.ts), and the write retried: no run's
 * entries are lost. A protected branch refuses the write: the lock then goes
 * to `fal-jobs/lock/<branch>` and a pull request into the branch, and later
 * runs read that pending lock too (pendingLocks), so nothing is paid twice
 * while the pull request waits for review.
 */

const ATTEMPTS = 5;

export interface LockTarget {
  files: BranchFiles;
  branch: string;
  /** The lock's path in the repository (forward slashes). */
  path: string;
}

export type SaveOutcome =
  | { saved: "unchanged"; branch: string }
  | { saved: "committed"; branch: string; commitSha: string }
  | { saved: "pull-request"; branch: string; url: string }
  | { saved: "failed"; error: string };

const pendingBranch = (branch: string) => `fal-jobs/lock/${branch}`;

export async function saveLockToBranch(target: LockTarget, base: Lock, ours: Lock, newRuns: number): Promise<SaveOutcome> {
  const message = `fal-jobs: lock ${newRuns} new run(s) [skip ci]`;
  try {
    const direct = await casWrite(target.files, target.branch, target.path, base, ours, message);
    if (direct.status !== "protected") return direct.status === "conflict" ? gaveUp(target.branch) : done(direct, target.branch);
    const pending = pendingBranch(target.branch);
    if ((await target.files.head(pending)) === null) {
      const head = await target.files.head(target.branch);
      if (!head) return { saved: "failed", error: `branch ${target.branch} not found` };
      await target.files.createBranch(pending, head);
    }
    const viaPull = await casWrite(target.files, pending, target.path, base, ours, message);
    if (viaPull.status === "conflict") return gaveUp(pending);
    if (viaPull.status === "protected") return { saved: "failed", error: `${target.branch} and ${pending} both refused the lock: ${viaPull.message}` };
    const url = await target.files.ensurePull(
      pending,
      target.branch,
      `fal-jobs: update ${path.posix.basename(target.path)}`,
      `The lock of fal.ai runs already generated and paid for, updated by workflow runs on \`${target.branch}\`, which is protected. Merge this so runs that start from \`${target.branch}\` see it; until then they read this branch's lock too and pay for nothing twice.`,
    );
    return { saved: "pull-request", branch: pending, url };
  } catch (err) {
    return { saved: "failed", error: (err as Error).message };
  }
}

type CasResult = { status: "unchanged" } | { status: "written"; commitSha: string } | { status: "conflict" } | { status: "protected"; message: string };

async function casWrite(files: BranchFiles, branch: string, file: string, base: Lock, ours: Lock, message: string): Promise<CasResult> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const remote = await files.read(branch, file);
    const theirs = remote ? await parseLock(remote.text, `${branch}:${file}`) : emptyLock();
    const text = serializeLock(mergeLocks(base, ours, theirs));
    if (remote?.text === text) return { status: "unchanged" };
    const result = await files.write(branch, file, text, remote?.sha ?? null, message);
    if (result.status !== "conflict") return result;
  }
  return { status: "conflict" };
}

function done(r: { status: "unchanged" } | { status: "written"; commitSha: string }, branch: string): SaveOutcome {
  return r.status === "unchanged" ? { saved: "unchanged", branch } : { saved: "committed", branch, commitSha: r.commitSha };
}

function gaveUp(branch: string): SaveOutcome {
  return { saved: "failed", error: `the lock on ${branch} changed ${ATTEMPTS} times while saving; use a \`concurrency:\` group so runs take turns` };
}

/**
 * Locks a run must honour besides the workspace's: the branch's own (newer
 * than the checkout when the workflow checked out an older commit) and the
 * pending one of a protected branch. A lock that cannot be read there is an
 * error: ignoring it would mean paying again.
 */
export async function pendingLocks(target: LockTarget): Promise<Lock[]> {
  const locks: Lock[] = [];
  for (const branch of [target.branch, pendingBranch(target.branch)]) {
    const remote = await target.files.read(branch, target.path);
    if (remote) locks.push(await parseLock(remote.text, `${branch}:${target.path}`));
  }
  return locks;
}
