import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { UsageError } from "../errors.js";
import { parseLock } from "../lock/read.js";
import type { Lock } from "../lock/schema.js";
import { JOURNAL_FILE, parseJournal } from "../run/journal.js";
import { planResume, type EarlierState, type ResumePlan } from "../run/resume.js";
import type { ArtifactResult } from "../adapters/artifact/upload.js";
import type { ActionConfig } from "./inputs.js";
import * as log from "./log.js";

/**
 * A re-run (GITHUB_RUN_ATTEMPT > 1) reads what earlier attempts of the same
 * workflow run recorded, before anything is estimated or submitted: their
 * state artifacts (journal and lock) become the ResumePlan the run flow
 * follows (run/resume.ts). State that exists but cannot be read stops the
 * step with nothing submitted: guessing would mean paying twice.
 */

/** The files of the state artifact, under output-dir. The lock and report names are the ones real-run.ts writes. */
export const STATE_FILES = [JOURNAL_FILE, "fal-jobs.lock.json", "fal-jobs-report.json"] as const;
const LOCK_FILE = STATE_FILES[1];

export async function readEarlierAttempts(config: ActionConfig, env: NodeJS.ProcessEnv): Promise<ResumePlan | undefined> {
  const attempt = Number(env.GITHUB_RUN_ATTEMPT || "1");
  if (!Number.isInteger(attempt) || attempt < 2) return undefined;
  if (!env.ACTIONS_RUNTIME_TOKEN || !env.ACTIONS_RESULTS_URL) {
    log.info(`resume: attempt ${attempt}, but not inside GitHub Actions (no artifact service): earlier attempts cannot be read`);
    return undefined;
  }
  const dest = await mkdtemp(path.join(env.RUNNER_TEMP || tmpdir(), "fal-jobs-state-"));
  try {
    const { downloadEarlierStates } = await import("../adapters/artifact/state.js");
    let found: Awaited<ReturnType<typeof downloadEarlierStates>>;
    try {
      found = await downloadEarlierStates(config.artifactName, attempt, dest, env, config.githubToken);
    } catch (err) {
      throw new UsageError(
        `this is attempt ${attempt} of the workflow run, but what earlier attempts recorded could not be read (${(err as Error).message}). Nothing was submitted, so nothing is paid twice: re-run again once the artifact service answers, or start a new workflow run (which does not resume: it pays again for what earlier attempts generated and did not lock)`,
      );
    }
    const states: EarlierState[] = [];
    for (const { attempt: n, dir } of found.states) states.push(await readState(n, dir, env.GITHUB_RUN_ID ?? "", found.outputs));
    const plan = planResume(states);
    log.info(
      plan.attempts.length === 0
        ? `resume: attempt ${attempt}; no earlier attempt left state to resume from`
        : `resume: attempt ${attempt}; read the state of attempt(s) ${plan.attempts.join(", ")}: ${plan.requests.size} request(s) to collect, ${plan.locks.reduce((n, l) => n + Object.keys(l.runs).length, 0)} lock entries`,
    );
    return plan;
  } finally {
    await rm(dest, { recursive: true, force: true });
  }
}

async function readState(attempt: string, dir: string, runId: string, outputs: ReadonlyMap<string, ArtifactResult>): Promise<EarlierState> {
  const journalText = await readFile(path.join(dir, JOURNAL_FILE), "utf8").catch(() => "");
  const { events, skipped } = parseJournal(journalText);
  if (skipped > 0) log.info(`resume: ${skipped} line(s) of attempt ${attempt}'s journal were not readable and were skipped`);
  const lockText = await readFile(path.join(dir, LOCK_FILE), "utf8").catch(() => null);
  let lock: Lock | null = null;
  if (lockText !== null) {
    lock = await parseLock(lockText, `${LOCK_FILE} (state of attempt ${attempt})`);
    linkOutputsArtifacts(lock, runId, outputs);
  }
  return { attempt, events, lock };
}

/**
 * The lock a run read, as the base of saving its lock to the branch, without
 * the runs only earlier attempts recorded: those are not on the branch yet
 * (the attempt that made them stopped before saving), so they count as added
 * by this run and are saved with it rather than dropped as unchanged.
 */
export function lockReadWithoutEarlierOnly(read: Lock, plan: ResumePlan | undefined, alsoRecorded: readonly Lock[]): Lock {
  if (!plan || plan.locks.length === 0) return read;
  const runs = { ...read.runs };
  for (const earlier of plan.locks) {
    for (const key of Object.keys(earlier.runs)) if (!alsoRecorded.some((l) => Object.hasOwn(l.runs, key))) delete runs[key];
  }
  return { ...read, runs };
}

/**
 * The lock in a state artifact was written before the outputs were uploaded,
 * so its own attempt's store names no artifact: the listing says whether
 * that upload succeeded, and which artifact holds the files.
 */
function linkOutputsArtifacts(lock: Lock, runId: string, outputs: ReadonlyMap<string, ArtifactResult>): void {
  for (const store of Object.values(lock.stores)) {
    if (store.artifact !== null || store.run_id !== runId) continue;
    const artifact = outputs.get(store.run_attempt);
    if (artifact) store.artifact = { ...artifact };
  }
}
