import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runManifest } from "../src/flows/run-flow.js";
import { parseManifest } from "../src/manifest/load.js";
import { buildPlan, iterateRuns } from "../src/plan/expand.js";
import { runKeys } from "../src/lock/key.js";
import type { ResumePlan } from "../src/run/resume.js";
import { FAL_KEY, FakeFal } from "./fakes/fal.js";

/**
 * The run flow with a resume plan, in process against the fake fal: what a
 * re-run does with requests earlier attempts submitted, and how they count
 * against its budget.
 */

let fal: FakeFal;
beforeEach(async () => {
  fal = await FakeFal.start();
  // Requests "an earlier attempt" submitted bill 2 units, twice their estimate; this attempt's bill 1.
  fal.setModel("acme/img", { latencyMs: 5, outcome: ({ fake, requestId, input }) => ({ output: { image: { url: `${fake.url}/cdn/${requestId}.png` } }, billableUnits: input.earlier ? 2 : 1 }) });
});
afterEach(async () => {
  await fal.close();
});

// Three runs estimated at $0.01 each, one at a time.
const MANIFEST = `version: 1\npricing:\n  acme/img: {unit: images, unit_price: 0.01}\njobs:\n  - {id: a, model: acme/img, repeat: 3, concurrency: 1, input: {prompt: x}}\n`;

/** The resume plan of an earlier attempt that submitted the given repeats (request ids from the fake). */
function planFor(requests: Map<number, string>): ResumePlan {
  const plan = buildPlan(parseManifest(MANIFEST));
  const keys = runKeys(plan);
  const map = new Map<string, { attempt: string; requestId: string }>();
  for (const run of iterateRuns(plan)) {
    const id = requests.get(run.repeat);
    if (id) map.set(keys.of(run), { attempt: "1", requestId: id });
  }
  return { attempts: ["1"], requests: map, locks: [] };
}

async function rerun(resume: ResumePlan, budget: number, signal = new AbortController().signal) {
  const dir = await mkdtemp(path.join(tmpdir(), "fal-resume-"));
  await writeFile(path.join(dir, "fal-jobs.yaml"), MANIFEST);
  const before = fal.submitCount();
  const out = await runManifest({
    manifestPath: path.join(dir, "fal-jobs.yaml"),
    budgetUsd: budget,
    priceSource: "catalog",
    falKey: FAL_KEY,
    endpoints: { queueUrl: fal.url, restUrl: fal.url, apiUrl: `${fal.url}/v1` },
    outputDir: path.join(dir, "out"),
    billingTimeoutMs: 0,
    retryBaseMs: 5,
    signal,
    log: () => {},
    resume,
  });
  return { records: out.records!, submitted: fal.submitCount() - before };
}

/** A request submitted as an earlier attempt would have, finished at fal. */
async function earlierRequest(): Promise<string> {
  const res = await fetch(`${fal.url}/acme/img`, { method: "POST", headers: { authorization: `Key ${FAL_KEY}`, "content-type": "application/json" }, body: JSON.stringify({ prompt: "x", earlier: true }) });
  const { request_id } = (await res.json()) as { request_id: string };
  await expect.poll(() => fal.runs.get(request_id)!.state).toBe("COMPLETED");
  return request_id;
}

describe("a re-run's budget", () => {
  it("counts runs collected from an earlier request as committed from the start, at what fal billed: new runs fit in what is left", async () => {
    const first = await earlierRequest();
    const second = await earlierRequest();
    const earlier = new Map([[1, first], [3, second]]);
    // $0.03: the estimate passes the gate. When a#2 asks, a#1 is collected at $0.02 and a#3 is committed at $0.01:
    // no room. (Were a#3 counted only once collected, a#2 would start.) Both earlier requests are still collected.
    const { records, submitted } = await rerun(planFor(earlier), 0.03);
    expect(submitted).toBe(0);
    expect(records.map((r) => [r.id, r.status, r.request_id, r.resumed?.outcome])).toEqual([
      ["a#1", "succeeded", first, "collected"],
      ["a#2", "skipped-budget", null, undefined],
      ["a#3", "succeeded", second, "collected"],
    ]);
    // With room for it, the new run is submitted.
    const more = await rerun(planFor(earlier), 0.04);
    expect(more.submitted).toBe(1);
    expect(more.records.map((r) => r.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
  });

  it("a run cancelled before it started keeps its earlier request, uncollected, for the next attempt", async () => {
    const first = await earlierRequest();
    const cancelled = new AbortController();
    cancelled.abort(new Error("received SIGTERM"));
    const { records, submitted } = await rerun(planFor(new Map([[2, first]])), 1, cancelled.signal);
    expect(submitted).toBe(0);
    expect(records.map((r) => [r.status, r.request_id, r.uncollected ?? false])).toEqual([
      ["cancelled", null, false],
      ["cancelled", first, true],
      ["cancelled", null, false],
    ]);
  });
});
