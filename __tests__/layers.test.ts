import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/action.js";

/**
 * The source tree reads as the flow, and no folder imports one that comes
 * after it: each folder may import only the folders listed before it.
 */
const LAYERS = [
  "util", "errors.ts", "version.ts", "shims", "comment",
  "manifest", "plan", "pricing", "check", "estimate", "lock", "run", "billing", "gate", "report",
  "adapters", "flows", "action", "cli", "main.ts", "index.ts", "cli.ts", "lock-worker.ts",
];

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sources(p)));
    else if (e.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

const layerOf = (file: string) => path.relative(path.join(ROOT, "src"), file).split(path.sep)[0]!;

describe("layers", () => {
  it("every folder of src/ has a place in the flow, and imports only the ones before it", async () => {
    const src = path.join(ROOT, "src");
    const wrong: string[] = [];
    for (const file of await sources(src)) {
      const from = layerOf(file);
      expect(LAYERS, `${from} has no layer`).toContain(from);
      const text = await readFile(file, "utf8");
      for (const m of text.matchAll(/^(?:import|export)[^;]*?from\s+"(\.[^"]+)"/gms)) {
        const to = layerOf(path.resolve(path.dirname(file), m[1]!));
        if (to !== from && LAYERS.indexOf(to) > LAYERS.indexOf(from)) wrong.push(`${path.relative(src, file)} → ${m[1]}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
