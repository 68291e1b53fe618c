import path from "node:path";
import type { AnyReport } from "../report/model.js";
import { jsonFilePieces } from "../util/json-pieces.js";
import { inShell } from "../util/shell.js";
import { findSymlinks, prepareOutputDir, UnsafePathError, writeFileNoFollow } from "../util/safe-fs.js";

/** Where the report goes, and the rule that nothing is written through a symlink (output-dir may hold committed ones). */

const REPORT_FILE = "fal-jobs-report.json";

export async function writeReport(outputDir: string, report: AnyReport): Promise<string> {
  const file = path.join(await prepareOutputDir(outputDir), REPORT_FILE);
  // In pieces: a run's report holds every run (a merged one 100,000, 120 MB pretty-printed).
  await writeFileNoFollow(file, jsonFilePieces(report, 2));
  return file;
}

/**
 * Outputs paid for need somewhere safe to go: a real run refuses to start when
 * output-dir is, or holds, a symlink, rather than failing to keep what it bought.
 */
export async function checkOutputDirBeforeSpending(outputDir: string): Promise<void> {
  try {
    const root = await prepareOutputDir(outputDir);
    const links = await findSymlinks(root);
    if (links.length > 0) {
      const shown = links.map((l) => path.relative(process.cwd(), l) || l).join(", ");
      throw new UnsafePathError(`${shown} ${links.length === 1 ? "is a symbolic link" : "are symbolic links"} in ${inShell({ action: "output-dir", cli: "the output folder (--out)" })}: fal-jobs never writes through symlinks; remove ${links.length === 1 ? "it" : "them"} or choose another ${inShell({ action: "output-dir", cli: "folder" })}`);
    }
  } catch (err) {
    if (err instanceof UnsafePathError) throw new UnsafePathError(`${err.message}. Nothing was submitted.`);
    throw err;
  }
}
