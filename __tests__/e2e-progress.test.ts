import { describe, expect, it } from "vitest";
import { runnerCommands, runnerLines } from "./helpers/commands.js";
import { useRunFakes } from "./helpers/run-fakes.js";

/**
 * What a person watching a long real run sees, through the built dist/index.js against the loopback fal and
 * artifact service: per-job rollups outside the folded groups, the per-run lines inside them (a few per run,
 * however often fal reports a move in its queue), and none of @actions/artifact's debug lines unless debug logging
 * is on.
 */

const fakes = useRunFakes();

const MANIFEST = `version: 1
budget: 10
jobs:
  - id: thumbs
    model: fal-ai/flux/schnell
    input: {prompt: a cat, image_size: square}
    repeat: 60
    concurrency: 10
  - id: hero
    model: fal-ai/flux/dev
    input: {prompt: a city, image_size: square}
    repeat: 12
    concurrency: 3
`;

/** The log split as the runner shows it: lines outside any group, and lines folded inside one. */
function split(stdout: string): { visible: string[]; folded: string[]; groups: number } {
  const visible: string[] = [];
  const folded: string[] = [];
  let inGroup = false;
  let groups = 0;
  for (const line of runnerLines(stdout)) {
    if (line.startsWith("::group::")) {
      inGroup = true;
      groups++;
    } else if (line.startsWith("::endgroup::")) inGroup = false;
    else if (!line.startsWith("::")) (inGroup ? folded : visible).push(line);
  }
  return { visible, folded, groups };
}

describe("the built action's log during a real run", () => {
  it("rolls up each job outside the folded per-run lines, with done/total, elapsed and an ETA; per-run lines stay a few per run", async () => {
    // A queue that moves while runs wait in it: fal's status stream reports each move.
    fakes.fal.setModel("fal-ai/flux/schnell", { queueMs: 150, latencyMs: 350, announceQueueMoves: true });
    fakes.fal.setModel("fal-ai/flux/dev", { queueMs: 150, latencyMs: 350, announceQueueMoves: true });
    const run = await fakes.realRun(MANIFEST, { timeoutMs: 120_000 });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const { visible, folded, groups } = split(run.stdout);

    // While it ran: rollups with an ETA, outside the groups; at the end, each job's last line and the total.
    const rollups = visible.filter((l) => /^thumbs: \d+\/60 done/.test(l));
    expect(rollups.some((l) => /^thumbs: \d+\/60 done \(\d+ succeeded\) · .*\d+s elapsed · ETA ~\d/.test(l)), visible.join("\n")).toBe(true);
    expect(visible).toContain(visible.find((l) => /^thumbs: 60\/60 done \(60 succeeded\), finished in \d/.test(l)));
    expect(visible).toContain(visible.find((l) => /^hero: 12\/12 done \(12 succeeded\), finished in \d/.test(l)));
    expect(visible.filter((l) => /^fal-jobs: \d+\/72 runs done · \d+s elapsed/.test(l)).length).toBeGreaterThanOrEqual(2);
    expect(visible).toContain(visible.find((l) => /^fal-jobs: 72\/72 runs done · \d+s elapsed · \$\d+\.\d+ committed of \$10\.00$/.test(l)));

    // Every per-run line is folded, and there are at most four per run (submitted, in queue, running, its end),
    // though the queue moved under most of them.
    expect(visible.filter((l) => /^(thumbs|hero)#\d+: /.test(l))).toEqual([]);
    const perRun = new Map<string, number>();
    for (const l of folded) {
      const id = /^((?:thumbs|hero)#\d+): /.exec(l)?.[1];
      if (id) perRun.set(id, (perRun.get(id) ?? 0) + 1);
    }
    expect(perRun.size).toBe(72);
    expect(Math.max(...perRun.values())).toBeLessThanOrEqual(4);
    expect(folded.filter((l) => / in queue \(position [1-9]/.test(l)).length).toBeGreaterThan(0);
    // The log a person scrolls: the rollups and a folded group between each of them, not a line per run and state.
    expect(visible.length + groups).toBeLessThan(perRun.size);
  });

  it("shows none of @actions/artifact's ::debug:: lines unless debug logging is on", async () => {
    const manifest = `version: 1\nbudget: 1\njobs:\n  - {id: one, model: fal-ai/flux/schnell, input: {prompt: x, image_size: square}}\n`;
    const quiet = await fakes.realRun(manifest);
    expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);
    expect(quiet.outputs["artifact-id"]).toMatch(/^\d+$/);
    expect(runnerCommands(quiet.stdout + quiet.stderr).filter((c) => c.name === "debug")).toEqual([]);

    const debugOn: Array<Record<string, string>> = [{ RUNNER_DEBUG: "1" }, { ACTIONS_STEP_DEBUG: "true" }];
    for (const env of debugOn) {
      const debug = await fakes.realRun(manifest, { env });
      expect(debug.code, debug.stdout + debug.stderr).toBe(0);
      const lines = runnerCommands(debug.stdout).filter((c) => c.name === "debug");
      expect(lines.some((c) => c.data.includes("CreateArtifact")), JSON.stringify(env)).toBe(true);
    }
  });
});
