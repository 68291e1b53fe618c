import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { formatUsd, toNano } from "../src/util/money.js";
import { readRunReport, runAction } from "./helpers/action.js";
import { useRunFakes } from "./helpers/run-fakes.js";
import { FAL_ADMIN_KEY } from "./fakes/fal.js";

/**
 * Calibration from the account's own bills, through the built dist/index.js:
 * a real run of a model billed by compute seconds records what fal billed in
 * the lock, and the next estimate of that job comes from those bills.
 */

const fakes = useRunFakes();

const WHISPER = "fal-ai/whisper";
const UNIT_PRICE = 0.01;
const UNITS = [1, 2, 3];
const manifest = (audio: string, extra = "") => `version: 1
budget: 1
jobs:
  - {id: transcribe, model: ${WHISPER}, repeat: ${UNITS.length}, ${extra}input: {audio_url: "https://example.com/${audio}.mp3"}}
`;

describe("the history price source, end to end", () => {
  it("a real run's bills, kept in the lock, estimate the job's next runs (p95) and show how far its estimates were", async () => {
    const workspace = await mkdtemp(path.join(tmpdir(), "fal-jobs-history-"));
    fakes.fal.setPrice(WHISPER, { unit_price: UNIT_PRICE, unit: "compute seconds" });
    fakes.fal.setModel(WHISPER, { outcome: ({ index }) => ({ output: { text: "hello" }, billableUnits: UNITS[index % UNITS.length], noUnitsHeader: true }) });

    // No price and no measurable units: the first run needs its bound.
    const first = await fakes.realRun(manifest("a", "max_cost: 0.05, "), { workspace, inputs: { "fal-admin-key": FAL_ADMIN_KEY } });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const run = await readRunReport(first);
    const bills = UNITS.map((u) => toNano(u * UNIT_PRICE));
    expect(run.runs.map((r) => r.billed.cost_nano).sort((a, b) => a! - b!)).toEqual(bills);
    const lock = JSON.parse(await readFile(path.join(workspace, "fal-jobs.lock.json"), "utf8")) as { runs: Record<string, { billed_nano: number }> };
    expect(Object.values(lock.runs).map((e) => e.billed_nano).sort((a, b) => a - b)).toEqual(bills);

    // A new input, no bound: estimated from what the job was billed, not "unknown".
    const next = await runAction({ workspace, inputs: { budget: "1", "price-source": "catalog" }, files: { "fal-jobs.yaml": manifest("b") } });
    expect(next.code, next.stdout + next.stderr).toBe(0);
    const report = JSON.parse(await readFile(next.outputs["report-path"]!, "utf8")) as Report;
    const job = report.jobs[0]!;
    const p95 = Math.max(...bills);
    expect(job).toMatchObject({ runs: UNITS.length, unknown_runs: 0, confidence: "history", source: "history", estimated_nano: UNITS.length * p95 });
    expect(job.variants[0]!.history).toMatchObject({ scope: "job", runs: UNITS.length, p95_nano: p95 });
    expect(next.outputs["estimated-cost"]).toBe(formatUsd(UNITS.length * p95));
    // The first run's estimates (max_cost) against its bills.
    const estimated = UNITS.length * toNano(0.05);
    const billed = bills.reduce((a, b) => a + b, 0);
    expect(job.past).toMatchObject({ runs: UNITS.length, estimated_nano: estimated, billed_nano: billed, error_pct: Math.round(((billed - estimated) / estimated) * 1000) / 10 });
    expect(next.summary).toMatch(/\| transcribe \|.*\(bills p95\) \| past bills in the lock \(p95 of 3 run\(s\) of this job\) \|/);
    expect(next.summary).toContain(`📈 Billed against estimated, past runs in the lock: transcribe −${Math.abs(job.past!.error_pct!)}% (3 run(s))`);
  });
});
