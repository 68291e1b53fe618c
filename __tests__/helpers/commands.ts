/**
 * What the Actions runner would execute in a step's output. It reads stdout
 * and stderr line by line (CR, LF or CRLF end a line) and treats a line as a
 * command when, after trimming leading whitespace, it starts with `::name…::`
 * (actions/runner ActionCommand.TryParseV2), or, failing that, when `##[name…]`
 * appears anywhere in it (the legacy form, ActionCommand.TryParse).
 */

export interface RunnerCommand {
  line: string;
  form: "v2" | "legacy";
  name: string;
  data: string;
}

export function runnerLines(output: string): string[] {
  return output.split(/\r\n|\r|\n/);
}

export function runnerCommands(output: string): RunnerCommand[] {
  const out: RunnerCommand[] = [];
  for (const line of runnerLines(output)) {
    // Leading format characters (zero-width space, BOM…) count as ignorable here, as they may in the runner's
    // culture-sensitive StartsWith.
    const trimmed = line.replace(/^[\s\p{Cf}\p{Cc}]+/u, "");
    const v2 = /^::([^\s:]*)(?: [^:]*)?::(.*)$/s.exec(trimmed);
    if (v2) {
      out.push({ line, form: "v2", name: v2[1]!, data: v2[2]! });
      continue;
    }
    const legacy = /##\[([^\s\]]*)[^\]]*\](.*)$/s.exec(line);
    if (legacy) out.push({ line, form: "legacy", name: legacy[1]!, data: legacy[2]! });
  }
  return out;
}
