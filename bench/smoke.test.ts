import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../__tests__/helpers/action.js";

/**
 * The benchmark harness with tiny sizes: it must keep working. Not part of `npm test` (it takes longer than the rest
 * of the suite): `npm run test:bench` runs it against the built dist/, and `.ci/run` runs it after `npm test`.
 * Forces the measurement path that machines without GNU time use. Figures are not asserted here.
 */
describe("bench harness (smoke)", () => {
  it("runs every benchmark end to end and writes every section", async () => {
    const child = spawn(process.execPath, [path.join(ROOT, "bench/run.mjs"), "--smoke"], { cwd: ROOT, env: { ...process.env, BENCH_GNU_TIME: "" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => child.on("close", r));
    expect(code, out).toBe(0);
    const md = await readFile(path.join(ROOT, "bench/results/BENCHMARKS.smoke.md"), "utf8");
    for (const title of ["1. Estimate at scale", "2. Cold start", "3. Orchestration overhead", "4. Output throughput and memory", "5. Bundle", "6. The lock at scale", "7. Scale-out: shards and their merge"]) expect(md).toContain(`## ${title}`);
    expect(md).toMatch(/\| `node dist\/index\.js`, dry run of the example \| \d+ ms \| [\d.]+× \| \d+ MB \|/);
  }, 180_000);
});
