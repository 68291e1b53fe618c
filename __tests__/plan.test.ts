import { describe, expect, it } from "vitest";
import { parseManifest } from "../src/manifest/load.js";
import { buildPlan, iterateRuns } from "../src/plan/expand.js";

describe("plan expansion", () => {
  const plan = buildPlan(
    parseManifest(`version: 1
defaults: {concurrency: 8, timeout: 2m}
jobs:
  - id: thumbs
    model: fal-ai/flux/schnell
    matrix: {animal: [cat, dog], size: [square, {width: 640, height: 480}], n: [1, 3]}
    input: {prompt: "a \${{ matrix.animal }} (\${{ matrix.n }})", image_size: "\${{ matrix.size }}", num_images: "\${{ matrix.n }}"}
    repeat: 2
    timeout: 30s
  - id: hero
    model: fal-ai/flux/dev
    input: {prompt: hero}
    repeat: 3
`),
  );

  it("expands the matrix as a cartesian product times repeat", () => {
    expect(plan.jobs[0]!.variants).toHaveLength(8);
    expect(plan.jobs[0]!.runCount).toBe(16);
    expect(plan.jobs[1]!.runCount).toBe(3);
    expect(plan.totalRuns).toBe(19);
    expect([...iterateRuns(plan)]).toHaveLength(19);
  });

  it("keeps the type of a value when the string is exactly one reference", () => {
    const v = plan.jobs[0]!.variants.find((x) => x.combo.animal === "dog" && typeof x.combo.size === "object" && x.combo.n === 3)!;
    expect(v.input).toEqual({ prompt: "a dog (3)", image_size: { width: 640, height: 480 }, num_images: 3 });
  });

  it("gives every run a stable, unique id", () => {
    const ids = [...iterateRuns(plan)].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe("thumbs[animal=cat,size=square,n=1]#1");
    expect(ids[1]).toBe("thumbs[animal=cat,size=square,n=1]#2");
    expect(ids).toContain('thumbs[animal=dog,size={"width":640,"height":480},n=3]#2');
    expect(ids.slice(-3)).toEqual(["hero#1", "hero#2", "hero#3"]);
  });

  it("resolves per-job settings over defaults over built-ins", () => {
    expect(plan.jobs[0]!.settings).toEqual({ concurrency: 8, timeoutMs: 30_000, retries: 2 });
    expect(plan.jobs[1]!.settings).toEqual({ concurrency: 8, timeoutMs: 120_000, retries: 2 });
  });

  it("shares one input object across the repeats of a variant", () => {
    const runs = [...iterateRuns(plan)].filter((r) => r.job.id === "hero");
    expect(runs[0]!.variant.input).toBe(runs[2]!.variant.input);
  });
});
