import { describe, expect, it } from "vitest";
import { parseManifest } from "../src/manifest/load.js";
import { buildPlan } from "../src/plan/expand.js";
import { indexCatalog } from "../src/pricing/catalog.js";
import type { Catalog } from "../src/pricing/catalog-schema.js";
import { resolvePrices, type LivePricing } from "../src/pricing/prices.js";
import { discounted, parseDiscountPercent } from "../src/pricing/discount.js";
import { estimatePlan } from "../src/estimate/estimate.js";
import { applyGate, effectiveBudget } from "../src/gate/estimate-gate.js";
import { diffLock } from "../src/lock/diff.js";
import { emptyLock } from "../src/lock/schema.js";
import { buildEstimateReport } from "../src/report/model.js";
import { parseReport } from "../src/report/schema.js";
import { renderMarkdown } from "../src/report/markdown.js";
import { renderText } from "../src/report/text.js";
import { discountMismatch } from "../src/billing/reconcile.js";
import type { BillingEvent, BillingLookup } from "../src/billing/types.js";
import { costNano } from "../src/util/money.js";

const src = { url: "https://fal.ai/models/x", kind: "fal-docs" as const, checked: "2026-11-01" };
const LIST = { flux: 0.025, veo: 0.4, veoSilent: 0.2 };
const catalog = indexCatalog({
  as_of: "2026-11-01",
  currency: "USD",
  notes: [],
  entries: [
    { endpoint_id: "fal-ai/flux/dev", category: "image", unit: "megapixels", unit_price: LIST.flux, price_params: ["image_size", "num_images"], defaults: { image_size: "landscape_4_3", num_images: 1 }, source: src },
    { endpoint_id: "fal-ai/veo3", category: "video", unit: "seconds", unit_price: LIST.veo, price_params: ["duration", "generate_audio"], defaults: { duration: "8s", generate_audio: true }, tiers: [{ when: { generate_audio: false }, unit_price: LIST.veoSilent }], source: src },
  ],
} satisfies Catalog);

const skipped: LivePricing = { status: "skipped", reason: "test" };

const MANIFEST = `version: 1
jobs:
  - {id: hero, model: fal-ai/flux/dev, repeat: 3, input: {prompt: "x", image_size: square_hd, num_images: 2}}
  - {id: clip, model: fal-ai/veo3, input: {prompt: "y", duration: "8s", generate_audio: false}}
`;

function estimateWith(yaml: string, discountPercent?: number, live: LivePricing = skipped) {
  const m = parseManifest(yaml);
  const plan = buildPlan(m);
  const prices = resolvePrices(plan.jobs.map((j) => j.model), m.pricing, live, catalog, { discountPercent });
  return { plan, prices, est: estimatePlan(plan, prices) };
}

describe("discount-percent: parsing", () => {
  it("takes a percentage from 0 up to, not including, 100, with or without a % sign", () => {
    expect(parseDiscountPercent("15")).toBe(15);
    expect(parseDiscountPercent(" 12.5% ")).toBe(12.5);
    expect(parseDiscountPercent("0")).toBe(0);
    expect(parseDiscountPercent("")).toBeUndefined();
    expect(parseDiscountPercent(undefined)).toBeUndefined();
  });

  it.each(["100", "-5", "abc", "15.5.5", "1e1", "0x10", "150%", "99.1234567"])("refuses %s, saying what is wanted", (bad) => {
    expect(() => parseDiscountPercent(bad)).toThrow(/from 0 up to \(not including\) 100, such as 15 or 12\.5/);
  });
});

describe("discount-percent: applied to catalog prices only", () => {
  it("takes the discount off the catalog's base price and off each tier", () => {
    const full = estimateWith(MANIFEST).est;
    const off = estimateWith(MANIFEST, 20).est;
    const [hero, clip] = off.jobs;
    expect(hero!.quote).toMatchObject({ source: "catalog", unitPrice: discounted(LIST.flux, 20), discountPercent: 20 });
    expect(discounted(LIST.flux, 20)).toBe(0.02);
    expect(hero!.totalNano).toBe(costNano(full.jobs[0]!.unitsTotal!, discounted(LIST.flux, 20)));
    // The silent tier is discounted like the base price, not priced at its list figure.
    expect(clip!.variants[0]!.unitPrice).toBe(discounted(LIST.veoSilent, 20));
    expect(clip!.totalNano).toBe(costNano(8, discounted(LIST.veoSilent, 20)));
    expect(off.totalNano).toBeLessThan(full.totalNano);
    // Billed units are priced at the same (discounted) figure, so a header-derived bill carries the discount too.
    expect(hero!.variants[0]!.billingUnitPrice).toBe(discounted(LIST.flux, 20));
  });

  it("leaves a live price alone: fal's pricing API already answers with the account's own price", () => {
    const live: LivePricing = { status: "ok", prices: new Map([["fal-ai/flux/dev", { endpoint_id: "fal-ai/flux/dev", unit_price: 0.021, unit: "megapixels", currency: "USD" }]]) };
    const withDiscount = estimateWith(MANIFEST, 20, live).est.jobs[0]!;
    const without = estimateWith(MANIFEST, undefined, live).est.jobs[0]!;
    expect(withDiscount.quote).toMatchObject({ source: "live", unitPrice: 0.021 });
    expect(withDiscount.quote!.discountPercent).toBeUndefined();
    expect(withDiscount.totalNano).toBe(without.totalNano);
  });

  it("a manifest price is checked against the account's (discounted) catalog price, and is never itself discounted", () => {
    const between = (LIST.flux + discounted(LIST.flux, 40)) / 2;
    const yaml = `version: 1\npricing:\n  fal-ai/flux/dev: {unit: megapixels, unit_price: ${between}}\njobs:\n  - {id: hero, model: fal-ai/flux/dev, input: {prompt: "x", image_size: square_hd}}\n`;
    // Below the list price, so without the discount fal's catalog price wins ...
    expect(estimateWith(yaml).est.jobs[0]!.variants[0]!.unitPrice).toBe(LIST.flux);
    // ... above the account's discounted price, so with it the manifest's own price stands, as written.
    const job = estimateWith(yaml, 40).est.jobs[0]!;
    expect(job.variants[0]!.unitPrice).toBe(between);
    expect(job.variants[0]!.priceSource).toBe("override");
  });
});

describe("discount-percent: in the report, the text and the Markdown", () => {
  function reportWith(discountPercent?: number) {
    const { plan, prices, est } = estimateWith(MANIFEST, discountPercent);
    const budget = effectiveBudget(10, undefined);
    return buildEstimateReport({ manifestPath: "fal-jobs.yaml", plan, prices, estimate: est, full: est, lock: { path: null, status: "off", entries: 0, diff: diffLock(plan, emptyLock(), { listLocked: false }) }, budgetScope: "new", budget, gate: applyGate(est, budget) });
  }

  it("records the discount in the prices and on each job it priced, and the report passes its own schema", () => {
    const report = reportWith(20);
    expect(report.prices.discount_percent).toBe(20);
    expect(report.jobs.map((j) => j.discount_percent)).toEqual([20, 20]);
    expect(report.jobs[0]!.unit_price).toBe(discounted(LIST.flux, 20));
    expect(report.jobs[0]!.source_detail).toBe("catalog 2026-11-01, less the account's 20% discount");
    expect(() => parseReport(JSON.parse(JSON.stringify(report)))).not.toThrow();
    expect(reportWith().prices.discount_percent).toBeNull();
  });

  it("says so in the terminal text, the summary and the comment", () => {
    const report = reportWith(12.5);
    expect(renderText(report)).toMatch(/catalog \(2026-11-01, less the account's 12\.5% discount\)/);
    const md = renderMarkdown(report);
    expect(md).toMatch(/bundled catalog dated 2026-11-01 less the account's 12\.5% discount/);
    expect(md).toMatch(/\| hero \|.*catalog 2026-11-01, less the account's 12\.5% discount \|/);
    expect(renderMarkdown(reportWith())).not.toMatch(/discount/);
  });

  it("an older report without the field still parses", () => {
    const report = JSON.parse(JSON.stringify(reportWith(20))) as Record<string, Record<string, unknown>>;
    delete report.prices!.discount_percent;
    for (const j of report.jobs as unknown as Array<Record<string, unknown>>) delete j.discount_percent;
    expect(() => parseReport(report)).not.toThrow();
  });
});

describe("discount-percent against fal's billing events", () => {
  const event = (id: string, model: string, pct: number | null): BillingEvent => ({ request_id: id, endpoint_id: model, output_units: 1, unit_price: 0.025, cost_total: null, cost_estimate_nano_usd: null, percent_discount: pct });
  const lookup = (...events: BillingEvent[]): BillingLookup => ({ status: "ok", events: new Map(events.map((e) => [e.request_id, e])) });
  const catalogPriced = new Set(["fal-ai/flux/dev"]);

  it("says which discount fal billed when it is not the one configured, with the value to set", () => {
    expect(discountMismatch(lookup(event("a", "fal-ai/flux/dev", 10)), catalogPriced, 20)).toBe(
      'fal billed catalog-priced models at a 10% discount, but discount-percent is 20%: set `discount-percent: "10"` so catalog estimates match your bills',
    );
    // No discount configured, one billed.
    expect(discountMismatch(lookup(event("a", "fal-ai/flux/dev", 15)), catalogPriced, undefined)).toMatch(/at a 15% discount, but discount-percent is 0%/);
    // One configured that fal does not give (null and 0 both mean none).
    expect(discountMismatch(lookup(event("a", "fal-ai/flux/dev", null)), catalogPriced, 20)).toMatch(/at a 0% discount, but discount-percent is 20%/);
  });

  it("is quiet when they agree, for models not priced from the catalog, and without billing events", () => {
    expect(discountMismatch(lookup(event("a", "fal-ai/flux/dev", 20)), catalogPriced, 20)).toBeUndefined();
    expect(discountMismatch(lookup(event("a", "fal-ai/flux/dev", null)), catalogPriced, undefined)).toBeUndefined();
    expect(discountMismatch(lookup(event("a", "acme/live-priced", 30)), catalogPriced, 20)).toBeUndefined();
    expect(discountMismatch({ status: "refused", message: "403" }, catalogPriced, 20)).toBeUndefined();
    expect(discountMismatch(undefined, catalogPriced, 20)).toBeUndefined();
  });
});
