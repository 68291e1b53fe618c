import { stat } from "node:fs/promises";
import path from "node:path";
import * as core from "@actions/core";
import { JOURNAL_FILE } from "../run/journal.js";
import { loadNetworkModules } from "../shims/network.js";
import * as log from "./log.js";
import { STATE_FILES } from "./resume.js";

/**
 * The action's post step (action.yml `post:`, `post-if: always()`), the same
 * dist/index.js run again after the job's steps, even when the main step
 * failed or was cancelled. Its one job: when the main step of a real run
 * stopped before it uploaded the state a re-run resumes from (killed a few
 * seconds after a cancel, out of memory), upload what the journal holds, so
 * a re-run collects those requests instead of paying for them again. In
 * every other case it does nothing.
 *
 * The main step says which case it is through the runner's step state
 * (GITHUB_STATE, read back here as STATE_*).
 */

const PHASE = "phase";
const PENDING = "state-pending";

/** True in the post step: the main step marked its own phase. */
export function isPostStep(): boolean {
  return core.getState(PHASE) === "main";
}

/** Called first by the main step. Only with GITHUB_STATE: elsewhere (a local run) there is no post step to tell. */
export function markMainStep(env: NodeJS.ProcessEnv): void {
  if (env.GITHUB_STATE) core.saveState(PHASE, "main");
}

/** Before anything is submitted: if this step dies, the post step uploads `outputDir`'s state as `artifactName`'s. */
export function stateUploadPending(env: NodeJS.ProcessEnv, pending: { outputDir: string; artifactName: string } | null): void {
  if (env.GITHUB_STATE) core.saveState(PENDING, pending ? JSON.stringify({ ...pending, outputDir: path.resolve(pending.outputDir) }) : "");
}

export async function postStep(env: NodeJS.ProcessEnv): Promise<void> {
  let pending: { outputDir: string; artifactName: string };
  try {
    const text = core.getState(PENDING);
    if (!text) return;
    pending = JSON.parse(text) as typeof pending;
  } catch {
    return;
  }
  // No journal: nothing was submitted, nothing to resume.
  if (!(await stat(path.join(pending.outputDir, JOURNAL_FILE)).then((s) => s.isFile(), () => false))) return;
  await loadNetworkModules();
  const { uploadState } = await import("../adapters/artifact/state.js");
  const state = await uploadState(pending.artifactName, pending.outputDir, STATE_FILES, env);
  if (state.ok) log.info(`fal-jobs: the main step stopped before uploading what a re-run resumes from; uploaded it now as ${state.artifact.name}`);
  else core.warning(`fal-jobs: the main step stopped before uploading what a re-run resumes from, and the post step could not either (${state.error}): a re-run pays again for the requests it submitted and did not collect`);
}
