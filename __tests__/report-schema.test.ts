import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidOutput, reportOutputs } from "../src/action/outputs.js";
import { reconcile } from "../src/billing/reconcile.js";
import { runVerdict } from "../src/gate/run-verdict.js";
import { buildCommentBody } from "../src/report/comment.js";
import type { AnyReport } from "../src/report/model.js";
import { failureReport } from "../src/action/failures.js";
import { ManifestError } from "../src/manifest/errors.js";
import { buildRunReport } from "../src/report/run-report.js";
import { parseReport, ReportSchemaError, runEntrySchema } from "../src/report/schema.js";
import { plainRunEntry } from "../src/report/quick-run.js";
import { renderMarkdown } from "../src/report/markdown.js";
import { buildSummary } from "../src/report/summary.js";
import type { RunRecord } from "../src/run/types.js";
import { logLine } from "../src/util/log-line.js";
import { runnerCommands } from "./helpers/commands.js";
import { estimateReportFor } from "./helpers/reports.js";

/**
 * Post-only mode renders a report JSON that an untrusted run wrote. The
 * schema must let through every report the action writes, and nothing the
 * renderer, the outputs or the log line cannot take: whatever the file holds,
 * the only failure is a ReportSchemaError naming a field.
 */

const ESTIMATE = estimateReportFor(`version: 1
budget: {limit: 5, per_job_limit: 2, warn_at: 0.5}
jobs:
  - id: grid
    model: fal-ai/flux/dev
    matrix: {subject: [cat, dog], size: [square_hd, landscape_16_9]}
    input: {prompt: "a \${{ matrix.subject }}", image_size: "\${{ matrix.size }}"}
  - id: other
    model: acme/unknown
    input: {prompt: x}
`, 4, { yaml: "version: 1\njobs:\n  - {id: grid, model: fal-ai/flux/dev, input: {prompt: a cat}}\n  - {id: dropped, model: fal-ai/flux/dev, input: {prompt: x}}\n" });

function record(id: string, job: string, variant: string, status: RunRecord["status"], extra: Partial<RunRecord> = {}): RunRecord {
  return {
    id, job, model: "fal-ai/flux/dev", variant, repeat: 1, status, submitted: status !== "skipped-budget", submit_outcome: status === "skipped-budget" ? "not-attempted" : "accepted", request_id: status === "skipped-budget" ? null : `req-${id}`,
    error: status === "failed" ? { message: "HTTP 422: prompt: too long (value_error)", status: 422, type: "value_error", stage: "result" } : null,
    timings: { started_at: "2026-11-22T10:00:00.000Z", submitted_at: "2026-11-22T10:00:01.000Z", completed_at: null, finished_at: "2026-11-22T10:00:05.000Z", total_ms: 5000 },
    estimate_nano: 25_000_000, unit_price: 0.025, header_units: status === "succeeded" ? 1 : null, observed_units: null, input_units: null,
    dir: status === "succeeded" ? `${job}/${id}` : null,
    outputs: status === "succeeded" ? [{ source: "images[0]", url: "https://v3.fal.media/x.png", content_type: "image/png", path: `${job}/${id}/images-0.png`, bytes: 10, sha256: "ab".repeat(32), error: null }] : [],
    ...extra,
  };
}

const RECONCILED = reconcile(
  [
    record("grid[subject=cat,size=square_hd]#1", "grid", "subject=cat,size=square_hd", "succeeded"),
    record("grid[subject=dog,size=square_hd]#1", "grid", "subject=dog,size=square_hd", "failed"),
    record("grid[subject=cat,size=landscape_16_9]#1", "grid", "subject=cat,size=landscape_16_9", "timed-out"),
    record("other#1", "other", "", "skipped-budget"),
  ],
  undefined,
);
const RUN = buildRunReport({
  estimate: ESTIMATE,
  reconciliation: RECONCILED,
  verdict: runVerdict({ gate: ESTIMATE, budget: { limitNano: ESTIMATE.budget.effective_nano ?? undefined }, reconciliation: RECONCILED, cancelReason: null }),
  billingSource: "header-and-outputs",
  startedAt: new Date("2026-11-22T10:00:00Z"),
  finishedAt: new Date("2026-11-22T10:01:00Z"),
  cancelReason: null,
  outputDir: "/tmp/fal-outputs",
  locked: [],
  storeUrls: new Map(),
});
// As main.ts does once the upload succeeded.
RUN.execution!.artifact = { name: "fal-outputs-attempt-1", id: 42, url: "https://github.com/acme/widgets/actions/runs/1/artifacts/42" };
RUN.context = { repository: "acme/widgets", pr_number: 7, server_url: "https://github.com" };

// What the action writes when nothing could be estimated.
const ERROR = failureReport(
  new ManifestError("fal-jobs.yaml", [{ file: "fal-jobs.yaml", line: 4, column: 5, path: "jobs[0].modle", message: "unknown key `modle` — did you mean `model`?" }]),
  "fal-jobs.yaml",
  { repository: "acme/widgets", pr_number: 7, run_id: "12", server_url: "https://github.com" },
  [],
);

const STAMP = { runId: 1, attempt: 1, at: "2026-11-22T10:00:00Z" };

/** What publish() does with a report: outputs, summary, comment, the closing log line. */
function publishOffline(report: AnyReport): void {
  for (const [name, value] of reportOutputs(report, "/tmp/fal-outputs/fal-jobs-report.json")) {
    if (!isValidOutput(name, value)) throw new Error(`output ${name} malformed: ${JSON.stringify(value)}`);
  }
  buildSummary(report);
  buildCommentBody(report, "default", STAMP);
  if (report.mode === "error") return;
  const line = logLine(`fal-jobs: ${report.mode === "run" ? `run finished; billed ${report.execution?.billed ?? "(not all known)"}` : report.verdict} — estimated $${report.totals.estimated}`);
  if (runnerCommands(line).length) throw new Error(`log line is a command: ${line}`);
}

const HOSTILE_STRINGS = ["$(curl x|sh)", "1.00\n::error::x", "::add-mask::x", "##[set-output name=x;]y", "`rm -rf /`", "", "1e400", "-1.00", "NaN", "__proto__", "constructor"];
const hostileValue = fc.oneof(
  fc.constantFrom<unknown>(...HOSTILE_STRINGS, null, true, 0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2, [], {}, "run", "estimate", "over-budget"),
  fc.anything({ maxDepth: 2, maxKeys: 3 }),
);

interface Mutation {
  steps: number[];
  value: unknown;
  /** Keep the leaf's JSON type (a string for a string…): such reports often stay valid, so rendering gets exercised too. */
  typed: { string: string; number: number; boolean: boolean } | null;
  remove: boolean;
}

/** Replaces (or deletes) the value at a path chosen by indices into each level's keys. */
function mutate(root: unknown, { steps, value, typed, remove }: Mutation): void {
  let node = root as Record<string, unknown>;
  for (let i = 0; i < steps.length; i++) {
    const keys = Object.keys(node);
    if (keys.length === 0) return;
    const key = keys[steps[i]! % keys.length]!;
    const child = node[key];
    const last = i === steps.length - 1 || child === null || typeof child !== "object";
    if (last) {
      if (typed) {
        const t = typeof child;
        if (t === "string" || t === "number" || t === "boolean") node[key] = typed[t];
      } else if (remove) delete node[key];
      else node[key] = value;
      return;
    }
    node = child as Record<string, unknown>;
  }
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  steps: fc.array(fc.nat(40), { minLength: 1, maxLength: 6 }),
  value: hostileValue,
  typed: fc.option(
    fc.record({
      string: fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: "binary", maxLength: 40 })),
      number: fc.oneof(fc.integer({ min: -1e12, max: 1e12 }), fc.double({ noNaN: true }), fc.constantFrom(0, 1, -1, 0.5)),
      boolean: fc.boolean(),
    }),
    { freq: 5 },
  ),
  remove: fc.boolean(),
});

describe("the report schema", () => {
  it("accepts every kind of report the action writes, and they render", () => {
    for (const report of [ESTIMATE, RUN, ERROR]) {
      const parsed = parseReport(JSON.parse(JSON.stringify(report)));
      expect(parsed).toEqual(JSON.parse(JSON.stringify(report)));
      publishOffline(parsed);
    }
  });

  it("rejects with the first bad field named", () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form edits of a JSON document
    type Loose = Record<string, any>;
    const bad = (f: (r: Loose) => void) => {
      const r = structuredClone(RUN) as unknown as Loose;
      f(r);
      try {
        parseReport(r);
      } catch (err) {
        return (err as Error).message;
      }
      return "accepted";
    };
    expect(bad((r) => (r.execution.billed = "$(curl x|sh)"))).toMatch(/^execution\.billed: /);
    expect(bad((r) => (r.jobs[1].variants[0].cost_per_run_nano = 0.5))).toMatch(/^jobs\[1\]\.variants\[0\]\.cost_per_run_nano: /);
    expect(bad((r) => delete r.jobs[0].run)).toMatch(/^jobs\[0\]\.run: required when mode is run/);
    expect(bad((r) => delete r.execution)).toMatch(/^execution: required when mode is run/);
    expect(bad((r) => (r.schema = "fal-jobs-report/v2"))).toMatch(/^schema: /);
    expect(bad((r) => (r.totals.estimated_nano = Infinity))).toMatch(/^totals\.estimated_nano: /);
    expect(() => parseReport(null)).toThrow(ReportSchemaError);
    expect(() => parseReport([])).toThrow(ReportSchemaError);
  });

  it("rejects a report whose totals disagree with its parts, so outputs cannot state a complete total that is not one", () => {
    expect(RUN.execution.unknown_runs + RUN.execution.pending_runs).toBeGreaterThan(0);
    const cases: Array<[(r: typeof RUN) => void, string]> = [
      [(r) => (r.execution.billed = "0.00"), "execution.billed"],
      [(r) => (r.execution.unknown_runs = 0), "execution.pending_runs"],
      [(r) => (r.execution.billed_nano += 1), "execution.billed_nano"],
      [(r) => (r.totals.estimated_nano = 0), "totals.estimated_nano"],
      [(r) => (r.base!.totals!.full.estimated_nano += 1), "base.totals"],
      [(r) => (r.base!.totals = null), "base.totals"],
    ];
    for (const [mutate, field] of cases) {
      const r = structuredClone(RUN);
      mutate(r);
      expect(() => parseReport(r), field).toThrow(ReportSchemaError);
      expect(() => parseReport(r)).toThrow(new RegExp(`^${field.replace(".", "\\.")}: `));
    }
  });

  it("rows folded into *N more* still say how many of their runs have an unknown cost", () => {
    // The first row shown is the priced job; the unpriced one is folded away, in the estimate and in the run table.
    const estimate = renderMarkdown(ESTIMATE, { maxJobRows: 1 });
    // Cells: job, runs, units, unit price, estimate, change against the base.
    expect(estimate).toMatch(/^\| \*1 more\* \| 1 \| +\| +\| unknown \(1 run\) \|/m);
    const folded = structuredClone(RUN);
    folded.jobs[1]!.run.unknown_runs = 1;
    const run = renderMarkdown(folded, { maxJobRows: 1 });
    const more = run.split("\n").find((l) => l.startsWith("| *1 more*"))!;
    // Cells: job, runs, units, estimated, billed, status.
    expect(more.split("|")[5]).toMatch(/ \+ 1 unknown | unknown /);
  });

  it("the quick check of run entries never accepts what the schema refuses, and what it accepts is the schema's own output", () => {
    const plain = RUN.runs!.find((r) => r.status === "succeeded")!;
    expect(plainRunEntry(JSON.parse(JSON.stringify(plain)))).toBe(true);
    // Its keys in another order are the same entry; one of them swapped for a key the schema would drop is not.
    const reordered = Object.fromEntries(Object.entries(JSON.parse(JSON.stringify(plain)) as Record<string, unknown>).reverse());
    expect(plainRunEntry(reordered)).toBe(true);
    const { dir, ...withoutDir } = reordered;
    expect(plainRunEntry({ ...withoutDir, dirr: dir })).toBe(false);
    expect(plainRunEntry({ ...withoutDir, dir, extra: 1 })).toBe(false);
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const entry = JSON.parse(JSON.stringify(plain)) as unknown;
        for (const m of mutations) mutate(entry, m);
        if (!plainRunEntry(entry)) return;
        const parsed = runEntrySchema.safeParse(entry);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(entry);
      }),
      { numRuns: 3000 },
    );
  });

  it("hostile reports: the only failure is a ReportSchemaError, and what passes renders with well-formed outputs", () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom<AnyReport>(ESTIMATE, RUN, ERROR), fc.array(mutation, { minLength: 1, maxLength: 4 }), (base, mutations) => {
        const report = JSON.parse(JSON.stringify(base)) as unknown;
        for (const m of mutations) mutate(report, m);
        let parsed: AnyReport;
        try {
          parsed = parseReport(JSON.parse(JSON.stringify(report) ?? "null"));
        } catch (err) {
          if (err instanceof ReportSchemaError) return;
          throw err;
        }
        accepted++;
        publishOffline(parsed);
      }),
      { seed: 20261122, numRuns: 1500 },
    );
    // Mutations of free-text fields keep a report valid: the property covered rendering too, not only rejection.
    expect(accepted).toBeGreaterThan(200);
  });
});
