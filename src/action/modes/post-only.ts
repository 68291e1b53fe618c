import path from "node:path";
import { UsageError } from "../../errors.js";
import type { AnyReport } from "../../report/model.js";
import { readReportJson } from "../../report/read-file.js";
import type { ModeInput, ModeResult } from "./mode.js";

/**
 * The fork-safe second half: post a report that an unprivileged run wrote.
 * The file is untrusted, so it is bounded before it is read and parsed
 * against the report's schema before anything renders it. Runs nothing.
 */
export async function postOnly({ config }: ModeInput): Promise<ModeResult> {
  const file = config.reportPath!;
  let data: unknown;
  try {
    data = await readReportJson(file);
  } catch (err) {
    throw new UsageError(`report: cannot read ${file}: ${(err as Error).message}`);
  }
  // The report schema loads only here: a dry run need not build it.
  const { parseReport, ReportSchemaError } = await import("../../report/schema.js");
  let report: AnyReport;
  try {
    report = parseReport(data);
  } catch (err) {
    if (!(err instanceof ReportSchemaError)) throw err;
    throw new UsageError(`report: ${file} is not a valid fal-jobs report: ${err.message}. Nothing was posted.`);
  }
  return { report, existingReportPath: path.resolve(file) };
}
