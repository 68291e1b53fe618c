import { UsageError } from "../errors.js";
import { ManifestError, countProblems, formatIssue } from "../manifest/errors.js";
import { closest } from "../util/closest.js";
import { speakAs } from "../util/shell.js";
import { TOOL_VERSION } from "../version.js";
import { commandHelp, parseCommandArgs, type Command } from "./command.js";
import { EXIT_CODES, estimateCommand } from "./estimate.js";
import { initCommand } from "./init.js";
import { writeLines } from "./io.js";
import { lockVerifyCommand } from "./lock-verify.js";
import { catalogUpdateCommand } from "./catalog-update.js";
import { mergeCommand } from "./merge.js";
import { modelsCommand } from "./models.js";
import { runCommand } from "./run.js";
import { schemaCommand } from "./schema.js";
import { validateCommand } from "./validate.js";

/**
 * fal-jobs: the action's engine on a terminal. Each command's help is written once, with the command
 * (command.ts); `fal-jobs <command> --help` and `fal-jobs help <command>` print it.
 */

const COMMANDS: Command[] = [estimateCommand, runCommand, mergeCommand, validateCommand, modelsCommand, initCommand, lockVerifyCommand, catalogUpdateCommand, schemaCommand];

function usage(): string {
  const synopses = COMMANDS.map((c) => [`fal-jobs ${c.name} ${c.args}`, c.summary]);
  synopses.push(["fal-jobs help [command]", "a command's options (or fal-jobs <command> --help)"]);
  const width = Math.max(...synopses.map(([s]) => s!.length));
  return [
    `fal-jobs ${TOOL_VERSION} — estimate, budget-gate and run fal.ai batch jobs`,
    "",
    "Usage:",
    ...synopses.map(([s, what]) => `  ${s!.padEnd(width)}  ${what}`),
    "",
    "manifest defaults to fal-jobs.yaml. A fal key (FAL_KEY) enables live prices, and is needed to run.",
    "--budget sets a budget or lowers the manifest's: with both, the smaller applies (it can never raise the manifest's).",
    `${EXIT_CODES} Each command's --help gives its own.`,
  ].join("\n");
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Messages from the engine name flags and arguments, not the action's inputs.
  speakAs("cli");
  const [first, ...rest] = argv;
  let command: Command | undefined;
  try {
    switch (first) {
      case undefined:
        process.stdout.write(`${usage()}\n`);
        return 2;
      case "--help":
      case "-h":
        process.stdout.write(`${usage()}\n`);
        return 0;
      case "--version":
      case "-v":
        process.stdout.write(`${TOOL_VERSION}\n`);
        return 0;
      case "help": {
        if (rest.length === 0) {
          process.stdout.write(`${usage()}\n`);
          return 0;
        }
        process.stdout.write(`${commandHelp(findCommand(rest).command)}\n`);
        return 0;
      }
    }
    const found = findCommand(argv);
    command = found.command;
    const parsed = parseCommandArgs(command, found.args);
    if (parsed.help) {
      process.stdout.write(`${commandHelp(command)}\n`);
      return 0;
    }
    return await command.run(parsed, env);
  } catch (err) {
    if (err instanceof ManifestError) {
      for (const issue of err.issues) writeLines(process.stderr, formatIssue(issue));
      writeLines(process.stderr, `${countProblems(err.issues.length)} in ${err.file}; nothing was estimated or run.`);
      return 2;
    }
    if (err instanceof UsageError || (err as Error).name === "UnsafePathError") {
      writeLines(process.stderr, `fal-jobs: ${(err as Error).message}`);
      const hint = command ? `Usage: fal-jobs ${command.name} ${command.args} (fal-jobs ${command.name} --help for more)` : "fal-jobs --help lists the commands.";
      process.stderr.write(`${hint}\n`);
      return 2;
    }
    throw err;
  }
}

/** The command `words` start with (`lock verify` is two words), or a UsageError with a did-you-mean. */
function findCommand(words: string[]): { command: Command; args: string[] } {
  for (const command of COMMANDS) {
    const name = command.name.split(" ");
    if (name.every((w, i) => words[i] === w)) return { command, args: words.slice(name.length) };
  }
  const [first, second] = words;
  if (first === "lock" && (second === "--help" || second === "-h")) return { command: lockVerifyCommand, args: [second] };
  if (first === "lock") throw new UsageError(`lock takes verify (got ${second === undefined ? "nothing" : `"${second}"`}): fal-jobs lock verify <dir>`);
  const guess = closest(first!, COMMANDS.map((c) => c.name.split(" ")[0]!));
  throw new UsageError(`unknown command "${first}"${guess ? ` — did you mean ${guess}?` : ""}`);
}
