import { afterEach, describe, expect, it, vi } from "vitest";
import { parseManifest } from "../src/manifest/load.js";
import { buildPlan } from "../src/plan/expand.js";
import { RunProgress, startProgressReports } from "../src/run/progress.js";
import type { RunRecord, RunStatus } from "../src/run/types.js";

/** The rollup a long real run writes outside its folded log: per job done/total, running and queued, elapsed, ETA. */

const plan = buildPlan(
  parseManifest(`version: 1
jobs:
  - {id: hero, model: fal-ai/flux/dev, repeat: 10}
  - {id: thumbs, model: fal-ai/flux/schnell, repeat: 4}
`),
);

const record = (job: string, n: number, status: RunStatus = "succeeded") => ({ id: `${job}#${n}`, job, status }) as RunRecord;

describe("RunProgress", () => {
  it("says per job how many runs are done of how many, with their statuses, what is in flight, the time so far and the time left at its pace", () => {
    let t = 0;
    const progress = new RunProgress(plan, () => t);
    for (let n = 1; n <= 10; n++) progress.onRunEvent(record("hero", n), "submitted");
    for (let n = 1; n <= 4; n++) progress.onRunEvent(record("hero", n), "running");
    for (let n = 1; n <= 4; n++) progress.onRunEvent(record("thumbs", n), "queued");
    t = 30_000;
    progress.onRunEvent(record("hero", 1), "finished");
    progress.onRunEvent(record("hero", 2), "finished");
    progress.onRunEvent(record("hero", 3, "failed"), "finished");
    // hero: 3 runs in 30 s, 7 to go at 10 s each: 70 s. thumbs has finished none, so the whole run has no ETA yet.
    expect(progress.lines("$0.12 committed of $5.00")).toEqual([
      "hero: 3/10 done (2 succeeded, 1 failed) · 1 in progress, 6 queued · 30s elapsed · ETA ~1m10s",
      "thumbs: 0/4 done · 4 queued · 30s elapsed · no ETA until a run has finished",
      "fal-jobs: 3/14 runs done · 30s elapsed · no ETA until a run of each job has finished · $0.12 committed of $5.00",
    ]);
  });

  it("a finished job gets one last line, then only the rest are shown; the run's ETA is its slowest job's", () => {
    let t = 0;
    const progress = new RunProgress(plan, () => t);
    progress.onRunEvent(record("hero", 1), "submitted");
    progress.onRunEvent(record("thumbs", 1), "submitted");
    t = 65_000;
    for (let n = 1; n <= 4; n++) progress.onRunEvent(record("thumbs", n), "finished");
    for (let n = 1; n <= 5; n++) progress.onRunEvent(record("hero", n), "finished");
    expect(progress.lines()).toEqual([
      "hero: 5/10 done (5 succeeded) · 1m05s elapsed · ETA ~1m05s",
      "thumbs: 4/4 done (4 succeeded), finished in 1m05s",
      "fal-jobs: 9/14 runs done · 1m05s elapsed · ETA ~1m05s",
    ]);
    t = 3_700_000;
    for (let n = 6; n <= 10; n++) progress.onRunEvent(record("hero", n, "skipped-budget"), "finished");
    expect(progress.lines()).toEqual(["hero: 10/10 done (5 succeeded, 5 skipped-budget), finished in 1h01m", "fal-jobs: 14/14 runs done · 1h01m elapsed"]);
  });
});

describe("startProgressReports", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("writes when another tenth of the runs is done, at least every heartbeat while nothing moves, and once at the end", () => {
    vi.useFakeTimers();
    const progress = new RunProgress(plan);
    const writes: string[][] = [];
    const reports = startProgressReports(progress, { heartbeatMs: 15_000, write: (lines) => writes.push(lines) });
    progress.onRunEvent(record("hero", 1), "finished"); // 1 of 14: not yet a tenth more
    vi.advanceTimersByTime(5_000);
    expect(writes).toHaveLength(0);
    progress.onRunEvent(record("hero", 2), "finished"); // 2 of 14: past the first tenth
    vi.advanceTimersByTime(1_000);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.at(-1)).toMatch(/^fal-jobs: 2\/14 runs done · 6s elapsed · /);
    vi.advanceTimersByTime(14_000); // nothing moved, but less than a heartbeat since the last lines
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    expect(writes).toHaveLength(2);
    expect(writes[1]!.at(-1)).toMatch(/^fal-jobs: 2\/14 runs done · 21s elapsed · /);
    reports.stop();
    expect(writes).toHaveLength(3);
    vi.advanceTimersByTime(60_000);
    expect(writes).toHaveLength(3);
  });
});
