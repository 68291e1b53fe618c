import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { FAL_ADMIN_KEY, FakeFal } from "./fakes/fal.js";
import { readRunReport, runAction } from "./helpers/action.js";
import { useRunFakes } from "./helpers/run-fakes.js";

/**
 * The budget must hold, through the built dist/index.js against the loopback
 * fal fake: the reproductions of the adversarial review (issue "The budget
 * must hold"), each of which spent many times the budget before.
 */

const fakes = useRunFakes();

/** A video result with no duration and no billable-units header: nothing but the estimate tells its cost. */
const silentVideo = { outcome: ({ fake, requestId }: { fake: FakeFal; requestId: string }) => ({ output: { video: { url: `${fake.url}/cdn/${requestId}/v.mp4`, content_type: "video/mp4" } } }) };

describe("pull-request content cannot lower the cap", () => {
  it("`units: 0.001` on veo3 (8 s × 200): estimated at the 8 s the input sets, so a $5 budget starts one run, not 200", async () => {
    fakes.fal.setModel("fal-ai/veo3", silentVideo);
    const manifest = `version: 1
jobs:
  - {id: clips, model: fal-ai/veo3, repeat: 200, units: 0.001, concurrency: 4, input: {prompt: "a wave", duration: "8s"}}
`;
    const dry = await runAction({ inputs: { budget: "1000" }, files: { "fal-jobs.yaml": manifest } });
    expect(dry.outputs["estimated-cost"]).toBe("640.00");
    expect(dry.stdout).toMatch(/`units: 0.001` is below the 8 seconds the input sets/);

    const run = await fakes.realRun(manifest, { inputs: { budget: "5" } });
    // The gate fails first: nothing at all is submitted.
    expect(run.code).toBe(1);
    expect(fakes.fal.submitCount()).toBe(0);
    expect(run.outputs["over-budget"]).toBe("true");
  });

  it("a `pricing:` override of 0 on a catalogued model prices at the catalog: budget 0 submits nothing, and billed cost is at fal's price", async () => {
    fakes.fal.setModel("fal-ai/flux/dev", { outcome: ({ fake, requestId }) => ({ output: { images: [{ url: `${fake.url}/cdn/${requestId}/0.png`, content_type: "image/png" }] }, billableUnits: 1 }) });
    const manifest = (budget: number) => `version: 1
budget: ${budget}
pricing: {fal-ai/flux/dev: {unit: megapixels, unit_price: 0}}
jobs:
  - {id: img, model: fal-ai/flux/dev, repeat: 4, input: {prompt: "x", image_size: square_hd}}
`;
    const zero = await fakes.realRun(manifest(0), { inputs: { budget: "0" } });
    expect(zero.code).toBe(1);
    expect(fakes.fal.submitCount()).toBe(0);
    expect(zero.outputs["estimated-cost"]).toBe("0.10");

    const paid = await fakes.realRun(manifest(1));
    expect(paid.code).toBe(0);
    expect(fakes.fal.submitCount()).toBe(4);
    // Billed units (1 MP each, from the header) at the catalog's $0.025, never at the manifest's $0.
    expect(paid.outputs["billed-cost"]).toBe("0.10");
    const report = await readRunReport(paid);
    expect(report.runs!.every((r) => r.billed.unit_price === 0.025)).toBe(true);
  });

  it("the report says which figures came from the manifest", async () => {
    const manifest = `version: 1
pricing: {someone/llm: {unit: 1m tokens, unit_price: 2}}
jobs:
  - {id: chat, model: someone/llm, units: 0.01, input: {prompt: "hi"}}
  - {id: asr, model: fal-ai/whisper, max_cost: 0.05, input: {audio_url: "https://example.com/a.mp3"}}
`;
    const dry = await runAction({ inputs: { budget: "10" }, files: { "fal-jobs.yaml": manifest } });
    expect(dry.code).toBe(0);
    const report = JSON.parse(await readFile(dry.outputs["report-path"]!, "utf8")) as Report;
    expect(report.jobs[0]!.from_manifest).toEqual(["unit_price", "units"]);
    expect(report.jobs[0]!.source_detail).toBe("manifest pricing; units from the manifest");
    expect(report.jobs[1]!.from_manifest).toEqual(["max_cost"]);
    expect(report.jobs[1]!.source_detail).toMatch(/max_cost from the manifest/);
    expect(dry.summary).toMatch(/units from the manifest/);
  });
});

describe("the ledger settles each run from what its outputs prove", () => {
  it("flux/dev square_hd × 40, budget $1, concurrency 4, the model returns 4096×4096 images with no header: stops near the budget", async () => {
    fakes.fal.setModel("fal-ai/flux/dev", {
      latencyMs: 30,
      outcome: ({ fake, requestId }) => ({ output: { images: [{ url: `${fake.url}/cdn/${requestId}/0.png`, content_type: "image/png", width: 4096, height: 4096 }] } }),
    });
    const run = await fakes.realRun(`version: 1
budget: 1
jobs:
  - {id: img, model: fal-ai/flux/dev, repeat: 40, concurrency: 4, input: {prompt: "x", image_size: square_hd}}
`);
    const report = await readRunReport(run);
    // Each run bills 16 MP = $0.40. Spending is bounded by the budget plus the overruns of the 4 runs in flight.
    const billed = report.execution!.billed_nano;
    expect(billed).toBeLessThanOrEqual(1e9 + 4 * 0.375e9);
    expect(fakes.fal.submitCount()).toBeLessThanOrEqual(6);
    expect(report.execution!.counts["skipped-budget"]).toBeGreaterThanOrEqual(34);
    expect(report.runs!.filter((r) => r.submitted).every((r) => r.billed.source === "observed" && r.billed.cost === "0.40")).toBe(true);
    expect(run.code).toBe(1);
  });

  it("outputs prove more units than the input set, never fewer: a clip shorter than asked is still settled at the seconds asked for", async () => {
    // veo3 asked for 8 s returns a 1 s clip and no header; images bill 16 MP (4096²) against 1 MP estimated.
    fakes.fal.setModel("fal-ai/veo3", { latencyMs: 10, outcome: ({ fake, requestId }) => ({ output: { video: { url: `${fake.url}/cdn/${requestId}/v.mp4`, content_type: "video/mp4", duration: 1 } } }) });
    fakes.fal.setModel("fal-ai/flux/dev", {
      latencyMs: 150,
      outcome: ({ fake, requestId }) => ({ output: { images: [{ url: `${fake.url}/cdn/${requestId}/0.png`, content_type: "image/png", width: 4096, height: 4096 }] } }),
    });
    const run = await fakes.realRun(`version: 1
budget: 3.30
jobs:
  - {id: clip, model: fal-ai/veo3, input: {prompt: x, duration: "8s"}}
  - {id: img, model: fal-ai/flux/dev, repeat: 4, concurrency: 1, input: {prompt: x, image_size: square_hd}}
`);
    const report = await readRunReport(run);
    // Settled at 1 s ($0.40) the clip would free $2.80 and let every image run; at 8 s only the first image fits.
    expect(report.runs!.find((r) => r.job === "clip")!.billed).toMatchObject({ source: "observed", units: 8, cost: "3.20" });
    expect(fakes.fal.submitCount("fal-ai/flux/dev")).toBe(1);
    expect(run.outputs["billed-cost"]).toBe("3.60");
  });

  it("where fal's pricing API and the catalog disagree on the unit, outputs settle nothing: fal's header does, else the cost is unknown", async () => {
    // Live: flux/dev per image; catalog: per megapixel. The 1920×1080 images prove 1 image or 2 MP, depending on
    // which fal bills, so they cannot settle the run at the lower one.
    fakes.fal.setPrice("fal-ai/flux/dev", { unit_price: 0.025, unit: "image" });
    const image = (fake: FakeFal, requestId: string) => ({ images: [{ url: `${fake.url}/cdn/${requestId}/0.png`, content_type: "image/png", width: 1920, height: 1080 }] });
    fakes.fal.setModel("fal-ai/flux/dev", { outcome: ({ fake, requestId, input }) => ({ output: image(fake, requestId), billableUnits: input.prompt === "header" ? 2 : undefined }) });
    const run = await fakes.realRun(
      `version: 1
budget: 1
jobs:
  - {id: silent, model: fal-ai/flux/dev, input: {prompt: silent, image_size: landscape_16_9_fhd}}
  - {id: header, model: fal-ai/flux/dev, input: {prompt: header, image_size: landscape_16_9_fhd}}
`,
      { inputs: { "price-source": "live" } },
    );
    const report = await readRunReport(run);
    expect(report.jobs.map((j) => j.estimated)).toEqual(["0.05", "0.05"]);
    expect(report.runs!.find((r) => r.job === "silent")!.billed).toMatchObject({ source: "unknown", cost: null });
    expect(report.runs!.find((r) => r.job === "header")!.billed).toMatchObject({ source: "header", units: 2, unit_price: 0.025, cost: "0.05" });
    expect(run.outputs["billed-cost"]).toBe("");
  });

  it("with an ADMIN key and neither header nor outputs, fal's billing records settle each run during the run", async () => {
    // Estimated at 4 s × $0.40 = $1.60; fal bills 8 s = $3.20, and says so only in its billing records.
    fakes.fal.setModel("fal-ai/veo3", { latencyMs: 20, outcome: (ctx) => ({ ...silentVideo.outcome(ctx), billableUnits: 8, noUnitsHeader: true }) });
    fakes.fal.setPrice("fal-ai/veo3", { unit_price: 0.4, unit: "seconds" });
    fakes.fal.setBillingLag(50);
    const run = await fakes.realRun(
      `version: 1
budget: 16
jobs:
  - {id: clips, model: fal-ai/veo3, repeat: 10, concurrency: 2, input: {prompt: "a wave", duration: "4s"}}
`,
      { inputs: { "fal-admin-key": FAL_ADMIN_KEY } },
    );
    const report = await readRunReport(run);
    // Without settling from the records, all 10 would run ($32). Bound: the budget plus the overruns of 2 runs in flight.
    expect(report.execution!.billed_nano).toBeLessThanOrEqual(16e9 + 2 * 1.6e9);
    expect(fakes.fal.submitCount()).toBeLessThanOrEqual(6);
    expect(report.runs!.filter((r) => r.submitted).every((r) => r.billed.source === "billing-events" && r.billed.cost === "3.20")).toBe(true);
    expect(report.execution!.counts["skipped-budget"]).toBeGreaterThanOrEqual(4);
  });
});
