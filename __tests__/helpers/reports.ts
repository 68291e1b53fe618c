import { estimatePlan } from "../../src/estimate/estimate.js";
import { applyGate, effectiveBudget } from "../../src/gate/estimate-gate.js";
import { parseManifest } from "../../src/manifest/load.js";
import { buildPlan } from "../../src/plan/expand.js";
import { indexCatalog } from "../../src/pricing/catalog.js";
import { resolvePrices } from "../../src/pricing/prices.js";
import { buildEstimateReport, type EstimateReport } from "../../src/report/model.js";
import { diffLock } from "../../src/lock/diff.js";
import { emptyLock } from "../../src/lock/schema.js";
import { compareWithBase } from "../../src/flows/base.js";
import type { IncreaseLimit } from "../../src/gate/increase-gate.js";

const catalog = indexCatalog({
  as_of: "2026-11-01",
  currency: "USD",
  notes: [],
  entries: [
    { endpoint_id: "fal-ai/flux/dev", category: "image", unit: "megapixels", unit_price: 0.025, price_params: ["image_size", "num_images"], defaults: { image_size: "landscape_4_3", num_images: 1 }, source: { url: "https://fal.ai/models/fal-ai/flux/dev", kind: "fal-docs", checked: "2026-11-01" } },
  ],
});

/** The base of a pull request for estimateReportFor: its manifest text (null: none there), commit and fail-on-increase limit. */
export interface BaseFor {
  yaml: string | null;
  /** The base commit (default: a fixed one); null for a base given as files, as the CLI's --base-manifest. */
  sha?: string | null;
  limit?: IncreaseLimit;
}

/** An estimate report built by the real pipeline from manifest text; with `base`, compared with that base as on a pull request. */
export function estimateReportFor(yaml: string, budgetInput?: number, base?: BaseFor): EstimateReport {
  const m = parseManifest(yaml);
  const plan = buildPlan(m);
  const live = { status: "skipped", reason: "no fal key" } as const;
  const prices = resolvePrices(plan.jobs.map((j) => j.model), m.pricing, live, catalog);
  const estimate = estimatePlan(plan, prices);
  const budget = effectiveBudget(budgetInput, m.budget);
  const lock = { path: null, status: "off" as const, entries: 0, diff: diffLock(plan, emptyLock(), { listLocked: false }) };
  const gate = applyGate(estimate, budget);
  let baseReport;
  if (base) {
    const sha = base.sha === undefined ? "ba5e".padEnd(40, "0") : base.sha;
    const loaded = base.yaml === null
      ? { sha, status: "absent" as const, detail: "fal-jobs.yaml did not exist" }
      : (() => {
          const manifest = parseManifest(base.yaml, "fal-jobs.yaml@base");
          return { sha, status: "read" as const, via: sha === null ? ("file" as const) : ("api" as const), name: "fal-jobs.yaml@base", manifest, plan: buildPlan(manifest), lock: emptyLock() };
        })();
    const compared = compareWithBase(loaded, { toSpend: estimate, full: estimate }, { live, catalog, policy: { allowLowerPrices: false } }, base.limit, budget.unknownPrice);
    gate.reasons.push(...compared.check.reasons);
    gate.warnings.push(...compared.check.warnings);
    gate.pass = gate.reasons.length === 0;
    baseReport = compared.report;
  }
  return buildEstimateReport({ manifestPath: "fal-jobs.yaml", plan, prices, estimate, full: estimate, lock, budgetScope: "new", budget, gate, base: baseReport, now: new Date("2026-11-22T10:00:00Z") });
}

/** A manifest of `n` jobs whose ids and prompts are as long as the schema allows. */
export function manyJobs(n: number, prompt = "x"): string {
  // A long prompt is anchored once and aliased by the other jobs: keeps a long prompt × thousands of jobs under the
  // 1 MiB manifest limit. A short one is written out: yaml resolves each alias by a scan of the document's anchors
  // and aliases before it, so thousands of aliases take seconds to parse, for the same data.
  const value = (i: number) => (prompt.length <= 8 ? JSON.stringify(prompt) : i === 0 ? `&p ${JSON.stringify(prompt)}` : "*p");
  const jobs = Array.from({ length: n }, (_, i) => `  - {id: job-${String(i).padStart(5, "0")}-${"w".repeat(50)}, model: fal-ai/flux/dev, input: {prompt: ${value(i)}}}`);
  return `version: 1\nbudget: 100000\njobs:\n${jobs.join("\n")}\n`;
}
