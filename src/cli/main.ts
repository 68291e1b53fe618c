import { parseArgs } from "node:util";
import { falEndpointsFromEnv } from "../adapters/fal/endpoints.js";
import { UsageError } from "../errors.js";
import { estimateManifest } from "../flows/estimate-flow.js";
import { baseFromFiles } from "../flows/base.js";
import { parseIncreaseLimit, type IncreaseLimit } from "../gate/increase-gate.js";
import { parsePriceSource } from "../pricing/price-source.js";
import { parseDiscountPercent } from "../pricing/discount.js";
import { loadManifestFile } from "../manifest/load.js";
import { ManifestError, countProblems, formatIssue } from "../manifest/errors.js";
import { manifestJsonSchema } from "../manifest/schema.js";
import { reportJsonSchema } from "../report/schema.js";
import { lockJsonSchema } from "../lock/schema.js";
import { lockPathFor, readLockFile } from "../lock/read.js";
import { verifyLockFiles } from "../lock/verify.js";
import { buildPlan } from "../plan/expand.js";
import { renderText } from "../report/text.js";
import { biggestContributors } from "./contributors.js";
import { logLine } from "../util/log-line.js";
import { secretProblem } from "../util/secret.js";
import { displayUsd, parseUsd } from "../util/money.js";
import { parseShard, type ShardSpec } from "../plan/partition.js";
import { shardWork } from "../flows/shard.js";
import { mergeShards } from "../flows/merge-flow.js";
import { writeLockFile } from "../lock/write.js";
import { TOOL_VERSION } from "../version.js";

/**
 * fal-jobs: the action's engine on a terminal.
 * Exit codes: 0 within budget, 1 over budget (or cost unknown), 2 invalid manifest or usage.
 */

const USAGE = `fal-jobs ${TOOL_VERSION} — estimate and budget-gate fal.ai batch jobs

Usage:
  fal-jobs estimate [manifest] [--budget USD] [--price-source auto|live|catalog] [--allow-lower-prices] [--json] [--report FILE]
                   [--discount-percent N] [--base-manifest FILE [--base-lock FILE]] [--fail-on-increase USD|N%] [--shard i/N]
  fal-jobs merge <report glob>... [--lock FILE] [--json] [--report FILE]
  fal-jobs validate [manifest]
  fal-jobs lock verify <dir> [--lock FILE]
  fal-jobs schema [manifest|report|lock]

manifest defaults to fal-jobs.yaml. A fal key (FAL_KEY) enables live prices with --price-source auto.
--lock FILE|off: the lock of runs already generated (default fal-jobs.lock.json beside the manifest); the
estimate shows what would be spent on new runs and what the whole manifest costs. --budget-scope new|full:
what the budget gates (default new: the runs the lock does not hold).
--base-manifest FILE: the manifest as it is on the base branch (e.g. \`git show main:fal-jobs.yaml\`), estimated
with the same prices and shown as the change per job and in total; a FILE that does not exist is an empty manifest
($0). --base-lock FILE: the base's lock (default none: every base run counts as new). --fail-on-increase 5 or 20%:
exit 1 when the estimate to spend or the full estimate rises above the base's by more than that.
--shard i/N: also show shard i's part of a real run split into N shards (its runs, their estimate, its cap).
merge combines the reports of a sharded real run's shards (the action's \`shard\` input) into one report; with
--lock FILE it also writes the one lock all shards made there. It exits 1 when a shard is missing or failed, 2 when
the reports do not belong together.
lock verify checks the files in <dir> (a downloaded outputs artifact) against the lock's sizes and sha256.
--discount-percent N: the account's negotiated discount, N% off catalog prices (live prices are already the account's own).
--budget sets a budget or lowers the manifest's: with both, the smaller applies (it can never raise the manifest's).
Over budget, estimate names the jobs that cost the most.
Exit codes: 0 within budget, 1 over budget or cost unknown, 2 invalid manifest or usage, 3 internal error.`;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "estimate":
        return await estimate(rest, env);
      case "validate":
        return await validate(rest);
      case "merge":
        return await merge(rest);
      case "lock":
        if (rest[0] !== "verify") throw new UsageError(`lock takes verify (got "${rest[0] ?? ""}")`);
        return await verifyLock(rest.slice(1));
      case "schema": {
        // `schema` is the manifest's; `schema report` the report's.
        if (rest[0] !== undefined && rest[0] !== "manifest" && rest[0] !== "report" && rest[0] !== "lock") throw new UsageError(`schema takes manifest, report or lock (got "${rest[0]}")`);
        const schema = rest[0] === "report" ? reportJsonSchema() : rest[0] === "lock" ? lockJsonSchema() : manifestJsonSchema();
        process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
        return 0;
      }
      case "--version":
      case "-v":
        process.stdout.write(`${TOOL_VERSION}\n`);
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof ManifestError) {
      for (const issue of err.issues) writeLines(process.stderr, formatIssue(issue));
      writeLines(process.stderr, `${countProblems(err.issues.length)} in ${err.file}; nothing was estimated or run.`);
      return 2;
    }
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      writeLines(process.stderr, `fal-jobs: ${(err as Error).message}`);
      process.stderr.write(`\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
}

async function estimate(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      budget: { type: "string" },
      "price-source": { type: "string" },
      "allow-lower-prices": { type: "boolean" },
      "discount-percent": { type: "string" },
      lock: { type: "string" },
      "budget-scope": { type: "string" },
      "base-manifest": { type: "string" },
      "base-lock": { type: "string" },
      "fail-on-increase": { type: "string" },
      json: { type: "boolean" },
      report: { type: "string" },
      shard: { type: "string" },
    },
  });
  if (positionals.length > 1) throw new UsageError("give at most one manifest");
  let shard: ShardSpec | undefined;
  try {
    shard = values.shard === undefined ? undefined : parseShard(values.shard);
  } catch (err) {
    throw new UsageError(`--shard: ${(err as Error).message}`);
  }
  let budgetUsd: number | undefined;
  try {
    budgetUsd = parseUsd(values.budget);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let discountPercent: number | undefined;
  try {
    discountPercent = parseDiscountPercent(values["discount-percent"]);
  } catch (err) {
    throw new UsageError(`--discount-percent: ${(err as Error).message}`);
  }
  const scope = values["budget-scope"] ?? "new";
  if (scope !== "new" && scope !== "full") throw new UsageError(`--budget-scope must be new or full (got "${scope}")`);
  let failOnIncrease: IncreaseLimit | undefined;
  try {
    failOnIncrease = parseIncreaseLimit(values["fail-on-increase"]);
  } catch (err) {
    throw new UsageError(`--fail-on-increase: ${(err as Error).message}`);
  }
  const baseManifest = values["base-manifest"];
  if (!baseManifest && (failOnIncrease || values["base-lock"])) throw new UsageError(`${failOnIncrease ? "--fail-on-increase" : "--base-lock"} needs --base-manifest FILE: the manifest as it is on the base branch`);
  const manifestPath = positionals[0] ?? "fal-jobs.yaml";
  const lockPath = lockPathFor(values.lock, manifestPath);
  const outcome = await estimateManifest({
    manifestPath,
    lockPath,
    budgetScope: scope,
    // With the lock off, the base's lock is too: the two are compared like for like.
    base: baseManifest ? baseFromFiles(baseManifest, lockPath === null ? null : (values["base-lock"] ?? null)) : undefined,
    failOnIncrease,
    budgetUsd,
    priceSource: parsePriceSource(values["price-source"]),
    allowLowerPrices: values["allow-lower-prices"] ?? false,
    discountPercent,
    falKey: falKeyFrom(env),
    endpoints: falEndpointsFromEnv(env),
  });
  const json = JSON.stringify(outcome.report, null, 2);
  if (values.report) {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(values.report, `${json}\n`);
  }
  if (values.json) process.stdout.write(`${json}\n`);
  else {
    writeLines(process.stdout, renderText(outcome.report));
    const contributors = outcome.report.verdict === "over-budget" ? biggestContributors(outcome.report) : [];
    if (contributors.length > 0) writeLines(process.stdout, ["", ...contributors].join("\n"));
    if (shard) {
      const { block } = await shardWork(outcome, shard, manifestPath);
      const cap = block.budget_nano === null ? "no cap (no budget)" : `capped at ${displayUsd(block.budget_nano)}`;
      writeLines(process.stdout, `\nShard ${shard.index}/${shard.total} of a real run: ${block.runs} of the ${outcome.toRun.totalRuns} run(s) to submit, estimated ${displayUsd(block.estimated_nano)}, ${cap}.`);
    }
  }
  return outcome.gate.pass ? 0 : 1;
}

async function merge(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { lock: { type: "string" }, json: { type: "boolean" }, report: { type: "string" } } });
  if (positionals.length === 0) throw new UsageError("merge takes the shard reports: one or more globs such as 'reports/*.json'");
  const outcome = await mergeShards({ patterns: positionals, cwd: process.cwd(), lockPath: values.lock ?? null });
  const report = outcome.report;
  if (outcome.lock && values.lock) {
    await writeLockFile(values.lock, outcome.lock);
    report.lock.written = values.lock;
  }
  // Compact: a merged report holds every shard's runs (100,000 runs are about 100 MB pretty-printed).
  const json = JSON.stringify(report);
  if (values.report) {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(values.report, `${json}\n`);
  }
  if (values.json) process.stdout.write(`${json}\n`);
  else writeLines(process.stdout, renderText(report));
  return report.pass ? 0 : 1;
}

async function validate(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const file = positionals[0] ?? "fal-jobs.yaml";
  const plan = buildPlan(await loadManifestFile(file));
  writeLines(process.stdout, `${file}: valid — ${plan.jobs.length} job(s), ${plan.totalRuns} run(s)`);
  return 0;
}

async function verifyLock(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { lock: { type: "string" } } });
  if (positionals.length !== 1) throw new UsageError("lock verify takes one folder: a downloaded outputs artifact");
  const lockPath = values.lock ?? "fal-jobs.lock.json";
  const { lock, existed } = await readLockFile(lockPath);
  if (!existed) throw new UsageError(`no lock at ${lockPath} (set --lock)`);
  const result = await verifyLockFiles(lock, positionals[0]!);
  for (const p of result.problems) writeLines(process.stdout, `${p.file}: ${p.problem}`);
  writeLines(process.stdout, `${result.ok} file(s) match the lock, ${result.mismatched} differ, ${result.missing} missing from ${positionals[0]}`);
  return result.mismatched + result.missing > 0 ? 1 : 0;
}

/** FAL_KEY without surrounding whitespace; a key damaged inside is refused, and not printed. */
function falKeyFrom(env: NodeJS.ProcessEnv): string | undefined {
  const key = env.FAL_KEY?.trim();
  if (!key) return undefined;
  const problem = secretProblem(key);
  if (problem) throw new UsageError(`the fal key (FAL_KEY) has ${problem} inside it, which no fal key has (damage from copying it?): fix it. It is not shown here; nothing was sent to fal.`);
  return key;
}

/**
 * Text for people, line by line through logLine: `fal-jobs estimate` often runs in a workflow step, where a line
 * break in a manifest value or a fal error would otherwise let that text issue runner commands.
 */
function writeLines(stream: NodeJS.WriteStream, text: string): void {
  stream.write(`${text.split("\n").map(logLine).join("\n")}\n`);
}

