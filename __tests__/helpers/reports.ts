import { estimatePlan } from "../../src/estimate/estimate.js";
import { applyGate, effectiveBudget } from "../../src/gate/estimate-gate.js";
import { parseManifest } from "../../src/manifest/load.js";
import { buildPlan } from "../../src/plan/expand.js";
import { indexCatalog } from "../../src/pricing/catalog.js";
import { resolvePrices } from "../../src/pricing/prices.js";
import { buildEstimateReport, type EstimateReport } from "../../src/report/model.js";
import { diffLock } from "../../src/lock/diff.js";
import { emptyLock } from "../../src/lock/schema.js";

const catalog = indexCatalog({
  as_of: "2026-11-01",
  currency: "USD",
  notes: [],
  entries: [
    { endpoint_id: "fal-ai/flux/dev", category: "image", unit: "megapixels", unit_price: 0.025, price_params: ["image_size", "num_images"], defaults: { image_size: "landscape_4_3", num_images: 1 }, source: { url: "https://fal.ai/models/fal-ai/flux/dev", kind: "fal-docs", checked: "2026-11-01" } },
  ],
});

/** An estimate report built by the real pipeline from manifest text. */
export function estimateReportFor(yaml: string, budgetInput?: number): EstimateReport {
  const m = parseManifest(yaml);
  const plan = buildPlan(m);
  const prices = resolvePrices(plan.jobs.map((j) => j.model), m.pricing, { status: "skipped", reason: "no fal key" }, catalog);
  const estimate = estimatePlan(plan, prices);
  const budget = effectiveBudget(budgetInput, m.budget);
  const lock = { path: null, status: "off" as const, entries: 0, diff: diffLock(plan, emptyLock()) };
  return buildEstimateReport({ manifestPath: "fal-jobs.yaml", plan, prices, estimate, full: estimate, lock, budgetScope: "new", budget, gate: applyGate(estimate, budget), now: new Date("2026-11-22T10:00:00Z") });
}

/** A manifest of `n` jobs whose ids and prompts are as long as the schema allows. */
export function manyJobs(n: number, prompt = "x"): string {
  // One anchored prompt, aliased by the other jobs: keeps a long prompt × thousands of jobs under the 1 MiB manifest limit.
  const jobs = Array.from({ length: n }, (_, i) => `  - {id: job-${String(i).padStart(5, "0")}-${"w".repeat(50)}, model: fal-ai/flux/dev, input: {prompt: ${i === 0 ? `&p ${JSON.stringify(prompt)}` : "*p"}}}`);
  return `version: 1\nbudget: 100000\njobs:\n${jobs.join("\n")}\n`;
}
