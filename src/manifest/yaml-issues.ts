import { isScalar, visit, type Document, type LineCounter, type YAMLError } from "yaml";

/**
 * The YAML library's syntax errors in plain words, at the line a person has
 * to change: "Nested mappings are not allowed in compact mappings" becomes
 * "this line starts at column 6, but `model:` on line 4 starts at column 5".
 * One problem per line; an unclosed quote or bracket ends the list, since
 * every error after it is its echo.
 */

export interface YamlIssue {
  line: number; // 1-based
  column: number; // 1-based
  message: string;
}

const CHECK = "(check the indentation, the `: ` after each key, and that values with `${{ … }}` are quoted)";

/**
 * Keys given twice in one map, at the second: YAML would keep only the last, silently. One pass with a set per map
 * (yaml's own `uniqueKeys` compares every key with every other, minutes for a 1 MiB map), and by the name the key
 * becomes in the data, so `1:` and `"1":` are the same key too.
 */
export function duplicateKeys(doc: Document, lineCounter: LineCounter): YamlIssue[] {
  const out: YamlIssue[] = [];
  visit(doc, {
    Map: (_, map) => {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key === undefined) continue;
        if (seen.has(key) && out.length < MAX_ISSUES) {
          const { line, col } = lineCounter.linePos((pair.key as { range?: [number, number] }).range?.[0] ?? 0);
          const shown = key.length > 60 ? `${key.slice(0, 60)}…` : key;
          out.push({ line, column: col, message: `YAML: duplicate key: \`${shown}\` appears twice in this map, and only the last would count: remove one of them` });
        }
        seen.add(key);
      }
      return out.length >= MAX_ISSUES ? visit.BREAK : undefined;
    },
  });
  return out;
}

/** Enough to fix in one go; past the first few, a syntax error's followers are mostly its echoes. */
const MAX_ISSUES = 20;

export function plainYamlErrors(text: string, errors: readonly YAMLError[], lineCounter: LineCounter): YamlIssue[] {
  const src = text.split(/\r?\n/);
  const out: YamlIssue[] = [];
  // One error per line is worded (wording reads the line): a long garbled line with thousands of errors costs one.
  const seen = new Set<number>();
  for (const e of errors) {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    if (seen.has(line)) continue;
    seen.add(line);
    const { final, ...issue } = rephrase(e, line, col, src);
    if (!out.some((o) => o.line === issue.line)) out.push({ ...issue, message: `YAML: ${issue.message}` });
    if (final || out.length >= MAX_ISSUES) break;
  }
  return out;
}

function rephrase(e: YAMLError, line: number, col: number, src: string[]): YamlIssue & { final?: boolean } {
  const text = src[line - 1] ?? "";
  const message = e.message.split("\n")[0]!;
  const at = (message: string, l = line, c = col) => ({ line: l, column: c, message });

  if (e.code === "TAB_AS_INDENT") return at("this line is indented with a tab; YAML indents with spaces only: replace the tab with spaces");
  if (e.code === "MULTIPLE_DOCS") return at("a second YAML document starts here (after `---`); a manifest is one document: remove the `---` line, or move the second manifest to its own file");
  if (e.code === "BAD_DQ_ESCAPE") {
    const seq = /escape sequence (\S+)/.exec(message)?.[1] ?? "this escape";
    return at(`\`${seq}\` is not an escape sequence inside double quotes: write \`\\\\\` for a backslash, or use single quotes, where a backslash is just a backslash`);
  }
  if (e.code === "BAD_SCALAR_START") {
    const ch = /character (\S+)$/.exec(message)?.[1] ?? "this character";
    return at(`a value may not start with ${ch === "`" ? "a backtick" : `\`${ch}\``} unless it is quoted: put the value in double quotes`);
  }

  const template = unquotedTemplate(text);
  if (template && /[{[]/.test(text.slice(0, template.column - 1))) {
    return at(`a value with \`\${{ … }}\` inside \`{ … }\` or \`[ … ]\` must be quoted: write \`${template.fix}\``, line, template.column);
  }

  const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
  if (quote) {
    const open = openingQuote(src, line, col, quote);
    return { ...at(`this quoted value is never closed: add the closing ${quote} at the end of the value`, open.line, open.column), final: true };
  }
  const bracket = /end with an? ([}\]])/.exec(message)?.[1];
  if (bracket) {
    const opener = bracket === "}" ? "{" : "[";
    const open = unclosedBracket(src, line, opener, bracket);
    const what = opener === "{" ? "map" : "list";
    return {
      ...at(`this \`${opener}\` is never closed: end the ${what} with \`${bracket}\`, or write its entries one per line without brackets`, open?.line ?? line, open?.column ?? col),
      final: true,
    };
  }
  if (/Implicit map keys need to be followed by map values/.test(message)) return missingColon(text, line);
  const worded = e.code === "BLOCK_IN_FLOW" ? IN_BRACKETS : WORDS.find(([pattern]) => pattern.test(message))?.[1];
  if (worded) return at(worded);
  const unreadable = at(`this cannot be read: ${message.replace(/ at line \d+, column \d+:?$/, "")} ${CHECK}`);
  if (e.code === "BLOCK_AS_IMPLICIT_KEY" || e.code === "MULTILINE_IMPLICIT_KEY") {
    // YAML read a key running over two lines: this line has no `key: `, or the next one is indented further than its key.
    if (!KEY.test(text)) return missingColon(text, line);
    const next = nextContentLine(src, line);
    if (next !== undefined && contentColumn(src[next - 1]!) > keyColumn(text)) return misaligned(src, next) ?? unreadable;
    return at(`this line and the next are read as one key: write \`key: value\` on one line (a space after the colon), and check the next line's indentation`);
  }
  if (e.code === "BAD_INDENT" || /without - indicator/.test(message)) {
    return misaligned(src, line) ?? at("the indentation here does not match the lines around it: keys of one map start in the same column, and so do the `- ` items of one list");
  }
  return unreadable;
}

const IN_BRACKETS =
  "inside `{ … }` or `[ … ]`, separate entries with commas, write `key: value` with a space after the colon, and quote a value that contains `: ` " +
  '(e.g. `{id: a, model: fal-ai/flux/dev}`, `prompt: "a: b"`)';
const QUOTE_IT = "put the whole value in double quotes";

/** The yaml library's other messages, by their words, in plain ones. */
const WORDS: Array<[RegExp, string]> = [
  [/^Missing (, or : |, |space after : )|^Unexpected (,|:|empty item) in|flow sequence pairs/, IN_BRACKETS],
  [/^Unexpected flow-(map|seq)-end/, "this closing bracket closes nothing: remove it, or add the `{` or `[` it should close"],
  [/^Unexpected .*(at node end|token)/, `this text follows a value that had already ended: if it belongs to the value, ${QUOTE_IT}; if it starts a new key, put it on its own line`],
  [/^(Anchor|Alias) (cannot be an empty string|ending in :)/, `\`&\` and \`*\` start YAML anchors and aliases: if the value starts with one, ${QUOTE_IT}`],
  [/^Tags and anchors must be separated|tag has no suffix|^Unresolved tag|^Anchors and tags must be after|at most one (tag|anchor)/, `\`!\`, \`&\` and \`*\` start YAML tags, anchors and aliases: if the value starts with one, ${QUOTE_IT}`],
  [/^Missing directives-end/, `a line that starts with \`%\` is read as a YAML directive: ${QUOTE_IT}`],
  [/^Block scalar header/, `\`|\` and \`>\` start a block of text, with nothing after them on their line but \`-\`, \`+\` or a digit: for a value that starts with one, ${QUOTE_IT}`],
  [/^Comments must be separated/, `\`#\` starts a comment only after a space; for a \`#\` in a value, ${QUOTE_IT}`],
];

/** A line that starts with `key:` followed by a space or its end (after any `- `). */
const KEY = /^\s*(?:-\s+)*("[^"]*"|'[^']*'|[^\s:#][^:#]*?):(?:\s|$)/;

function missingColon(text: string, line: number): YamlIssue {
  const column = contentColumn(text);
  const content = text.slice(column - 1).replace(/^(?:-\s+)+/, "").trimEnd();
  const glued = /^([^\s:]+):(\S.*)$/.exec(content);
  if (glued) return { line, column, message: `put a space after the colon: \`${glued[1]}: ${glued[2]}\`` };
  const [key, ...rest] = content.split(/\s+/);
  return { line, column, message: `this line has no \`:\` after its key: write \`${key}:${rest.length ? ` ${rest.join(" ")}` : ""}\`` };
}

/** A line indented differently from the line above it, said with both columns; undefined when they agree. */
function misaligned(src: string[], line: number): YamlIssue | undefined {
  const text = src[line - 1] ?? "";
  const column = contentColumn(text);
  const prev = previousContentLine(src, line);
  if (prev === undefined) return undefined;
  const prevText = src[prev - 1]!;
  const prevColumn = keyColumn(prevText);
  if (prevColumn === column) return undefined;
  const key = KEY.exec(prevText)?.[1];
  const above = key ? `\`${key}:\` on line ${prev}` : `line ${prev}`;
  return {
    line,
    column,
    message:
      `this line starts at column ${column}, but ${above} starts at column ${prevColumn}: ` +
      "keys of one map start in the same column (a nested map or list goes further in, under a key with nothing after its colon)",
  };
}

/** The 1-based column of the first character that is not a space. */
function contentColumn(text: string): number {
  return (/^ */.exec(text)?.[0].length ?? 0) + 1;
}

/** The column of a line's key: after any `- ` that starts list items. */
function keyColumn(text: string): number {
  return (/^ *(?:- +)*/.exec(text)?.[0].length ?? 0) + 1;
}

const isContent = (text: string) => text.trim() !== "" && !text.trimStart().startsWith("#");

function previousContentLine(src: string[], line: number): number | undefined {
  for (let l = line - 1; l >= 1; l--) if (isContent(src[l - 1]!)) return l;
  return undefined;
}

function nextContentLine(src: string[], line: number): number | undefined {
  for (let l = line + 1; l <= src.length; l++) if (isContent(src[l - 1]!)) return l;
  return undefined;
}

/** A `${{ … }}` on this line that is not inside quotes: its column, and its value (and key) written in quotes. */
function unquotedTemplate(text: string): { column: number; fix: string } | undefined {
  let inQuote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuote) {
      if (ch === "\\" && inQuote === '"') i++;
      else if (ch === inQuote) inQuote = undefined;
    } else if (ch === "#" && (i === 0 || text[i - 1] === " ")) {
      return undefined;
    } else if ((ch === '"' || ch === "'") && (i === 0 || /[\s{[,:]/.test(text[i - 1]!))) {
      inQuote = ch;
    } else if (text.startsWith("${{", i)) {
      return { column: i + 1, fix: quotedValue(text, i) };
    }
  }
  return undefined;
}

/** The flow value around the `${{` at `from` (back to `key: `, `{`, `[` or `,`; on to `,`, `}` or `]`), quoted, after its key. */
function quotedValue(text: string, from: number): string {
  let start = from;
  while (start > 0 && !/[{[,]/.test(text[start - 1]!) && !(text[start - 1] === " " && text[start - 2] === ":")) start--;
  let end = from;
  while (end < text.length && !/[,}\]]/.test(text[end]!)) {
    const close = text.startsWith("${{", end) ? text.indexOf("}}", end) : -1;
    end = close < 0 ? end + 1 : close + 2;
  }
  const key = /([^\s{[,:]+):\s*$/.exec(text.slice(0, start))?.[1];
  return `${key ? `${key}: ` : ""}${JSON.stringify(text.slice(start, end).trim())}`;
}

/** Where the quoted value that is never closed starts: the last such quote before the error. */
function openingQuote(src: string[], line: number, col: number, quote: string): { line: number; column: number } {
  for (let l = line; l >= 1; l--) {
    const text = l === line ? src[l - 1]!.slice(0, col - 1) : src[l - 1]!;
    const i = text.lastIndexOf(quote);
    if (i >= 0) return { line: l, column: i + 1 };
  }
  return { line, column: col };
}

/** The last `{` (or `[`) left open on the nearest line above the error that leaves one open. */
function unclosedBracket(src: string[], line: number, open: string, close: string): { line: number; column: number } | undefined {
  for (let l = line; l >= 1 && l > line - 50; l--) {
    const text = src[l - 1]!;
    const stack: number[] = [];
    let inQuote: string | undefined;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (inQuote) {
        if (ch === "\\" && inQuote === '"') i++;
        else if (ch === inQuote) inQuote = undefined;
      } else if (ch === '"' || ch === "'") inQuote = ch;
      else if (ch === open) stack.push(i);
      else if (ch === close) stack.pop();
    }
    if (stack.length > 0) return { line: l, column: stack.at(-1)! + 1 };
  }
  return undefined;
}
