import { lstat, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "./command.js";
import { INIT_FILES } from "./init-files.js";
import { writeLines } from "./io.js";

export const initCommand: Command = {
  name: "init",
  args: "[dir] [--force]",
  summary: "write a starter manifest and the recommended workflows",
  description:
    "Writes fal-jobs.yaml (a commented starter manifest), .github/workflows/fal-cost.yml (the estimate on every pull\n" +
    "request, no key needed) and .github/workflows/fal-generate.yml (the real run on a push to main, under a\n" +
    "concurrency group, with the lock committed back) into dir. Existing files are left alone, and then nothing is\n" +
    "written, unless --force.",
  positionals: { dir: "the repository's root (default: the current folder)" },
  maxPositionals: 1,
  options: { force: { type: "boolean", help: "replace files that exist already" } },
  notes: ["Exit codes: 0 written, 1 a file exists already (nothing written), 2 usage, 3 internal error."],
  async run({ values, positionals }) {
    const dir = positionals[0] ?? ".";
    const targets = INIT_FILES.map(([rel, text]) => ({ rel, file: path.join(dir, rel), text }));
    const existing = [];
    for (const t of targets) {
      const st = await lstat(t.file).catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? null : Promise.reject(err)));
      if (st?.isSymbolicLink()) {
        writeLines(process.stderr, `fal-jobs: ${t.file} is a symbolic link; init never writes through one. Nothing was written.`);
        return 1;
      }
      if (st) existing.push(t.file);
    }
    if (existing.length > 0 && !values.force) {
      writeLines(process.stderr, `fal-jobs: ${existing.join(", ")} ${existing.length === 1 ? "exists" : "exist"} already. Nothing was written; pass --force to replace ${existing.length === 1 ? "it" : "them"}.`);
      return 1;
    }
    for (const t of targets) {
      await mkdir(path.dirname(t.file), { recursive: true });
      await writeFile(t.file, t.text);
    }
    const shown = (rel: string) => (dir === "." ? rel : path.join(dir, rel));
    writeLines(
      process.stdout,
      [
        `wrote ${targets.map((t) => shown(t.rel)).join(", ")}`,
        "",
        "Next:",
        `  fal-jobs estimate ${shown("fal-jobs.yaml")}    what the starter manifest costs (no key needed)`,
        `  fal-jobs run ${shown("fal-jobs.yaml")}         run it for real (FAL_KEY; shows the estimate and asks first)`,
        "  On GitHub: make the `fal cost` check required in branch protection, and create an environment named `fal`",
        "  holding the FAL_KEY secret for the `fal generate` workflow (Settings → Environments).",
      ].join("\n"),
    );
    return 0;
  },
};
