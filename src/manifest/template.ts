/**
 * `${{ matrix.<name> }}` substitution in job inputs. A string that is exactly
 * one reference takes the matrix value with its type (a number stays a
 * number, an object stays an object); references inside longer strings are
 * interpolated as text.
 */

/** The expression inside `${{ … }}` that names a matrix axis. */
const MATRIX_EXPR = /^matrix\.([A-Za-z_][\w-]*)$/;

interface RefSpan {
  start: number;
  end: number;
  /** The text between `${{` and `}}`, trimmed. */
  expr: string;
}

/**
 * Every `${{ expr }}` in `text`, left to right: from each `${{`, the expression
 * runs to the first `}`, which must be followed by another. A hand-written
 * scanner, not a regex: /\$\{\{\s*([^}]*?)\s*\}\}/ backtracks cubically on
 * `${{` + many spaces with no closing `}}`. Each character is looked at a
 * bounded number of times, so this is linear.
 */
export function scanRefs(text: string): RefSpan[] {
  const out: RefSpan[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf("${{", from);
    if (start < 0) return out;
    const close = text.indexOf("}", start + 3);
    // No `}` after this `${{` means none after any later one either.
    if (close < 0) return out;
    if (text.charCodeAt(close + 1) === 0x7d) {
      out.push({ start, end: close + 2, expr: text.slice(start + 3, close).trim() });
      from = close + 2;
    } else {
      // Every `${{` before this lone `}` ends at it too, and fails the same way.
      from = close + 1;
    }
  }
}

/** Whether a string holds any `${{ … }}`: a template renders it per matrix combination; else it is used as is. */
export function hasReferences(text: string): boolean {
  return text.includes("${{") && scanRefs(text).length > 0;
}

/** The axis a string names when it is exactly one `${{ matrix.<name> }}`. */
function exactAxis(text: string): string | undefined {
  if (!text.startsWith("${{") || !text.endsWith("}}")) return undefined;
  const refs = scanRefs(text);
  if (refs.length !== 1 || refs[0]!.end !== text.length) return undefined;
  return MATRIX_EXPR.exec(refs[0]!.expr)?.[1];
}

export interface MatrixRef {
  /** The axis name, or the whole expression when it is not `matrix.<name>`. */
  name: string;
  /** Whether the expression is `matrix.<name>` (`${{ env.X }}` is not). */
  isAxis: boolean;
  path: Array<string | number>;
}

/** Every `${{ … }}` in an input, with where it is. */
export function matrixReferences(input: unknown, path: Array<string | number> = []): MatrixRef[] {
  const out: MatrixRef[] = [];
  walk(input, path, out);
  return out;
}

function walk(value: unknown, path: Array<string | number>, out: MatrixRef[]): void {
  if (typeof value === "string") {
    for (const { expr } of scanRefs(value)) {
      const name = MATRIX_EXPR.exec(expr)?.[1];
      out.push({ name: name ?? expr, isAxis: name !== undefined, path });
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...path, i], out));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k], out);
  }
}

/**
 * An upper bound on the characters one matrix combination's rendered input
 * holds that are not shared with other combinations: each string with a
 * reference, every axis at its longest value. Lets the manifest be refused
 * before a matrix is expanded into more text than memory can hold.
 */
export function renderedLength(value: unknown, longest: (axis: string) => number): number {
  if (typeof value === "string") {
    const refs = scanRefs(value);
    if (refs.length === 0) return 0; // shared, not copied
    let n = value.length;
    for (const ref of refs) n += longest(MATRIX_EXPR.exec(ref.expr)?.[1] ?? "") - (ref.end - ref.start);
    return n;
  }
  let n = 0;
  if (Array.isArray(value)) for (const v of value) n += renderedLength(v, longest);
  else if (value !== null && typeof value === "object") for (const v of Object.values(value)) n += renderedLength(v, longest);
  return n;
}

type Render = (combo: Readonly<Record<string, unknown>>) => unknown;

/**
 * Compiles an input once per job into a renderer for each matrix combination:
 * a 100,000-run matrix renders 100,000 inputs, so the references are found
 * once, and parts without any are shared between variants instead of copied
 * (inputs are never mutated after planning). lock/canonical.ts compiles the
 * same template into the run key's encoder, by the same rule (hasReferences).
 */
export function compileTemplate(value: unknown): Render {
  return compile(value) ?? (() => value);
}

/** A renderer for `value`, or undefined when it holds no reference (it is then used as is). */
function compile(value: unknown): Render | undefined {
  if (typeof value === "string") {
    const name = exactAxis(value);
    if (name !== undefined) return (combo) => combo[name];
    if (!hasReferences(value)) return undefined;
    // Literal text and axis names alternate: [text, name, text, name, …, text].
    const parts: string[] = [];
    let last = 0;
    for (const ref of scanRefs(value)) {
      parts.push(value.slice(last, ref.start), MATRIX_EXPR.exec(ref.expr)?.[1] ?? "");
      last = ref.end;
    }
    parts.push(value.slice(last));
    return (combo) => {
      let out = parts[0]!;
      for (let i = 1; i < parts.length; i += 2) {
        const name = parts[i]!;
        const v = name === "" ? undefined : combo[name];
        out += (typeof v === "string" ? v : JSON.stringify(v)) + parts[i + 1]!;
      }
      return out;
    };
  }
  if (Array.isArray(value)) {
    const items = value.map(compile);
    if (items.every((r) => r === undefined)) return undefined;
    return (combo) => value.map((v, i) => (items[i] ? items[i](combo) : v));
  }
  if (value !== null && typeof value === "object") {
    const fields = Object.entries(value).map(([k, v]) => [k, v, compile(v)] as const);
    if (fields.every(([, , r]) => r === undefined)) return undefined;
    return (combo) => {
      const out: Record<string, unknown> = {};
      for (const [k, v, render] of fields) {
        const value = render ? render(combo) : v;
        // YAML gives `__proto__` as an own key, and fal must receive it as one: assigning it would set the prototype.
        if (k === "__proto__") Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
        else out[k] = value;
      }
      return out;
    };
  }
  return undefined;
}
