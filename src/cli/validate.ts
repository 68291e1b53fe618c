import { loadManifestFile } from "../manifest/load.js";
import { buildPlan } from "../plan/expand.js";
import type { Command } from "./command.js";
import { MANIFEST_ARGUMENT } from "./estimate-options.js";
import { writeLines } from "./io.js";

export const validateCommand: Command = {
  name: "validate",
  args: "[manifest]",
  summary: "check the manifest: every problem, with its line and column",
  description: "Checks the manifest (schema, templates, matrix references, limits) without pricing it, and counts its jobs and runs.",
  positionals: MANIFEST_ARGUMENT,
  maxPositionals: 1,
  options: {},
  notes: ["Exit codes: 0 valid, 2 invalid (every problem on stderr, top to bottom) or usage, 3 internal error."],
  async run({ positionals }) {
    const file = positionals[0] ?? "fal-jobs.yaml";
    const plan = buildPlan(await loadManifestFile(file));
    writeLines(process.stdout, `${file}: valid — ${plan.jobs.length} job(s), ${plan.totalRuns} run(s)`);
    return 0;
  },
};
