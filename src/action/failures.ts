import * as core from "@actions/core";
import { UsageError } from "../errors.js";
import { ManifestError, formatIssue } from "../manifest/errors.js";
import { buildErrorReport } from "../report/error-report.js";
import type { ErrorReport, ReportContext } from "../report/model.js";
import { UnsafePathError } from "../util/safe-fs.js";
import { redactSecrets } from "../util/secret.js";

/**
 * How a run that could not produce an estimate ends: an invalid manifest as
 * annotations on its lines, a usage error as its message, anything else as an
 * internal error with its stack. Each also gets a report (failureReport), so
 * the job summary, the PR comment and `report-path` say what happened.
 */
export async function reportFailure(err: unknown): Promise<void> {
  if (err instanceof ManifestError) return reportManifestError(err);
  if (err instanceof UsageError || err instanceof UnsafePathError) return core.setFailed(err.message);
  core.setFailed(`fal-jobs: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
}

function reportManifestError(err: ManifestError): void {
  for (const issue of err.issues) {
    core.error(issue.path ? `${issue.path}: ${issue.message}` : issue.message, { title: err.what === "lock" ? "fal-jobs lock" : "fal-jobs.yaml", file: issue.file, startLine: issue.line, startColumn: issue.column });
  }
  core.setFailed(`${err.file}: ${err.issues.length} problem(s); nothing was estimated or submitted.\n${err.issues.map(formatIssue).join("\n")}`);
}

/** The error as a report. Its message goes into a PR comment: no stack, and no piece of a key or token. */
export function failureReport(err: unknown, manifestPath: string, context: ReportContext, secrets: ReadonlyArray<string | undefined>): ErrorReport {
  if (err instanceof ManifestError) {
    return buildErrorReport({ kind: err.what === "lock" ? "invalid-lock" : "invalid-manifest", message: err.message, issues: err.issues, manifestPath, context });
  }
  const message = redactSecrets(err instanceof Error ? err.message : String(err), secrets);
  const kind = err instanceof UsageError || err instanceof UnsafePathError ? "could-not-start" : "internal-error";
  return buildErrorReport({ kind, message, manifestPath, context });
}
