import { describe, expect, it } from "vitest";
import { estimateReportFor } from "./helpers/reports.js";

describe("estimate report variants", () => {
  it("groups matrix variants that cost the same, and keeps different costs apart", () => {
    const report = estimateReportFor(`version: 1
budget: 100
jobs:
  - id: grid
    model: fal-ai/flux/dev
    matrix: {subject: [cat, dog, fox], size: [square_hd, landscape_16_9]}
    input: {prompt: "a \${{ matrix.subject }}", image_size: "\${{ matrix.size }}", num_images: 1}
    repeat: 2
`);
    const [job] = report.jobs;
    // One entry per size (its basis differs), each standing for the 3 subjects × 2 repeats.
    expect(job!.variants).toEqual([
      expect.objectContaining({ label: "subject=cat,size=square_hd", variants: 3, runs: 6, units_per_run: 1, basis: "1 × 1024×1024 → 1 MP" }),
      expect.objectContaining({ label: "subject=cat,size=landscape_16_9", variants: 3, runs: 6, units_per_run: 1, basis: "1 × 1024×576 → 1 MP" }),
    ]);
    const mixed = estimateReportFor(`version: 1
budget: 100
jobs:
  - id: grid
    model: fal-ai/flux/dev
    matrix: {n: [1, 2, 1]}
    input: {prompt: x, num_images: "\${{ matrix.n }}"}
`);
    expect(mixed.jobs[0]!.variants.map((v) => [v.variants, v.units_per_run])).toEqual([
      [2, 1],
      [1, 2],
    ]);
    expect(mixed.jobs[0]!.estimated).toBe("0.10");
  });
});
