import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const HEAP = pathToFileURL(path.resolve(import.meta.dirname, "../src/util/heap.ts")).href;

/** Builds 1.5 million small objects that all survive (as a 100,000-run plan's do) and prints the young generation's size in MB. */
function youngGenerationAfterBuilding(stopGrowth: boolean): number {
  const script = `
    ${stopGrowth ? `(await import(${JSON.stringify(HEAP)})).stopYoungGenerationGrowth();` : ""}
    const kept = [];
    for (let i = 0; i < 1.5e6; i++) kept.push({ i, label: "run-" + i });
    const v8 = await import("node:v8");
    console.log(v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size / 2 ** 20, kept.length);
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return Number(r.stdout.split(" ")[0]);
}

describe("stopYoungGenerationGrowth", () => {
  it("keeps V8's young generation small while a large plan is built (it grows to tens of MB otherwise)", () => {
    const grown = youngGenerationAfterBuilding(false);
    const held = youngGenerationAfterBuilding(true);
    expect(grown).toBeGreaterThanOrEqual(32);
    // V8 may still size it a step or two up on its own (seen: 19.5 MB on a busy machine); it must not double and
    // double again up to its maximum.
    expect(held).toBeLessThanOrEqual(grown / 2);
    expect(held).toBeLessThanOrEqual(24);
  });
});
