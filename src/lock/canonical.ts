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
