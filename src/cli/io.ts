import { UsageError } from "../errors.js";
import { logLine } from "../util/log-line.js";
import { secretProblem } from "../util/secret.js";

/**
 * Text for people, line by line through logLine: `fal-jobs` often runs in a workflow step, where a line break in a
 * manifest value or a fal error would otherwise let that text issue runner commands.
 */
export function writeLines(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${text.split("\n").map(logLine).join("\n")}\n`);
}

/** A key from the environment without surrounding whitespace; a key damaged inside is refused, and not printed. */
export function keyFrom(env: NodeJS.ProcessEnv, name: "FAL_KEY" | "FAL_ADMIN_KEY"): string | undefined {
  const key = env[name]?.trim();
  if (!key) return undefined;
  const problem = secretProblem(key);
  const what = name === "FAL_KEY" ? "the fal key" : "the fal admin key";
  if (problem) throw new UsageError(`${what} (${name}) has ${problem} inside it, which no fal key has (damage from copying it?): fix it. It is not shown here; nothing was sent to fal.`);
  return key;
}
