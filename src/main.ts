import * as core from "@actions/core";
import { readRunContext } from "./action/context.js";
import { failureReport, reportFailure } from "./action/failures.js";
import { configForFailureReport, readConfig } from "./action/inputs.js";
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
 * written before the step fails, for every outcome: a manifest that is not
 * valid, a run that could not start and an internal error publish a report
 * that says so. The environment is read here and passed on: nothing below
 * reads `process.env` by itself (`core.getInput` aside).
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
    // A bad input is an outcome too: the summary and the comment say so. Not in post-only mode, whose comment is
    // the report it was given, not this run's.
    if (!core.getInput("report")) await publishFailure(err, { config: configForFailureReport(env), context: readRunContext(env), env });
    core.setFailed(err instanceof Error ? err.message : String(err));
    return;
  }
  try {
    const mode: (input: ModeInput) => Promise<ModeResult> = input.config.reportPath ? postOnly : input.config.merge ? mergeMode : input.config.dryRun ? dryRun : realRun;
    const { report, existingReportPath } = await mode(input);
    await publish(input.config, report, input.context, env, existingReportPath);
  } catch (err) {
    await publishFailure(err, input);
    await reportFailure(err);
  }
}

/** The error's own report, published like any other; a failure to publish it must not hide the error itself. */
async function publishFailure(err: unknown, { config, context, env }: ModeInput): Promise<void> {
  try {
    const report = failureReport(err, config.manifest, context.report, [config.falKey, config.falAdminKey, config.githubToken]);
    await publish(config, report, context, env);
  } catch (publishErr) {
    core.warning(`could not write the report of this failure: ${(publishErr as Error).message}`);
  }
}
