import { UsageError } from "../errors.js";
import { mergeShards } from "../flows/merge-flow.js";
import { writeLockFile } from "../lock/write.js";
import { renderText } from "../report/text.js";
import { jsonFilePieces } from "../util/json-pieces.js";
import type { Command } from "./command.js";
import { writeFilePieces, writeLines, writePieces } from "./io.js";

export const mergeCommand: Command = {
  name: "merge",
  args: "<report glob>... [options]",
  summary: "combine a sharded run's shard reports into one report and lock",
  description:
    "Combines the reports of a real run split into shards (the action's `shard` input) into one report. It refuses reports\n" +
    "that do not belong together (another manifest, number of shards, workflow run or partition, or a shard twice).",
  positionals: { "report glob": "the shard reports: one or more globs such as 'reports/*.json'" },
  maxPositionals: Infinity,
  options: {
    lock: { type: "string", value: "FILE", help: "also write the one lock all shards made to FILE" },
    json: { type: "boolean", help: "print the merged report as JSON instead of text" },
    report: { type: "string", value: "FILE", help: "also write the merged report JSON to FILE" },
  },
  notes: ["Exit codes: 0 every shard done and within budget, 1 a shard missing or failed, 2 reports that do not belong together or usage, 3 internal error."],
  async run({ values, positionals }) {
    if (positionals.length === 0) throw new UsageError("merge takes the shard reports: one or more globs such as 'reports/*.json'");
    const lockPath = (values.lock as string | undefined) ?? null;
    const outcome = await mergeShards({ patterns: positionals, cwd: process.cwd(), lockPath });
    const report = outcome.report;
    if (outcome.lock && lockPath) {
      await writeLockFile(lockPath, outcome.lock);
      report.lock.written = lockPath;
    }
    // Compact, and written in pieces: a merged report holds every shard's runs (100,000 runs are 84 MB).
    if (values.report) writeFilePieces(values.report as string, jsonFilePieces(report));
    if (values.json) await writePieces(process.stdout, jsonFilePieces(report));
    else writeLines(process.stdout, renderText(report));
    return report.pass ? 0 : 1;
  },
};
