/**
 * `${{ matrix.<name> }}` substitution in job inputs. A string that is exactly
 * one reference takes the matrix value with its type (a number stays a
 * number, an object stays an object); references inside longer strings are
 * interpolated as text.
 */

const REF = /\$\{\{\s*([^}]*?)\s*\}\}/g;
const EXACT = /^\$\{\{\s*matrix\.([A-Za-z_][\w-]*)\s*\}\}$/;
/** The expression inside `${{ … }}` that names a matrix axis. */
const MATRIX_EXPR = /^matrix\.([A-Za-z_][\w-]*)$/;

export interface MatrixRef {
  /** The axis name, or the whole expression when it is not `matrix.<name>`. */
  name: string;
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
    for (const m of value.matchAll(REF)) {
      const expr = m[1]!.trim();
      const name = MATRIX_EXPR.exec(expr)?.[1];
      out.push({ name: name ?? expr, path });
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...path, i], out));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k], out);
  }
}

type Render = (combo: Readonly<Record<string, unknown>>) => unknown;

/**
 * Compiles an input once per job into a renderer for each matrix combination:
 * a 100,000-run matrix renders 100,000 inputs, so the references are found
 * once, and parts without any are shared between variants instead of copied
 * (inputs are never mutated after planning).
 */
export function compileTemplate(value: unknown): Render {
  return compile(value) ?? (() => value);
}

/** A renderer for `value`, or undefined when it holds no reference (it is then used as is). */
function compile(value: unknown): Render | undefined {
  if (typeof value === "string") {
    const exact = EXACT.exec(value);
    if (exact) {
      const name = exact[1]!;
      return (combo) => combo[name];
    }
    if (!value.includes("${{")) return undefined;
    // Literal text and axis names alternate: [text, name, text, name, …, text].
    const parts: string[] = [];
    let last = 0;
    for (const m of value.matchAll(REF)) {
      parts.push(value.slice(last, m.index), MATRIX_EXPR.exec(m[1]!.trim())?.[1] ?? "");
      last = m.index + m[0].length;
    }
    if (parts.length === 0) return undefined;
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
      for (const [k, v, render] of fields) out[k] = render ? render(combo) : v;
      return out;
    };
  }
  return undefined;
}
