import * as core from "@actions/core";
import { UsageError } from "../errors.js";
import { ManifestError, formatIssue } from "../manifest/errors.js";
import { mdCode, mdText } from "../report/escape.js";
import { UnsafePathError } from "../util/safe-fs.js";

/**
 * How a run that could not produce a report ends: an invalid manifest as
 * annotations on its lines (and in the job summary), a usage error as its
 * message, anything else as an internal error with its stack.
 */
export async function reportFailure(err: unknown, env: NodeJS.ProcessEnv): Promise<void> {
  if (err instanceof ManifestError) return reportManifestError(err, env);
  if (err instanceof UsageError || err instanceof UnsafePathError) return core.setFailed(err.message);
  core.setFailed(`fal-jobs: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
}

async function reportManifestError(err: ManifestError, env: NodeJS.ProcessEnv): Promise<void> {
  for (const issue of err.issues) {
    core.error(issue.path ? `${issue.path}: ${issue.message}` : issue.message, { title: err.what === "lock" ? "fal-jobs lock" : "fal-jobs.yaml", file: issue.file, startLine: issue.line, startColumn: issue.column });
  }
  if (env.GITHUB_STEP_SUMMARY) {
    const lines = err.issues.map((i) => `- ${mdCode(`${i.file}:${i.line}:${i.column}`)} ${i.path ? `${mdCode(i.path)}: ` : ""}${mdText(i.message, 400)}`);
    await core.summary.addRaw([`### ❌ fal-jobs: invalid ${err.what}`, "", "Nothing was estimated or submitted. Fix these and push again:", "", ...lines, ""].join("\n"), true).write();
  }
  core.setFailed(`${err.file}: ${err.issues.length} problem(s); nothing was estimated or submitted.\n${err.issues.map(formatIssue).join("\n")}`);
}
