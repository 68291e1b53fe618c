import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { ErrorReport, Report } from "../src/report/model.js";
import { annotations, ROOT, runAction } from "./helpers/action.js";

const MANIFEST = `version: 1
budget: {limit: 5, warn_at: 0.9}
pricing:
  acme/lora: {unit: images, unit_price: 0.035}
jobs:
  - id: hero
    model: fal-ai/flux/dev
    input: {prompt: "A city under a purple sky", image_size: square_hd, num_images: 2}
    repeat: 3
  - id: thumbs
    model: acme/lora
    matrix: {animal: [cat, dog], n: [1, 2]}
    input: {prompt: "a \${{ matrix.animal }}", num_images: "\${{ matrix.n }}"}
`;
// hero: 3 runs × 2 images × 1 MP × $0.025 = $0.15; thumbs: (1+2+1+2) images × $0.035 = $0.21

describe("the built action, dry run (as the runner runs it)", () => {
  it("estimates within budget: outputs, job summary and report JSON", async () => {
    const run = await runAction({ inputs: { manifest: "fal-jobs.yaml", budget: "1" }, files: { "fal-jobs.yaml": MANIFEST } });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ "estimated-cost": "0.36", budget: "1.00", "over-budget": "false", "billed-cost": "" });
    expect(run.summary).toContain("Within budget");
    // Job, runs, units, unit price, estimate (no-break spaces keep each figure on one line); each price's source is
    // in the footnote: the catalog unmarked, the manifest's price marked.
    expect(run.summary).toMatch(/^\| hero<br><sub>`fal-ai\/flux\/dev`<\/sub> \| 3 \| 6\u00a0MP \| \$0\.025\/MP \| \$0\.15 \|$/m);
    expect(run.summary).toMatch(/^\| thumbs<br><sub>`acme\/lora`<\/sub> \| 4 \| 6\u00a0images \| \$0\.035\/image \| \$0\.21 † \|$/m);
    expect(run.summary).toMatch(/Unit prices: the bundled catalog of fal's published prices, dated \d{4}-\d{2}-\d{2} .*† unit price from the manifest's `pricing:`/);
    const report = JSON.parse(await readFile(run.outputs["report-path"]!, "utf8")) as Report;
    expect(report.mode).toBe("estimate");
    expect(report.totals).toMatchObject({ runs: 7, estimated: "0.36", estimated_nano: 360_000_000, unknown_runs: 0 });
    // The smaller of the workflow's $1 and the manifest's $5.
    expect(report.budget).toMatchObject({ effective: "1.00", source: "both", input: "1.00", manifest: "5.00" });
    expect(path.dirname(run.outputs["report-path"]!)).toBe(path.join(run.workspace, "fal-outputs"));
  });

  it("fails over budget after writing the report, summary and outputs", async () => {
    const run = await runAction({ inputs: { budget: "0.30" }, files: { "fal-jobs.yaml": MANIFEST } });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ "estimated-cost": "0.36", budget: "0.30", "over-budget": "true" });
    expect(run.summary).toContain("Over budget");
    expect(run.summary).toContain("estimated $0.36 exceeds the budget of $0.30 by $0.06");
    expect(annotations(run.stdout).map((a) => a.message).join("\n")).toMatch(/exceeds the budget of \$0\.30/);
    const report = JSON.parse(await readFile(run.outputs["report-path"]!, "utf8")) as Report;
    expect(report.verdict).toBe("over-budget");
    expect(report.pass).toBe(false);
  });

  it("rejects an invalid manifest with annotations on the exact lines, every problem at once, and a report that says why", async () => {
    const bad = MANIFEST.replace("repeat: 3", "repeats: 3").replace("num_images: 2}", "num_images: two}").replace("id: thumbs", "id: hero").replace("budget: {limit: 5,", "budget: {limit: five,");
    const run = await runAction({ inputs: {}, files: { "fal-jobs.yaml": bad } });
    expect(run.code).toBe(1);
    const errors = annotations(run.stdout).filter((a) => a.props.file === "fal-jobs.yaml");
    // The schema's problems and the duplicate id in one pass, top to bottom, each in plain words at its own position.
    expect(errors).toEqual([
      { props: expect.objectContaining({ line: "2", col: "17", title: "fal-jobs.yaml" }), message: 'budget.limit: must be a number, not the text "five"' },
      { props: expect.objectContaining({ line: "9", col: "5", title: "fal-jobs.yaml" }), message: "jobs[0].repeats: unknown key `repeats` — did you mean `repeat`?" },
      { props: expect.objectContaining({ line: "10", col: "9", title: "fal-jobs.yaml" }), message: 'jobs[1].id: duplicate job id "hero" (also jobs[0]): give each job its own id' },
    ]);
    // The report (for the fork-safe upload step) holds the same problems; no figure is set as an output.
    expect(Object.keys(run.outputs)).toEqual(["report-path"]);
    const report = JSON.parse(await readFile(run.outputs["report-path"]!, "utf8")) as ErrorReport;
    expect(report).toMatchObject({ mode: "error", pass: false, error: { kind: "invalid-manifest" } });
    expect(report.error.issues.map((i) => [i.line, i.column, `${i.path}: ${i.message}`])).toEqual(errors.map((a) => [Number(a.props.line), Number(a.props.col), a.message]));
    expect(run.summary).toContain("Invalid manifest");
    expect(run.summary).toContain("`fal-jobs.yaml:9:5`");
  });

  it("loads no network or process stack: a dry run stays cheap to start", async () => {
    const record = path.join(await mkdtemp(path.join(tmpdir(), "fal-jobs-builtins-")), "loaded.json");
    const run = await runAction({
      inputs: {},
      files: { "fal-jobs.yaml": MANIFEST },
      env: { NODE_OPTIONS: `--import ${pathToFileURL(path.join(ROOT, "__tests__/helpers/record-builtins.mjs")).href}`, RECORD_BUILTINS_TO: record },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const loaded = JSON.parse(await readFile(record, "utf8")) as string[];
    expect(loaded).toContain("fs/promises"); // the recorder works
    // @actions/core imports these only for OIDC tokens and platform details; the bundle defers them (src/shims/).
    for (const heavy of ["http", "https", "tls", "child_process"]) expect(loaded, heavy).not.toContain(heavy);
  });

  it("is clear about a missing manifest", async () => {
    const run = await runAction({ inputs: { manifest: "nope.yaml" } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/nope\.yaml.*file not found/);
  });

  it("refuses a real run without a key, submitting nothing", async () => {
    const run = await runAction({ inputs: { "dry-run": "false", budget: "1" }, files: { "fal-jobs.yaml": MANIFEST } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/no fal key/);
  });
});
