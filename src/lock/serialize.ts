import type { Lock } from "./schema.js";

/**
 * The lock as text: every object's keys sorted, two-space indents, one final
 * newline. Two runs that did the same work write the same bytes, and a
 * change is a readable git diff. Arrays keep their order (a run's outputs
 * in the order fal returned them).
 */
export function serializeLock(lock: Lock): string {
  return `${JSON.stringify(sortKeys(lock), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}
