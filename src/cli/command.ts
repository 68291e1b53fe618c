import { parseArgs } from "node:util";
import { UsageError } from "../errors.js";
import { closest } from "../util/closest.js";

/**
 * One `fal-jobs` command: its help (written once, here, and printed by `--help` and `fal-jobs help <command>`),
 * its options as node:util's parseArgs reads them, and what it does.
 */

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** May be given more than once (its value is then a list). */
  multiple?: boolean;
  /** What the value is, in the help: `USD`, `FILE`. */
  value?: string;
  help: string;
}

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  /** The arguments after the name, as the synopsis shows them: `[manifest] [options]`. */
  args: string;
  /** One line for the command list. */
  summary: string;
  /** What it does, for its own help. */
  description: string;
  /** Positional arguments, for the help: name → meaning. */
  positionals?: Record<string, string>;
  maxPositionals: number;
  options: Record<string, OptionSpec>;
  /** Extra paragraphs for its help (notes, environment, exit codes). */
  notes?: string[];
  run(parsed: Parsed, env: NodeJS.ProcessEnv): Promise<number>;
}

const HELP_OPTION: OptionSpec = { type: "boolean", short: "h", help: "show this help" };

/** The command's arguments, or a UsageError that says what is wrong and, for an unknown option, what was meant. */
export function parseCommandArgs(command: Command, args: string[]): Parsed & { help: boolean } {
  const options = { ...command.options, help: HELP_OPTION };
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: Object.fromEntries(Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short && { short: o.short }), ...(o.multiple && { multiple: true }) }])) });
  } catch (err) {
    throw new UsageError(plainParseError(command, err as Error & { code?: string }, Object.keys(options)));
  }
  const { help, ...values } = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (help) return { values, positionals: parsed.positionals, help: true };
  if (parsed.positionals.length > command.maxPositionals) {
    const extra = parsed.positionals.slice(command.maxPositionals).map((p) => JSON.stringify(p)).join(" ");
    throw new UsageError(`${command.name} takes ${command.maxPositionals === 0 ? "no arguments" : `at most ${command.maxPositionals} argument${command.maxPositionals === 1 ? "" : "s"} (${command.args})`}; got ${extra} too`);
  }
  return { values, positionals: parsed.positionals, help: false };
}

/** parseArgs's messages in the CLI's words, with a did-you-mean for an unknown option. */
function plainParseError(command: Command, err: Error & { code?: string }, names: string[]): string {
  const unknown = /^Unknown option '(-{1,2})([^']*)'/.exec(err.message);
  if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && unknown) {
    const [, dashes, name] = unknown;
    const guess = closest(name!.split("=")[0]!, names);
    return `${command.name} has no option ${dashes}${name}${guess ? ` — did you mean --${guess}?` : ""} (see fal-jobs ${command.name} --help)`;
  }
  const missing = /^Option '(?:-\w, )?--([^ ']+) <value>' argument missing/.exec(err.message);
  if (missing) return `--${missing[1]} needs a value: --${missing[1]} ${command.options[missing[1]!]?.value ?? "VALUE"}`;
  const ambiguous = /^Option '(?:-\w, )?--([^ ']+)' argument is ambiguous/.exec(err.message);
  if (ambiguous) return `--${ambiguous[1]}'s value starts with "-": write it as --${ambiguous[1]}=VALUE`;
  const boolWithValue = /^Option '(?:-\w, )?--([^ ']+)' does not take an argument/.exec(err.message);
  if (boolWithValue) return `--${boolWithValue[1]} is a switch and takes no value`;
  return err.message;
}

/** `fal-jobs estimate --help`: synopsis, what it does, arguments, options, notes. */
export function commandHelp(command: Command): string {
  const out = [`Usage: fal-jobs ${command.name} ${command.args}`.trimEnd(), "", ...reflow(command.description)];
  const rows = (entries: Array<[string, string]>) => {
    const width = Math.max(...entries.map(([left]) => left.length));
    return entries.flatMap(([left, right]) => wrap(right, HELP_WIDTH - width - 4).map((text, i) => `  ${(i === 0 ? left : "").padEnd(width)}  ${text}`));
  };
  if (command.positionals && Object.keys(command.positionals).length > 0) out.push("", "Arguments:", ...rows(Object.entries(command.positionals)));
  const options = Object.entries({ ...command.options, help: HELP_OPTION }).map(([name, o]): [string, string] => [`${o.short ? `-${o.short}, ` : "    "}--${name}${o.value ? ` ${o.value}` : ""}`, o.help]);
  out.push("", "Options:", ...rows(options));
  for (const note of command.notes ?? []) out.push("", ...reflow(note));
  return out.join("\n");
}

/** Help lines stay readable in a terminal of 100 columns or more. */
const HELP_WIDTH = 100;

/** A paragraph written with line breaks anywhere, in lines of HELP_WIDTH. */
function reflow(text: string): string[] {
  return wrap(text.replaceAll("\n", " "), HELP_WIDTH);
}

/** Words in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}
