import { hasReferences } from "../manifest/template.js";

/**
 * Canonical JSON (RFC 8785's rules for the values a manifest can hold):
 * object keys sorted by UTF-16 code units, no whitespace, numbers and
 * strings exactly as JSON.stringify writes them (shortest round-trip
 * numbers, -0 as 0, non-finite as null), `undefined` members dropped and
 * `undefined` array items as null. Two inputs fal would receive as the same
 * JSON encode to the same text, whatever order their keys were written in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return canonicalJson((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined || typeof item === "function" ? "null" : canonicalJson(item))).join(",")}]`;
  const parts: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined || typeof member === "function") continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${parts.join(",")}}`;
}

/**
 * canonicalJson specialized to the inputs one job's template renders
 * (manifest/template.ts): object keys are sorted and the parts without a
 * `${{ … }}` are encoded once, at compile time, rather than once per matrix
 * combination, so a 100,000-variant job is not walked and sorted 100,000
 * times. Only for inputs that template rendered, which share its shape and
 * its constant parts (inputs are never mutated after planning); a property
 * test holds it equal to canonicalJson on them.
 */
export function compileCanonical(template: unknown): (rendered: unknown) => string {
  const encode = compile(template);
  if (encode) return encode;
  const constant = canonicalJson(template);
  return () => constant;
}

type Encode = (rendered: unknown) => string;

function compile(template: unknown): Encode | undefined {
  if (typeof template === "string") return hasReferences(template) ? canonicalJson : undefined;
  if (template === null || typeof template !== "object") return undefined;
  if (Array.isArray(template)) {
    const items = template.map(compile);
    if (items.every((e) => e === undefined)) return undefined;
    const fixed = template.map((v, i) => (items[i] ? "" : canonicalJson(v)));
    return (rendered) => {
      const values = rendered as unknown[];
      let out = "[";
      for (let i = 0; i < items.length; i++) {
        const encode = items[i];
        const v = encode ? values[i] : undefined;
        out += `${i ? "," : ""}${encode ? (v === undefined ? "null" : encode(v)) : fixed[i]!}`;
      }
      return `${out}]`;
    };
  }
  // `__proto__` takes care to keep as an own key (template.ts defines it): canonicalJson, which lists own keys, encodes it.
  if (Object.hasOwn(template, "__proto__")) return canonicalJson;
  const fields = Object.keys(template)
    .sort()
    .map((key) => {
      const value = (template as Record<string, unknown>)[key];
      return { key, name: `${JSON.stringify(key)}:`, encode: compile(value), fixed: value === undefined ? undefined : canonicalJson(value) };
    });
  if (fields.every((f) => f.encode === undefined)) return undefined;
  return (rendered) => {
    const values = rendered as Record<string, unknown>;
    let out = "{";
    for (const f of fields) {
      let text = f.fixed;
      if (f.encode) {
        const v = values[f.key];
        // A reference to a missing value renders undefined: dropped, as canonicalJson drops it.
        text = v === undefined ? undefined : f.encode(v);
      }
      if (text === undefined) continue;
      out += `${out.length > 1 ? "," : ""}${f.name}${text}`;
    }
    return `${out}}`;
  };
}
