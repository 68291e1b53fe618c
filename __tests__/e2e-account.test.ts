import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { bundledCatalog } from "../src/pricing/bundled-catalog.js";
import { discounted } from "../src/pricing/discount.js";
import { costNano, formatUsd } from "../src/util/money.js";
import { CLI, FAST_RETRIES, readRunReport, runAction } from "./helpers/action.js";
import { useRunFakes } from "./helpers/run-fakes.js";
import { FAL_ADMIN_KEY, FAL_KEY } from "./fakes/fal.js";

/**
 * The account, through the built dist/index.js against the loopback fakes:
 * the workflow's discount on catalog prices, and the credit balance checked
 * with an ADMIN key before anything is submitted.
 */

const fakes = useRunFakes();

const FLUX = "fal-ai/flux/dev";
const LIST = bundledCatalog().entries.get(FLUX)!.unit_price!;
// Two runs of one square_hd image: 1 megapixel each.
const MANIFEST = `version: 1
jobs:
  - {id: hero, model: ${FLUX}, repeat: 2, input: {prompt: "x", image_size: square_hd}}
`;

const readReport = async (run: { outputs: Record<string, string> }) => JSON.parse(await readFile(run.outputs["report-path"]!, "utf8")) as Report;

describe("discount-percent", () => {
  it("a dry run takes it off catalog prices, and says so in the report and the summary", async () => {
    const run = await runAction({ inputs: { budget: "1", "discount-percent": "20" }, files: { "fal-jobs.yaml": MANIFEST } });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const report = await readReport(run);
    expect(report.prices.discount_percent).toBe(20);
    expect(report.jobs[0]).toMatchObject({ discount_percent: 20, unit_price: discounted(LIST, 20) });
    expect(report.totals.estimated_nano).toBe(2 * costNano(1, discounted(LIST, 20)));
    expect(run.outputs["estimated-cost"]).toBe(formatUsd(2 * costNano(1, discounted(LIST, 20))));
    expect(run.summary).toMatch(/less the account's 20% discount/);
  });

  it("a bad value fails the step before anything is estimated, naming the input and the fix", async () => {
    const run = await runAction({ inputs: { budget: "1", "discount-percent": "100" }, files: { "fal-jobs.yaml": MANIFEST } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/discount-percent: expected a percentage from 0 up to \(not including\) 100/);
    // Every outcome writes a report: this one says what was wrong with the input, and nothing else.
    const report = JSON.parse(await readFile(run.outputs["report-path"]!, "utf8")) as { mode: string };
    expect(report.mode).toBe("error");
    expect(run.outputs["estimated-cost"]).toBeUndefined();
  });

  it("the CLI takes --discount-percent the same way, and refuses a bad one as a usage error (exit 2)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "fal-jobs-cli-discount-"));
    await writeFile(path.join(dir, "fal-jobs.yaml"), MANIFEST);
    const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, "estimate", "--price-source", "catalog", ...args], { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
    const ok = cli("--json", "--discount-percent", "12.5%");
    expect(ok.status, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout) as Report;
    expect(report.prices.discount_percent).toBe(12.5);
    expect(report.totals.estimated_nano).toBe(2 * costNano(1, discounted(LIST, 12.5)));
    expect(cli("--discount-percent", "12.5").stdout).toMatch(/less the account's 12\.5% discount/);
    const bad = cli("--discount-percent=-3");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--discount-percent: expected a percentage from 0 up to \(not including\) 100/);
  });

  it("a real run with fal's billing events: billed at the discount configured, billed equals the estimate", async () => {
    fakes.fal.setPrice(FLUX, { unit_price: LIST, unit: "megapixels" });
    fakes.fal.setPercentDiscount(20);
    const run = await fakes.realRun(MANIFEST, { inputs: { budget: "1", "discount-percent": "20", "fal-admin-key": FAL_ADMIN_KEY } });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const report = await readRunReport(run);
    expect(report.runs.map((r) => r.billed.source)).toEqual(["billing-events", "billing-events"]);
    expect(report.execution.billed_nano).toBe(report.totals.estimated_nano);
    expect(report.execution.delta_nano).toBe(0);
    expect(report.warnings.join("\n")).not.toMatch(/discount/);
  });

  it("a real run whose bills show a discount the workflow does not set warns with the figure to set", async () => {
    fakes.fal.setPrice(FLUX, { unit_price: LIST, unit: "megapixels" });
    fakes.fal.setPercentDiscount(15);
    const run = await fakes.realRun(MANIFEST, { inputs: { budget: "1", "fal-admin-key": FAL_ADMIN_KEY } });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const report = await readRunReport(run);
    expect(report.warnings).toContain('fal billed catalog-priced models at a 15% discount, but discount-percent is 0%: set `discount-percent: "15"` so catalog estimates match your bills');
    // Billed below the (list-price) estimate by the discount.
    expect(report.execution.billed_nano).toBe(2 * costNano(1, discounted(LIST, 15)));
    expect(report.execution.delta_nano).toBeLessThan(0);
  });
});

describe("the credit check before a real run", () => {
  it("credits that cover the run: checked once, noted in the log, the report and the summary, and the runs go", async () => {
    fakes.fal.setCredits({ current_balance: 10, currency: "USD" });
    const run = await fakes.realRun(MANIFEST, { inputs: { budget: "1", "fal-admin-key": FAL_ADMIN_KEY } });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(fakes.fal.accountQueries).toEqual(["credits"]);
    expect(fakes.fal.submitCount()).toBe(2);
    const report = await readRunReport(run);
    expect(report.account).toMatchObject({ credit_check: "covered", balance: "10.00", needed_nano: report.totals.estimated_nano });
    expect(run.stdout).toMatch(/credits: credits \$10\.00 cover the most this run can commit/);
    expect(run.summary).toMatch(/💳 Credits \$10\.00 covered the most this run could commit/);
  });

  it("credits below the most the run can commit: nothing is submitted, the step fails with the balance and the fix", async () => {
    const estimate = 2 * costNano(1, LIST);
    // One run's worth: the budget ($1) would allow both runs, the credits only one.
    fakes.fal.setCredits({ current_balance: String(estimate / 2 / 1e9), currency: "USD" });
    const run = await fakes.realRun(MANIFEST, { inputs: { budget: "1", "fal-admin-key": FAL_ADMIN_KEY } });
    expect(run.code).toBe(1);
    expect(fakes.fal.submitCount()).toBe(0);
    const report = await readReport(run);
    expect(report.mode).toBe("estimate");
    expect(report.pass).toBe(false);
    expect(report.account).toMatchObject({ credit_check: "short", balance_nano: estimate / 2, needed_nano: estimate });
    expect(report.reasons.join("\n")).toMatch(/the account's credits \(\$[\d.]+\) do not cover the most this run can commit \(\$[\d.]+\): nothing was submitted\. Add credits, or lower the budget/);
    expect(run.summary).toMatch(/❌ fal-jobs: Not run — the account's credits do not cover it/);
  });

  it("without an ADMIN key the check is skipped, and the log and the report say so", async () => {
    const run = await fakes.realRun(MANIFEST, { inputs: { budget: "1" } });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(fakes.fal.accountQueries).toEqual([]);
    expect(fakes.fal.submitCount()).toBe(2);
    const report = await readRunReport(run);
    expect(report.account).toMatchObject({ credit_check: "skipped", balance: null });
    expect(run.stdout).toMatch(/credit balance not checked: no `fal-admin-key`/);
    expect(run.summary).toMatch(/💳 Credit balance not checked/);
  });

  it("a key fal refuses (403: not ADMIN scope) skips the check, saying why", async () => {
    const run = await fakes.realRun(MANIFEST, { inputs: { budget: "1", "fal-admin-key": FAL_KEY } });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(fakes.fal.submitCount()).toBe(2);
    const report = await readRunReport(run);
    expect(report.account!.credit_check).toBe("skipped");
    expect(report.account!.detail).toMatch(/account API answered 403.*ADMIN-scope key/);
    // The key is only ever handed to the runner to mask.
    const shown = run.stdout.split("\n").filter((l) => !l.startsWith("::add-mask::"));
    expect([...shown, run.summary].join("\n")).not.toContain(FAL_KEY);
  });

  it("fal's account API down (5xx on every try): money-safe, nothing is submitted and the step says why", async () => {
    fakes.fal.failAccount({ status: 503 }, { status: 503 }, { status: 503 });
    // Three tries, backing off from 5 ms instead of 1 s (the test seam): the count is what matters here.
    const run = await fakes.realRun(MANIFEST, { inputs: { budget: "1", "fal-admin-key": FAL_ADMIN_KEY }, env: FAST_RETRIES });
    expect(run.code).toBe(1);
    expect(fakes.fal.accountQueries).toHaveLength(3);
    expect(fakes.fal.submitCount()).toBe(0);
    const report = await readReport(run);
    expect(report.account).toMatchObject({ credit_check: "failed", balance: null });
    expect(report.reasons.join("\n")).toMatch(/credit balance could not be read \(fal's account API answered 503: account billing unavailable\), so nothing was submitted/);
  });
});
