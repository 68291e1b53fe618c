import path from "node:path";
import { writeFile } from "node:fs/promises";
import { UsageError } from "../errors.js";
import { estimateManifest } from "../flows/estimate-flow.js";
import { renderText } from "../report/text.js";
import type { Report } from "../report/model.js";
import { writeReport } from "../action/output-dir.js";
import { parseDurationMs } from "../util/duration.js";
import { displayUsd } from "../util/money.js";
import type { Command } from "./command.js";
import { biggestContributors } from "./contributors.js";
import { ESTIMATE_OPTIONS, MANIFEST_ARGUMENT, estimateRequest } from "./estimate-options.js";
import { keyFrom, writeLines } from "./io.js";

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report one. */
const EXIT_CANCELLED = 130;
const DEFAULT_OUT = "fal-jobs-output";

export const runCommand: Command = {
  name: "run",
  args: "[manifest] [options]",
  summary: "run the jobs for real under the budget's hard cap (needs FAL_KEY)",
  description:
    "Runs the manifest on fal as the action's real run does: the estimate and the budget gate first (over budget, or a\n" +
    "run of unknown cost, submits nothing), then every run the lock does not hold, under a hard cap: a run starts only\n" +
    "if what is committed plus its estimate stays within the budget. Outputs, each run's result.json and the report go\n" +
    "to the output folder; the lock is updated, so the same runs are never paid for twice.\n" +
    "It prints the estimate and asks before spending (--yes skips the question). Ctrl-C cancels the fal requests in\n" +
    "flight, queued or running, and still writes the report and the lock; a second Ctrl-C quits at once.",
  positionals: MANIFEST_ARGUMENT,
  maxPositionals: 1,
  options: {
    ...ESTIMATE_OPTIONS,
    out: { type: "string", value: "DIR", help: `where outputs, each run's result.json and the report go (default ${DEFAULT_OUT})` },
    yes: { type: "boolean", short: "y", help: "spend without asking (needed when stdin is not a terminal)" },
    json: { type: "boolean", help: "print the report (fal-jobs-report/v1) as JSON on stdout; the estimate and progress go to stderr" },
    report: { type: "string", value: "FILE", help: "also write the report JSON to FILE (it is always in DIR/fal-jobs-report.json)" },
    deadline: { type: "string", value: "DURATION", help: "after this long (e.g. 30m), start nothing more and cancel the fal requests in flight" },
    "billing-timeout": { type: "string", value: "DURATION", help: "with FAL_ADMIN_KEY: how long to wait for fal's billing records (default 2m)" },
    verbose: { type: "boolean", help: "print every run's progress (submitted, queued, running, done), not only the rollups" },
  },
  notes: [
    "Environment: FAL_KEY (required; never printed). FAL_ADMIN_KEY (optional): billed cost from fal's billing records.\n" +
      "FAL_QUEUE_URL, FAL_REST_URL and FAL_API_URL redirect fal's hosts (proxies, tests).",
    "Exit codes: 0 every run succeeded within budget, 1 over budget, cost unknown, a run that did not succeed, or you\n" +
      "declined, 2 invalid manifest or usage (nothing submitted), 3 internal error, 130 cancelled with Ctrl-C.",
  ],
  async run(parsed, env) {
    const { values } = parsed;
    const request = estimateRequest(parsed, env);
    if (!request.falKey) {
      throw new UsageError("run needs a fal key: set FAL_KEY in the environment (an API key from fal's dashboard). `fal-jobs estimate` needs none. Nothing was submitted.");
    }
    const falAdminKey = keyFrom(env, "FAL_ADMIN_KEY");
    const deadlineMs = durationOption(values, "deadline");
    const billingTimeoutMs = durationOption(values, "billing-timeout") ?? 120_000;
    const outDir = (values.out as string | undefined) ?? DEFAULT_OUT;
    // What only a run needs loads here, so that the commands that only estimate start as fast as before.
    const [{ checkOutputDirBeforeSpending }, { confirm }, { writeRunLock }, { renderRunText }] = await Promise.all([
      import("../action/output-dir.js"),
      import("./confirm.js"),
      import("../flows/write-lock.js"),
      import("./run-text.js"),
    ]);
    await checkOutputDirBeforeSpending(outDir);
    const json = values.json === true;
    // With --json, stdout carries the report alone.
    const say = json ? process.stderr : process.stdout;

    // With the lock's full entries, as a real run needs them (it lists its locked runs and writes the next lock).
    const estimated = await estimateManifest({ ...request, lockEntries: "full" as const });
    writeLines(say, renderText(estimated.report));
    if (!estimated.gate.pass) {
      const contributors = estimated.report.verdict === "over-budget" ? biggestContributors(estimated.report) : [];
      if (contributors.length > 0) writeLines(say, ["", ...contributors].join("\n"));
      writeLines(say, "Nothing was submitted.");
      await publish(estimated.report, outDir, values, json);
      return 1;
    }
    const { refuseUnboundedRun, runManifest } = await import("../flows/run-flow.js");
    const toRun = estimated.toRun.totalRuns;
    if (toRun > 0) {
      refuseUnboundedRun(estimated);
      if (!values.yes) {
        if (!process.stdin.isTTY) {
          throw new UsageError("run spends money, and stdin is not a terminal, so it cannot ask first: pass --yes to run without asking. Nothing was submitted.");
        }
        const question = `Submit ${toRun} run(s) to fal for about ${displayUsd(estimated.estimate.totalNano)}? Spending is capped at the budget, ${displayUsd(estimated.budget.limitNano!)}. [y/N] `;
        if (!(await confirm(question))) {
          writeLines(say, "Nothing was submitted.");
          return 1;
        }
      }
    }

    const cancel = cancellation(deadlineMs);
    let outcome: Awaited<ReturnType<typeof runManifest>>;
    try {
      outcome = await runManifest({
        ...request,
        estimated,
        falKey: request.falKey,
        falAdminKey,
        outputDir: outDir,
        billingTimeoutMs,
        signal: cancel.signal,
        cancelRunning: true,
        store: null,
        log: values.verbose ? (line) => writeLines(process.stderr, line) : () => {},
        progress: (lines) => writeLines(process.stderr, lines.join("\n")),
      });
    } finally {
      cancel.dispose();
    }
    const report = outcome.report;
    if (report.mode === "run" && outcome.nextLock && request.lockPath) {
      await writeRunLock({ next: outcome.nextLock, path: request.lockPath }, report, outcome.estimate.lock.digest, true);
    }
    const reportPath = await publish(report, outDir, values, json);
    // A check the engine makes just before submitting (the account's credits, with FAL_ADMIN_KEY) stopped it.
    if (!json && report.mode !== "run") writeLines(say, [...report.reasons.map((r) => `  ✗ ${r}`), "Nothing was submitted."].join("\n"));
    if (!json && report.mode === "run") writeLines(say, `\n${renderRunText(report, { outputs: outDir, report: reportPath })}`);
    if (report.mode === "run" && report.execution.cancelled && cancel.interrupted()) return EXIT_CANCELLED;
    return report.pass ? 0 : 1;
  },
};

/** The report in the output folder (always), in --report FILE, and on stdout with --json. */
async function publish(report: Report, outDir: string, values: Record<string, unknown>, json: boolean): Promise<string> {
  const file = await writeReport(outDir, report);
  const text = `${JSON.stringify(report, null, 2)}\n`;
  if (typeof values.report === "string") await writeFile(values.report, text);
  if (json) process.stdout.write(text);
  return path.relative(process.cwd(), file) || file;
}

function durationOption(values: Record<string, unknown>, name: string): number | undefined {
  const value = values[name];
  if (typeof value !== "string") return undefined;
  try {
    return parseDurationMs(value);
  } catch (err) {
    throw new UsageError(`--${name}: ${(err as Error).message}`);
  }
}

/**
 * Aborted by Ctrl-C (SIGINT), SIGTERM or the deadline; the fal requests in flight are then cancelled and the
 * report and lock still written. A second Ctrl-C quits at once, without them.
 */
function cancellation(deadlineMs: number | undefined): { signal: AbortSignal; interrupted: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      writeLines(process.stderr, `fal-jobs: ${sig} again: quitting now, without the report or the lock`);
      process.exit(EXIT_CANCELLED);
    }
    writeLines(process.stderr, `fal-jobs: ${sig === "SIGINT" ? "Ctrl-C" : sig}: cancelling the fal requests in flight, then writing the report and the lock (Ctrl-C again to quit at once)`);
    controller.abort(new Error(sig === "SIGINT" ? "Ctrl-C" : `received ${sig}`));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const deadline = deadlineMs ? setTimeout(() => controller.abort(new Error(`deadline of ${Math.round(deadlineMs / 1000)} s reached`)), deadlineMs) : undefined;
  deadline?.unref();
  return {
    signal: controller.signal,
    interrupted: () => signals > 0,
    dispose: () => {
      clearTimeout(deadline);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
