import { describe, expect, it } from "vitest";
import { FAST_RETRIES, readRunReport } from "./helpers/action.js";
import { useRunFakes } from "./helpers/run-fakes.js";

/**
 * The budget must hold, through the built dist/index.js against the loopback
 * fal fake: the reproductions of the adversarial review (issue "The budget
 * must hold") about submits whose answer is lost. The rest are in
 * e2e-budget.test.ts (a separate file so the two run side by side).
 */

const fakes = useRunFakes();

const posts = () => fakes.fal.requests.filter((r) => r.method === "POST").length;


describe("submits are sent once; a lost answer is unknown, never $0", () => {
  it("a 504 after fal accepted, then a 429: one request, reported unknown, billed-cost left empty", async () => {
    fakes.fal.failSubmits("accept-then-504", "429", "accept-then-reset");
    const run = await fakes.realRun(`version: 1
budget: 1
jobs:
  - {id: img, model: fal-ai/flux/dev, repeat: 3, concurrency: 1, input: {prompt: "x", image_size: square_hd}}
`, { env: FAST_RETRIES });
    const report = await readRunReport(run);
    // Before, the client sent each lost submit again and its retry met the 429. Now: run 1 is sent once and lost; run 2
    // meets the 429 (nothing created), is retried by us, and its answer is lost; run 3 succeeds. Three requests exist.
    expect(posts()).toBe(4);
    expect(fakes.fal.submitCount()).toBe(3);
    const outcomes = report.runs!.map((r) => r.submit_outcome);
    expect(outcomes.filter((o) => o === "unknown")).toHaveLength(2);
    for (const r of report.runs!.filter((x) => x.submit_outcome === "unknown")) {
      expect(r.billed).toMatchObject({ source: "unknown", cost: null });
      expect(r.error!.message).toMatch(/fal may have accepted/);
    }
    // Never a complete-looking total that is lower than what fal may have billed.
    expect(run.outputs["billed-cost"]).toBe("");
    expect(report.execution!.billed).toBeNull();
    expect(report.reasons.join("\n")).toMatch(/2 submit\(s\) got no definite answer/);
    expect(run.code).toBe(1);
  });

  it("a timeout while the submit is in flight: timed out, outcome unknown, its cost unknown (not $0), the next run still goes", async () => {
    fakes.fal.failSubmits("accept-then-hang");
    const run = await fakes.realRun(`version: 1
budget: 1
jobs:
  - {id: img, model: fal-ai/flux/dev, repeat: 2, concurrency: 1, timeout: 1s, input: {prompt: "x", image_size: square_hd}}
`);
    const report = await readRunReport(run);
    const [first, second] = report.runs!;
    expect(first).toMatchObject({ status: "timed-out", submit_outcome: "unknown", billed: { source: "unknown", cost: null } });
    expect(second!.status).toBe("succeeded");
    expect(fakes.fal.submitCount()).toBe(2);
    expect(run.outputs["billed-cost"]).toBe("");
    expect(report.execution!.unknown_runs).toBe(1);
  });

  it("a deadline that fires while a submit is in flight reports it as unknown, not as never submitted", async () => {
    fakes.fal.failSubmits("accept-then-hang");
    const run = await fakes.realRun(
      `version: 1
budget: 1
jobs:
  - {id: img, model: fal-ai/flux/dev, input: {prompt: "x", image_size: square_hd}}
`,
      { inputs: { deadline: "1s" } },
    );
    const report = await readRunReport(run);
    expect(report.runs![0]).toMatchObject({ status: "cancelled", submit_outcome: "unknown", billed: { source: "unknown" } });
    expect(run.outputs["billed-cost"]).toBe("");
  });

  it("a 429 on submit created nothing: it is retried (with backoff) and the run succeeds with one request", async () => {
    fakes.fal.failSubmits("429");
    const run = await fakes.realRun(`version: 1
budget: 1
jobs:
  - {id: img, model: fal-ai/flux/dev, input: {prompt: "x", image_size: square_hd}}
`, { env: FAST_RETRIES });
    expect(run.code).toBe(0);
    expect(posts()).toBe(2);
    expect(fakes.fal.submitCount()).toBe(1);
    expect((await readRunReport(run)).runs![0]!.submit_outcome).toBe("accepted");
  });

  it("a run whose status checks keep failing is cancelled at fal, not left running (and billing) after its slot frees", async () => {
    fakes.fal.disableStream();
    fakes.fal.failStatus(1000, 503);
    fakes.fal.setModel("fal-ai/flux/dev", { queueMs: 300, latencyMs: 300 });
    const run = await fakes.realRun(`version: 1
budget: 1
jobs:
  - {id: img, model: fal-ai/flux/dev, repeat: 3, concurrency: 1, retries: 0, input: {prompt: x, image_size: square_hd}}
`);
    const report = await readRunReport(run);
    expect(report.runs.map((r) => [r.status, r.error?.stage])).toEqual(Array(3).fill(["failed", "status"]));
    expect(fakes.fal.cancels).toHaveLength(3);
    expect(report.runs.every((r) => r.billed.cost === null)).toBe(true);
    expect(run.outputs["billed-cost"]).toBe("");
  });

  it("a malformed result (a null image entry) is no observation: the run still keeps its good output and is not an internal error", async () => {
    fakes.fal.setModel("fal-ai/flux/dev", {
      outcome: ({ fake, requestId }) => ({ output: { images: [{ url: `${fake.url}/cdn/${requestId}/0.png`, content_type: "image/png", width: 1024, height: 1024 }, null] } }),
    });
    const run = await fakes.realRun(`version: 1
budget: 1
jobs:
  - {id: img, model: fal-ai/flux/dev, input: {prompt: x, image_size: square_hd}}
`);
    const [r] = (await readRunReport(run)).runs;
    expect(r!.status).toBe("succeeded");
    expect(r!.outputs.filter((o) => o.path !== null)).toHaveLength(1);
    // No header and outputs that prove nothing: its cost is unknown, never $0.
    expect(r!.billed).toMatchObject({ source: "unknown", cost: null });
  });
});
