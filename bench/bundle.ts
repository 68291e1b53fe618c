import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { fmt } from "./measure.js";
import type { BenchResult } from "./report.js";

/** Size of dist/ and which packages dominate the action bundle (from ncc's webpack stats). */
export async function bundleSize(root: string): Promise<BenchResult> {
  const dist = path.join(root, "dist");
  const files = await readdir(dist);
  const sizes = await Promise.all(files.map(async (f) => [f, (await stat(path.join(dist, f))).size] as const));
  const total = sizes.reduce((s, [, n]) => s + n, 0);
  const js = (names: (f: string) => boolean) => sizes.filter(([f]) => names(f)).reduce((s, [, n]) => s + n, 0);

  // Written by bench/run.mjs, which has ncc at hand: webpack stats of the action's bundle.
  const json = JSON.parse(await readFile(path.join(root, "bench/.build/index-stats.json"), "utf8")) as StatsJson;
  const initial = new Set(json.chunks.filter((c) => c.initial).map((c) => c.id));
  const all = new Map<string, number>();
  const startup = new Map<string, number>();
  const walk = (mods: StatsModule[], isInitial: boolean) => {
    for (const m of mods) {
      const init = isInitial || (m.chunks ?? []).some((c) => initial.has(c));
      if (m.modules) walk(m.modules, init);
      else {
        const key = packageOf(m.name ?? "");
        all.set(key, (all.get(key) ?? 0) + (m.size ?? 0));
        if (init) startup.set(key, (startup.get(key) ?? 0) + (m.size ?? 0));
      }
    }
  };
  walk(json.modules, false);
  const sourceTotal = [...all.values()].reduce((a, b) => a + b, 0);
  const top = [...all].sort((a, b) => b[1] - a[1]).slice(0, 10);
  return {
    title: "5. Bundle",
    command: "ls -l dist/ and ncc's module stats for src/index.ts",
    table: [
      ["Package (source bytes before bundling)", "KiB", "Share", "Loaded at startup of a dry run"],
      ...top.map(([k, n]) => [k, fmt(n / 1024), `${((100 * n) / sourceTotal).toFixed(0)}%`, startup.has(k) ? "yes" : "no (lazy chunk)"]),
    ],
    verdicts: [
      `dist/ is ${fmt(total / 1024)} KiB: dist/index.js ${fmt(js((f) => f === "index.js") / 1024)} KiB (what every run loads), lazily loaded chunks ${fmt(js((f) => /^\d+\.index\.js$/.test(f)) / 1024)} KiB, the CLI ${fmt(js((f) => f === "cli.js") / 1024)} KiB, licenses ${fmt(js((f) => f === "licenses.txt") / 1024)} KiB.`,
    ],
  };
}

interface StatsModule {
  name?: string;
  size?: number;
  chunks?: Array<string | number>;
  modules?: StatsModule[];
}
interface StatsJson {
  modules: StatsModule[];
  chunks: Array<{ id: string | number; initial: boolean }>;
}

function packageOf(name: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(name);
  if (m) return m[1]!;
  if (name.startsWith("./src")) return "fal-jobs-action (src/)";
  if (name.startsWith("external")) return "node builtins (not bundled)";
  return "webpack runtime";
}
