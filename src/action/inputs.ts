import * as core from "@actions/core";
import { lockPathFor } from "../lock/read.js";
import { UsageError } from "../errors.js";
import { parsePriceSource, type PriceSourceMode } from "../pricing/price-source.js";
import { parseDiscountPercent } from "../pricing/discount.js";
import { COMMENT_MODES, type CommentMode } from "../comment/sticky.js";
import { parseDurationMs } from "../util/duration.js";
import { parseUsd } from "../util/money.js";
import { parseIncreaseLimit, type IncreaseLimit } from "../gate/increase-gate.js";
import { secretPieces, secretProblem } from "../util/secret.js";
import { parseShard, type ShardSpec } from "../plan/partition.js";
import * as log from "./log.js";

/** The action's inputs, parsed and checked once. Names match action.yml. */

/** The `comment` input: a sticky-comment mode, or "off" for none. */
const COMMENT_INPUTS = [...COMMENT_MODES, "off"] as const;
type CommentInput = (typeof COMMENT_INPUTS)[number];

export interface ActionConfig {
  manifest: string;
  dryRun: boolean;
  budgetUsd?: number;
  falKey?: string;
  falAdminKey?: string;
  githubToken?: string;
  comment: CommentMode | "off";
  commentTag: string;
  artifactName: string;
  outputDir: string;
  priceSource: PriceSourceMode;
  /** The workflow lets the manifest's prices undercut fal's (never the manifest itself). */
  allowLowerPrices: boolean;
  /** The account's discount on catalog prices, in percent (never from the manifest). */
  discountPercent?: number;
  billingTimeoutMs: number;
  /** Stop starting runs and cancel fal requests after this long. */
  deadlineMs?: number;
  /** Post-only mode: render and post this report JSON instead of estimating. */
  reportPath?: string;
  /** The lock file (default: fal-jobs.lock.json beside the manifest); null when the `lock` input is `off`. */
  lockPath: string | null;
  /** What the budget gates: the runs to submit (new) or the whole manifest (full). */
  budgetScope: "new" | "full";
  /** commit: save the lock back to the branch through the GitHub API after a real run; none: leave it in the workspace. */
  lockSave: "none" | "commit";
  /** On a pull request: fail when the estimate rises above the base's by more than this. */
  failOnIncrease?: IncreaseLimit;
  /** A real run as one shard of a matrix (`i/N`): its part of the runs under its share of the budget. */
  shard?: ShardSpec;
  /** A shard's report artifact (`{artifact-name}-report-{i}-of-{N}`), what the merge job downloads. */
  shardReportArtifact?: string;
  /** Merge mode: a glob of shard reports to combine into one report, comment, outputs and lock. */
  merge?: string;
}

/** An input read by `parse`; what `parse` throws becomes a usage error naming the input. */
function parsedInput<T>(name: string, parse: (text: string) => T): T {
  try {
    return parse(core.getInput(name));
  } catch (err) {
    throw new UsageError(`${name}: ${(err as Error).message}`);
  }
}

export function readConfig(env: NodeJS.ProcessEnv): ActionConfig {
  // Mask first, before anything can log them; then refuse a damaged one without showing it.
  const secrets = [
    rawSecret("fal-key", "FAL_KEY", "the fal key", env),
    rawSecret("fal-admin-key", "FAL_ADMIN_KEY", "the fal admin key", env),
    rawSecret("github-token", "GITHUB_TOKEN", "the GitHub token", env),
  ];
  for (const s of secrets) if (s.raw) maskSecret(s.raw);
  const [falKey, falAdminKey, githubToken] = secrets.map(checkedSecret);

  const comment = (core.getInput("comment") || "update") as CommentInput;
  if (!COMMENT_INPUTS.includes(comment)) throw new UsageError(`comment must be one of ${COMMENT_INPUTS.join(", ")} (got "${comment}")`);

  const dryRun = booleanInput("dry-run", true);
  const allowLowerPrices = booleanInput("allow-lower-prices", false);

  const budgetUsd = parsedInput("budget", parseUsd);
  const discountPercent = parsedInput("discount-percent", parseDiscountPercent);
  const billingTimeoutMs = parsedInput("billing-timeout", (text) => parseDurationMs(text || "120"));
  const deadlineMs = parsedInput("deadline", (text) => (text ? parseDurationMs(text) : undefined));
  const failOnIncrease = parsedInput("fail-on-increase", parseIncreaseLimit);

  const manifest = core.getInput("manifest") || "fal-jobs.yaml";
  const budgetScope = core.getInput("budget-scope") || "new";
  if (budgetScope !== "new" && budgetScope !== "full") throw new UsageError(`budget-scope must be new or full (got "${budgetScope}")`);

  const lockSave = core.getInput("lock-save") || "none";
  if (lockSave !== "none" && lockSave !== "commit") throw new UsageError(`lock-save must be none or commit (got "${lockSave}")`);

  let shard = parsedInput("shard", (text) => (text ? parseShard(text) : undefined));
  // The estimate is not sharded: a pull request's check prices the whole manifest once.
  if (shard && dryRun) {
    log.info(`shard ${shard.index}/${shard.total} is ignored in a dry run: the estimate covers the whole manifest`);
    shard = undefined;
  }
  // Shards do not write the lock back: the merge job saves the one lock all shards made.
  if (shard && !dryRun && lockSave === "commit") throw new UsageError("lock-save: commit cannot be used with shard: shards never write the lock back; set lock-save on the merge job (the `merge` input), which saves the lock every shard made. Nothing was submitted.");
  const merge = core.getInput("merge") || undefined;
  if (merge && shard) throw new UsageError("shard and merge are for different jobs: the shards run the batch (shard), one job after them merges their reports (merge)");

  const artifactName = core.getInput("artifact-name") || "fal-outputs";
  const label = shard && `${shard.index}-of-${shard.total}`;
  return {
    shard,
    merge,
    // A shard's artifacts are its own; it never comments (the merge job does, once, for the whole batch).
    shardReportArtifact: label ? `${artifactName}-report-${label}` : undefined,
    deadlineMs,
    lockSave,
    manifest,
    lockPath: lockPathFor(core.getInput("lock"), manifest),
    budgetScope,
    failOnIncrease,
    dryRun,
    budgetUsd,
    falKey,
    falAdminKey,
    githubToken,
    comment: shard ? "off" : comment,
    commentTag: core.getInput("comment-tag") || "default",
    artifactName: label ? `${artifactName}-${label}` : artifactName,
    outputDir: core.getInput("output-dir") || "fal-outputs",
    priceSource: parsePriceSource(core.getInput("price-source")),
    allowLowerPrices,
    discountPercent,
    billingTimeoutMs,
    reportPath: core.getInput("report") || undefined,
  };
}

/**
 * When readConfig refused the inputs: what publishing a report of that refusal needs, each input read leniently (its
 * default where it is not valid either), so the job summary and the sticky comment still say what is wrong. A token
 * that is itself the problem is not used.
 */
export function configForFailureReport(env: NodeJS.ProcessEnv): ActionConfig {
  const comment = core.getInput("comment") as CommentInput;
  const token = (core.getInput("github-token", { trimWhitespace: false }).trim() || env.GITHUB_TOKEN || "").trim();
  const manifest = core.getInput("manifest") || "fal-jobs.yaml";
  return {
    manifest,
    dryRun: true,
    githubToken: token && !secretProblem(token) ? token : undefined,
    comment: COMMENT_INPUTS.includes(comment) ? comment : "update",
    commentTag: core.getInput("comment-tag") || "default",
    artifactName: "fal-outputs",
    outputDir: core.getInput("output-dir") || "fal-outputs",
    priceSource: "auto",
    allowLowerPrices: false,
    billingTimeoutMs: 120_000,
    lockPath: null,
    budgetScope: "new",
    lockSave: "none",
  };
}

/** `true` or `false`, in any case; anything else is a usage error (a typo must not flip a paid run on or off). */
function booleanInput(name: string, fallback: boolean): boolean {
  const text = (core.getInput(name) || String(fallback)).trim().toLowerCase();
  if (text !== "true" && text !== "false") throw new UsageError(`${name} must be true or false (got "${text}")`);
  return text === "true";
}

interface RawSecret {
  raw: string;
  /** For messages: what it is and where it came from; never its value. */
  label: string;
}

function rawSecret(input: string, envName: string, what: string, env: NodeJS.ProcessEnv): RawSecret {
  const fromInput = core.getInput(input, { trimWhitespace: false });
  return fromInput.trim() ? { raw: fromInput, label: `${what} (the \`${input}\` input)` } : { raw: env[envName] ?? "", label: `${what} (${envName})` };
}

/** The secret without surrounding whitespace (a pasted trailing newline is common), or a UsageError that does not show it. */
function checkedSecret({ raw, label }: RawSecret): string | undefined {
  const secret = raw.trim();
  if (!secret) return undefined;
  const problem = secretProblem(secret);
  if (problem) {
    throw new UsageError(`${label} has ${problem} inside it, which no key or token has (damage from copying it?): fix the secret. It is not shown here, and nothing was sent anywhere with it.`);
  }
  return secret;
}

/**
 * A fal key may be `id:secret`; mask the whole, each part, and the forms it
 * takes in headers and URLs, so no derived form reaches the log. A damaged
 * key is masked line by line as well: the runner matches masks within a line.
 */
function maskSecret(raw: string): void {
  const secret = raw.trim();
  const forms = new Set([raw, secret, encodeURIComponent(secret), Buffer.from(secret).toString("base64")]);
  for (const part of secret.split(":")) if (part.length >= 8) forms.add(part);
  for (const piece of secretPieces(raw)) forms.add(piece);
  forms.delete("");
  for (const f of forms) core.setSecret(f);
}
