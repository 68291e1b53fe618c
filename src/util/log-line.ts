/**
 * One line of log text that the GitHub Actions runner will show, never run.
 *
 * The runner splits a step's output at CR, LF or CRLF and executes a line as a
 * workflow command when, after trimming leading whitespace, it starts with
 * `::name…::` (ActionCommand.TryParseV2), or when `##[name…]` occurs anywhere
 * in it (the legacy form, ActionCommand.TryParse). Run ids (matrix values),
 * fal's error text and report fields are untrusted, so:
 * - CR and LF become the visible escapes `\r` and `\n`: one call, one line;
 * - other control, separator and invisible (format, default-ignorable)
 *   characters become `\u{…}`: the runner compares culture-sensitively, where
 *   such characters may be skipped, so none may hide inside `::` or `##[`;
 * - `##[` becomes `##\[`, and a line whose first visible character is `:`
 *   gets a `\` before it.
 */
export function logLine(text: string): string {
  let s = String(text).replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu, escapeChar);
  s = s.replace(/##\[/g, "##\\[");
  return s.replace(/^(\s*):/, "$1\\:");
}

function escapeChar(c: string): string {
  if (c === "\t") return c;
  if (c === "\n") return "\\n";
  if (c === "\r") return "\\r";
  return `\\u{${c.codePointAt(0)!.toString(16)}}`;
}
