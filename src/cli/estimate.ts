import { UsageError } from "../errors.js";
import { estimateManifest } from "../flows/estimate-flow.js";
import { baseFromFiles } from "../flows/base.js";
import { parseIncreaseLimit, type IncreaseLimit } from "../gate/increase-gate.js";
import { renderText } from "../report/text.js";
import { parseShard, type ShardSpec } from "../plan/partition.js";
import { shardPart } from "../flows/shard.js";
import { displayUsd } from "../util/money.js";
import type { Command } from "./command.js";
import { biggestContributors } from "./contributors.js";
import { ESTIMATE_OPTIONS, MANIFEST_ARGUMENT, estimateRequest } from "./estimate-options.js";
import { writeLines } from "./io.js";

export const EXIT_CODES = "Exit codes: 0 within budget, 1 over budget or cost unknown, 2 invalid manifest or usage, 3 internal error.";

export const estimateCommand: Command = {
  name: "estimate",
  args: "[manifest] [options]",
  summary: "estimate the cost and check it against the budget (no key needed)",
  description:
    "Estimates every run of the manifest from fal's billing units and prices, compares it with the lock (new, locked and\n" +
    "removed runs) and checks the estimate against the budget. Nothing is submitted; FAL_KEY only enables live prices.\n" +
    "Over budget, the text ends with the jobs that cost the most.",
  positionals: MANIFEST_ARGUMENT,
  maxPositionals: 1,
  options: {
    ...ESTIMATE_OPTIONS,
    json: { type: "boolean", help: "print the report (fal-jobs-report/v1) as JSON instead of the table" },
    report: { type: "string", value: "FILE", help: "also write the report JSON to FILE" },
    "base-manifest": { type: "string", value: "FILE", help: "compare with the manifest as it is elsewhere (e.g. `git show main:fal-jobs.yaml > base.yaml`); a FILE that does not exist is an empty manifest ($0)" },
    "base-lock": { type: "string", value: "FILE", help: "the base's lock (default none: every base run counts as new)" },
    "fail-on-increase": { type: "string", value: "USD|N%", help: "exit 1 when the estimate to spend or the full estimate rises above the base's by more than this (needs --base-manifest)" },
    shard: { type: "string", value: "i/N", help: "also show shard i's part of a real run split into N shards (its runs, their estimate, its cap)" },
  },
  notes: ["Environment: FAL_KEY enables live prices. FAL_QUEUE_URL, FAL_REST_URL and FAL_API_URL redirect fal's hosts (proxies, tests).", EXIT_CODES],
  async run(parsed, env) {
    const request = estimateRequest(parsed, env);
    const { values } = parsed;
    let failOnIncrease: IncreaseLimit | undefined;
    try {
      failOnIncrease = parseIncreaseLimit(values["fail-on-increase"] as string | undefined);
    } catch (err) {
      throw new UsageError(`--fail-on-increase: ${(err as Error).message}`);
    }
    let shard: ShardSpec | undefined;
    try {
      shard = values.shard === undefined ? undefined : parseShard(values.shard as string);
    } catch (err) {
      throw new UsageError(`--shard: ${(err as Error).message}`);
    }
    const baseManifest = values["base-manifest"] as string | undefined;
    const baseLock = values["base-lock"] as string | undefined;
    if (!baseManifest && (failOnIncrease || baseLock)) throw new UsageError(`${failOnIncrease ? "--fail-on-increase" : "--base-lock"} needs --base-manifest FILE: the manifest as it is on the base branch`);
    const outcome = await estimateManifest({
      ...request,
      // With the lock off, the base's lock is too: the two are compared like for like.
      base: baseManifest ? baseFromFiles(baseManifest, request.lockPath === null ? null : (baseLock ?? null)) : undefined,
      failOnIncrease,
      shards: shard?.total,
    });
    const json = JSON.stringify(outcome.report, null, 2);
    if (values.report) {
      const { writeFile } = await import("node:fs/promises");
      await writeFile(values.report as string, `${json}\n`);
    }
    if (values.json) process.stdout.write(`${json}\n`);
    else {
      writeLines(process.stdout, renderText(outcome.report));
      const contributors = outcome.report.verdict === "over-budget" ? biggestContributors(outcome.report) : [];
      if (contributors.length > 0) writeLines(process.stdout, ["", ...contributors].join("\n"));
      if (shard) {
        const { block } = await shardPart(outcome, shard, request.manifestPath);
        const cap = block.budget_nano === null ? "no cap (no budget)" : `capped at ${displayUsd(block.budget_nano)}`;
        writeLines(process.stdout, `\nShard ${shard.index}/${shard.total} of a real run: ${block.runs} of the ${outcome.toRun.totalRuns} run(s) to submit, estimated ${displayUsd(block.estimated_nano)}, ${cap}.`);
      }
    }
    return outcome.gate.pass ? 0 : 1;
  },
};
