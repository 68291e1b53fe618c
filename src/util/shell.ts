/**
 * Who reads the messages of this process: a workflow author (the action: settings are inputs in a workflow file)
 * or a person at a terminal (the CLI: settings are flags, arguments and environment variables). The engine's
 * messages name settings through here, so each says what its reader can change. Each entry point sets it once,
 * before anything runs; the action's wording is the default.
 */

export type Shell = "action" | "cli";

let current: Shell = "action";

export function speakAs(shell: Shell): void {
  current = shell;
}

/** The words that fit the shell in front of the reader. */
export function inShell(words: Record<Shell, string>): string {
  return words[current];
}

const SETTINGS = {
  manifest: { action: "the `manifest` input", cli: "the manifest's path (the argument after the command)" },
  budget: { action: "the `budget` input", cli: "--budget" },
  "fal-key": { action: "the `fal-key` input (or FAL_KEY)", cli: "FAL_KEY" },
  lock: { action: "the `lock` input", cli: "--lock" },
  "output-dir": { action: "output-dir", cli: "--out" },
  "allow-lower-prices": { action: "the `allow-lower-prices` input", cli: "--allow-lower-prices" },
  "price-source": { action: "price-source", cli: "--price-source" },
  "fail-on-increase": { action: "fail-on-increase", cli: "--fail-on-increase" },
} as const satisfies Record<string, Record<Shell, string>>;

/** A setting as its reader sets it: "the `budget` input" in the action, "--budget" on the command line. */
export function setting(name: keyof typeof SETTINGS): string {
  return SETTINGS[name][current];
}
