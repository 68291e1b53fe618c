/**
 * `${{ matrix.<name> }}` substitution in job inputs. A string that is exactly
 * one reference takes the matrix value with its type (a number stays a
 * number, an object stays an object); references inside longer strings are
 * interpolated as text.
 */

const REF = /\$\{\{\s*([^}]*?)\s*\}\}/g;
const EXACT = /^\$\{\{\s*matrix\.([A-Za-z_][\w-]*)\s*\}\}$/;

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
      const name = /^matrix\.([A-Za-z_][\w-]*)$/.exec(expr)?.[1];
      out.push({ name: name ?? expr, path });
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...path, i], out));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k], out);
  }
}

export function hasTemplates(input: unknown): boolean {
  return matrixReferences(input).length > 0;
}

/** Returns the input with every reference replaced by its matrix value. */
export function applyMatrix(value: unknown, combo: Readonly<Record<string, unknown>>): unknown {
  if (typeof value === "string") {
    const exact = EXACT.exec(value);
    if (exact) return combo[exact[1]!];
    if (!value.includes("${{")) return value;
    return value.replace(REF, (_, expr: string) => {
      const name = /^matrix\.([A-Za-z_][\w-]*)$/.exec(expr.trim())?.[1];
      const v = name === undefined ? undefined : combo[name];
      return typeof v === "string" ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => applyMatrix(v, combo));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = applyMatrix(v, combo);
    return out;
  }
  return value;
}
