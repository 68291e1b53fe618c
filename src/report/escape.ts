/**
 * Escaping for text that comes from the manifest or from fal (ids, prompts,
 * error messages) before it goes into Markdown rendered by GitHub. GitHub
 * sanitizes HTML, so the risk is forged content: links, images, mentions,
 * a fake marker, or text that closes our table or <details>.
 */

const ZWSP = "\u200B";

/** Text for a Markdown table cell or inline prose: every metacharacter escaped, one line, capped. */
export function mdText(value: unknown, max = 200): string {
  let s = flatten(String(value ?? ""), max);
  // One line, never at a line start (callers prefix it): only inline syntax matters —
  // emphasis, code, links/images (`[`), tables (`|`), HTML, strikethrough.
  s = s.replace(/[\\`*_[\]|<>~&]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : `\\${c}`));
  // GitHub turns bare URLs into links; a zero-width space keeps them as text.
  s = s.replace(/:\/\//g, `:${ZWSP}//`).replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}${ZWSP}.`);
  return neutralizeMentions(s);
}

/** Text shown verbatim in a code span (prompts, model ids). Safe inside a table cell. */
export function mdCode(value: unknown, max = 200): string {
  const s = flatten(String(value ?? ""), max).replace(/\|/g, "\\|");
  const longest = Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = s.startsWith("`") || s.endsWith("`") || s === "" ? " " : "";
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** `@user` and `@org/team` must not notify anyone: a zero-width space breaks the mention. */
export function neutralizeMentions(s: string): string {
  return s.replace(/@(?=[A-Za-z0-9])/g, `@${ZWSP}`);
}

/** One line, no control characters, no HTML comment delimiters (they could forge our marker), at most `max` characters. */
export function flatten(s: string, max: number): string {
  let out = s.replace(/[\r\n\t\u0000-\u001f\u007f\u2028\u2029]+/g, " ").replace(/<!--|-->/g, "").trim();
  const chars = [...out];
  if (chars.length > max) out = `${chars.slice(0, max - 1).join("")}…`;
  return out;
}
