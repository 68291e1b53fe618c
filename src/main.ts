import * as core from "@actions/core";
import { readRunContext } from "./action/context.js";
import { reportFailure } from "./action/failures.js";
import { readConfig } from "./action/inputs.js";
import { dryRun } from "./action/modes/dry-run.js";
import type { ModeInput, ModeResult } from "./action/modes/mode.js";
import { postOnly } from "./action/modes/post-only.js";
import { realRun } from "./action/modes/real-run.js";
import { mergeMode } from "./action/modes/merge.js";
import { publish } from "./action/publish.js";
import { isPostStep, markMainStep, postStep } from "./action/post.js";

/**
 * The action: inputs → one mode → publish. Validation, the estimate and the
 * gate come before anything can be spent; the report, summary and comment are
 * written before the step fails. The environment is read here and passed on:
 * nothing below reads `process.env` by itself (`core.getInput` aside).
 *
 * The fal client, Octokit and the artifact client (most of the bundle) load
 * only in the modes that use them, so a dry run on a push starts fast.
 */
export async function run(): Promise<void> {
  const env = process.env;
  // action.yml runs this file again as the post step; it only uploads what a killed real run left (post.ts).
  if (isPostStep()) return postStep(env);
  markMainStep(env);
  let input: ModeInput;
  try {
    const config = readConfig(env);
    input = { config, context: readRunContext(env), env };
  } catch (err) {
    core.setFailed(err instanceof Error ? err.message : String(err));
    return;
  }
  try {
    const mode: (input: ModeInput) => Promise<ModeResult> = input.config.reportPath ? postOnly : input.config.merge ? mergeMode : input.config.dryRun ? dryRun : realRun;
    const { report, existingReportPath } = await mode(input);
    await publish(input.config, report, input.context, env, existingReportPath);
  } catch (err) {
    await reportFailure(err, env);
  }
}
