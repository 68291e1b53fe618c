import { TOOL_NAME, TOOL_VERSION } from "../version.js";
import { REPORT_SCHEMA, type ErrorReport, type ReportContext } from "./model.js";

/** The report of a run that stopped before anything was estimated: what went wrong, and where. */

export interface ErrorReportInput {
  kind: ErrorReport["error"]["kind"];
  message: string;
  issues?: ErrorReport["error"]["issues"];
  manifestPath: string;
  context?: ReportContext;
  now?: Date;
}

export function buildErrorReport(e: ErrorReportInput): ErrorReport {
  return {
    schema: REPORT_SCHEMA,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    generated_at: (e.now ?? new Date()).toISOString(),
    mode: "error",
    manifest: { path: e.manifestPath },
    pass: false,
    // Copied field by field: what the published report holds is the schema's, not whatever the caller carried.
    error: { kind: e.kind, message: e.message, issues: (e.issues ?? []).map(({ file, line, column, path, message }) => ({ file, line, column, path, message })) },
    ...(e.context && { context: e.context }),
  };
}
