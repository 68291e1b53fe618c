import path from "node:path";
import { readFile, stat } from "node:fs/promises";
import { UsageError } from "../../errors.js";
import type { AnyReport } from "../../report/model.js";
import type { ModeInput, ModeResult } from "./mode.js";

/** A million runs' report is a few hundred MB; anything larger is not one of ours. */
const MAX_REPORT_BYTES = 512 * 1024 * 1024;

/**
 * The fork-safe second half: post a report that an unprivileged run wrote.
 * The file is untrusted, so it is bounded before it is read and parsed
 * against the report's schema before anything renders it. Runs nothing.
 */
export async function postOnly({ config }: ModeInput): Promise<ModeResult> {
  const file = config.reportPath!;
  let data: unknown;
  try {
    const size = (await stat(file)).size;
    if (size > MAX_REPORT_BYTES) throw new Error(`it is ${size} bytes; a report is at most ${MAX_REPORT_BYTES}`);
    data = JSON.parse(await readFile(file, "utf8"));
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
