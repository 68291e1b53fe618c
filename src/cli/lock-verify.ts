import { UsageError } from "../errors.js";
import { readLockFile } from "../lock/read.js";
import { verifyLockFiles } from "../lock/verify.js";
import type { Command } from "./command.js";
import { writeLines } from "./io.js";

export const lockVerifyCommand: Command = {
  name: "lock verify",
  args: "<dir> [--lock FILE]",
  summary: "check downloaded outputs against the lock's sha256",
  description: "Checks every file the lock records against the folder: present, the same size, the same sha256.",
  positionals: { dir: "a downloaded outputs artifact (or the output folder of fal-jobs run)" },
  maxPositionals: 1,
  options: { lock: { type: "string", value: "FILE", help: "the lock (default fal-jobs.lock.json)" } },
  notes: ["Exit codes: 0 every file matches, 1 a file differs or is missing, 2 usage, 3 internal error."],
  async run({ values, positionals }) {
    if (positionals.length !== 1) throw new UsageError("lock verify takes one folder: a downloaded outputs artifact");
    const lockPath = (values.lock as string | undefined) ?? "fal-jobs.lock.json";
    const { lock, existed } = await readLockFile(lockPath);
    if (!existed) throw new UsageError(`no lock at ${lockPath} (pass --lock FILE)`);
    const result = await verifyLockFiles(lock, positionals[0]!);
    for (const p of result.problems) writeLines(process.stdout, `${p.file}: ${p.problem}`);
    writeLines(process.stdout, `${result.ok} file(s) match the lock, ${result.mismatched} differ, ${result.missing} missing from ${positionals[0]}`);
    return result.mismatched + result.missing > 0 ? 1 : 0;
  },
};
