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
import { repoCatalogJsonSchema } from "../pricing/repo-catalog.js";
import { CatalogUpdateError, updateCatalog } from "../flows/catalog-update.js";
import { lockPathFor, readLockFile } from "../lock/read.js";
import { verifyLockFiles } from "../lock/verify.js";
import { buildPlan } from "../plan/expand.js";
import { renderText } from "../report/text.js";
import { biggestContributors } from "./contributors.js";
import { logLine } from "../util/log-line.js";
import { secretProblem } from "../util/secret.js";
import { parseUsd } from "../util/money.js";
import { bundledCatalog } from "../pricing/bundled-catalog.js";
import { TOOL_VERSION } from "../version.js";

/**
 * fal-jobs: the action's engine on a terminal.
 * Exit codes: 0 within budget, 1 over budget (or cost unknown), 2 invalid manifest or usage.
 */

const USAGE = `fal-jobs ${TOOL_VERSION} — estimate and budget-gate fal.ai batch jobs

Usage:
  fal-jobs estimate [manifest] [--budget USD] [--price-source auto|live|catalog] [--allow-lower-prices] [--json] [--report FILE]
                   [--discount-percent N] [--base-manifest FILE [--base-lock FILE]] [--fail-on-increase USD|N%]
  fal-jobs validate [manifest]
  fal-jobs lock verify <dir> [--lock FILE]
  fal-jobs catalog update [manifest…] [--model ID…] [--out FILE]
  fal-jobs schema [manifest|report|lock|catalog]

manifest defaults to fal-jobs.yaml. A fal key (FAL_KEY) enables live prices with --price-source auto.
--lock FILE|off: the lock of runs already generated (default fal-jobs.lock.json beside the manifest); the
estimate shows what would be spent on new runs and what the whole manifest costs. --budget-scope new|full:
what the budget gates (default new: the runs the lock does not hold).
--base-manifest FILE: the manifest as it is on the base branch (e.g. \`git show main:fal-jobs.yaml\`), estimated
with the same prices and shown as the change per job and in total; a FILE that does not exist is an empty manifest
($0). --base-lock FILE: the base's lock (default none: every base run counts as new). --fail-on-increase 5 or 20%:
exit 1 when the estimate to spend or the full estimate rises above the base's by more than that.
catalog update (needs FAL_KEY) asks fal's pricing and model APIs about every model of the manifests and each
--model, and writes their price, unit, status and input schema to fal-jobs.catalog.json beside the first manifest
(--out FILE elsewhere), keeping its entries for other models. Commit it: estimates without a key then price and
check those models as fal described them. Exit 1 when fal cannot be asked or does not list a model (nothing written).
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
      case "lock":
        if (rest[0] !== "verify") throw new UsageError(`lock takes verify (got "${rest[0] ?? ""}")`);
        return await verifyLock(rest.slice(1));
      case "catalog":
        if (rest[0] !== "update") throw new UsageError(`catalog takes update (got "${rest[0] ?? ""}")`);
        return await catalogUpdate(rest.slice(1), env);
      case "schema": {
        // `schema` is the manifest's; `schema report` the report's.
        if (rest[0] !== undefined && rest[0] !== "manifest" && rest[0] !== "report" && rest[0] !== "lock" && rest[0] !== "catalog") throw new UsageError(`schema takes manifest, report, lock or catalog (got "${rest[0]}")`);
        const schema =
          rest[0] === "report" ? reportJsonSchema()
          : rest[0] === "lock" ? lockJsonSchema()
          : rest[0] === "catalog" ? repoCatalogJsonSchema()
          : manifestJsonSchema({ modelIds: [...bundledCatalog().entries.keys()] });
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
    },
  });
  if (positionals.length > 1) throw new UsageError("give at most one manifest");
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
  }
  return outcome.gate.pass ? 0 : 1;
}

async function catalogUpdate(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { model: { type: "string", multiple: true }, out: { type: "string" } } });
  const falKey = falKeyFrom(env);
  if (!falKey) throw new UsageError("catalog update asks fal's pricing API, which needs a key: set FAL_KEY");
  const models = values.model ?? [];
  const manifests = positionals.length > 0 || models.length > 0 ? positionals : ["fal-jobs.yaml"];
  try {
    const result = await updateCatalog({ manifests, models, out: values.out, falKey, endpoints: falEndpointsFromEnv(env) });
    for (const e of result.updated) {
      const price = e.price ? `$${e.price.unit_price} per ${e.price.unit}` : "no price from fal's pricing API";
      const inputs = e.input_schema ? "input schema" : "no input schema";
      writeLines(process.stdout, `${e.endpoint_id}: ${price}; ${e.status}; ${inputs}`);
    }
    writeLines(process.stdout, `wrote ${result.path}: ${result.updated.length} model(s) from fal${result.kept ? `, ${result.kept} kept as they were` : ""}. Commit it.`);
    return 0;
  } catch (err) {
    if (!(err instanceof CatalogUpdateError)) throw err;
    writeLines(process.stderr, `fal-jobs: ${err.message}`);
    return 1;
  }
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

