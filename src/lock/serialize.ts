import { sortKeys } from "../util/sort-keys.js";
import type { Lock } from "./schema.js";

/**
 * The lock as text: every object's keys sorted, one run (and one store) per
 * line, two-space indents, one final newline. Two runs that did the same work
 * write the same bytes, and git's line diff of a lock shows one line per run
 * added, changed or removed. It stays plain JSON. Arrays keep their order (a
 * run's outputs in the order fal returned them).
 */
export function serializeLock(lock: Lock): string {
  const out: string[] = ["{"];
  const top = Object.keys(lock).sort() as Array<keyof Lock>;
  top.forEach((key, i) => {
    const comma = i < top.length - 1 ? "," : "";
    const value = lock[key];
    if (key === "runs" || key === "stores") {
      const members = Object.keys(value as object).sort();
      if (members.length === 0) {
        out.push(`  ${JSON.stringify(key)}: {}${comma}`);
        return;
      }
      out.push(`  ${JSON.stringify(key)}: {`);
      const table = value as Record<string, unknown>;
      members.forEach((m, j) => out.push(`    ${JSON.stringify(m)}: ${JSON.stringify(sortKeys(table[m]))}${j < members.length - 1 ? "," : ""}`));
      out.push(`  }${comma}`);
    } else {
      out.push(`  ${JSON.stringify(key)}: ${JSON.stringify(sortKeys(value))}${comma}`);
    }
  });
  out.push("}", "");
  return out.join("\n");
}
