import { readFile } from "node:fs/promises";
import { estimatePlan, restrictEstimate, type Estimate, type PricePolicy } from "../estimate/estimate.js";
import { checkIncrease, type Figures, type IncreaseCheck, type IncreaseLimit } from "../gate/increase-gate.js";
import { diffLock } from "../lock/diff.js";
import { historyFromLock } from "../lock/history.js";
import { parseLock } from "../lock/read.js";
import { emptyLock, type Lock } from "../lock/schema.js";
import { ManifestError, formatIssue } from "../manifest/errors.js";
import { parseManifest } from "../manifest/load.js";
import type { Manifest } from "../manifest/schema.js";
import { buildPlan, type Plan } from "../plan/expand.js";
import type { LoadedCatalog } from "../pricing/catalog.js";
import { resolvePrices, type AccountPricing, type LivePricing } from "../pricing/prices.js";
import { buildBaseReport } from "../report/base.js";
import type { BaseReport } from "../report/model.js";

/**
 * The manifest as it is at the pull request's base, estimated like the head:
 * the same engine on another text, with the same prices. Reading the base is
 * the caller's (git, the GitHub API, or files for the CLI) through
 * BaseSource; nothing here fails the estimate: a base that cannot be read or
 * estimated is `unavailable`, with the reason.
 */

/** One file as it is at the base; `text` null when it did not exist there. */
export interface BaseFile {
  text: string | null;
  via: "git" | "api" | "file";
  /** For messages and positions, e.g. `fal-jobs.yaml@1a2b3c4d5e6f`. */
  name: string;
}

export interface BaseSource {
  /** The base commit; null when the base is given as files. */
  sha: string | null;
  /** Reads the manifest at the base; throws when it cannot tell what is there. */
  manifest(): Promise<BaseFile>;
  /** Reads the lock at the base; null when the lock is off. */
  lock: (() => Promise<BaseFile>) | null;
}

/** The base given as files (the CLI's --base-manifest and --base-lock); a file that does not exist did not exist at the base. */
export function baseFromFiles(manifestFile: string, lockFile: string | null): BaseSource {
  const read = async (file: string): Promise<BaseFile> => {
    try {
      return { text: await readFile(file, "utf8"), via: "file", name: file };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { text: null, via: "file", name: file };
      throw err;
    }
  };
  return { sha: null, manifest: () => read(manifestFile), lock: lockFile === null ? null : () => read(lockFile) };
}

export type LoadedBase =
  | { sha: string | null; status: "read"; via: BaseFile["via"]; name: string; manifest: Manifest; plan: Plan; lock: Lock }
  | { sha: string | null; status: "absent"; detail: string }
  | { sha: string | null; status: "unavailable"; detail: string };

export async function loadBase(source: BaseSource): Promise<LoadedBase> {
  const sha = source.sha;
  try {
    const file = await source.manifest();
    if (file.text === null) return { sha, status: "absent", detail: `${file.name} did not exist (an empty manifest: $0)` };
    const manifest = parseManifest(file.text, file.name);
    const plan = buildPlan(manifest);
    const lockFile = source.lock ? await source.lock() : null;
    const lock = lockFile && lockFile.text !== null ? await parseLock(lockFile.text, lockFile.name) : emptyLock();
    return { sha, status: "read", via: file.via, name: file.name, manifest, plan, lock };
  } catch (err) {
    return { sha, status: "unavailable", detail: describeError(err) };
  }
}

/** The models the base needs prices for, and whether its own `pricing:` overrides each. */
export function baseModels(base: LoadedBase | undefined): Array<{ model: string; overridden: boolean }> {
  if (base?.status !== "read") return [];
  return base.plan.jobs.map((j) => ({ model: j.model, overridden: Boolean(base.manifest.pricing?.[j.model]) }));
}

export interface BaseComparison {
  report: BaseReport;
  check: IncreaseCheck;
}

/** What the head was priced with: the base is priced the same way. */
export interface Pricing {
  live: LivePricing;
  catalog: LoadedCatalog;
  policy: PricePolicy;
  account?: AccountPricing;
}

/**
 * Estimates the base with the head's live or catalog prices (and the base
 * manifest's own `pricing:`), then checks the head against it when a
 * fail-on-increase limit is set.
 */
export function compareWithBase(
  base: LoadedBase,
  head: { toSpend: Estimate; full: Estimate },
  pricing: Pricing,
  limit: IncreaseLimit | undefined,
  unknownPrice: "fail" | "warn",
): BaseComparison {
  const estimates = estimatesOf(base, pricing);
  const sha = base.sha;
  const name = sha ? `the base commit ${sha.slice(0, 12)}` : "the base";
  const check: IncreaseCheck = { reasons: [], warnings: [] };
  if (base.status === "unavailable") check.warnings.push(`the estimate at ${name} could not be made, so the pull request's change in cost is not shown: ${base.detail}`);
  if (limit) {
    const against = estimates ? { figures: figuresOf(estimates), name } : { figures: null, why: base.status === "unavailable" ? base.detail : "no base" };
    const result = checkIncrease(figuresOf(head), against, limit, unknownPrice);
    check.reasons.push(...result.reasons);
    check.warnings.push(...result.warnings);
  }
  const source = base.status === "read" ? base.via : base.status;
  const detail = base.status === "read" ? null : base.detail;
  return { report: buildBaseReport({ sha, source, detail, estimates, limit }), check };
}

function estimatesOf(base: LoadedBase, { live, catalog, policy, account }: Pricing): { toSpend: Estimate; full: Estimate } | null {
  if (base.status === "unavailable") return null;
  if (base.status === "absent") {
    const none: Estimate = { jobs: [], totalNano: 0, unknownRuns: 0, totalRuns: 0 };
    return { toSpend: none, full: none };
  }
  const prices = resolvePrices(base.plan.jobs.map((j) => j.model), base.manifest.pricing, live, catalog, account);
  // The base is estimated from its own lock's bills, as it would have been there.
  const full = estimatePlan(base.plan, prices, policy, historyFromLock(base.lock));
  const toRun = diffLock(base.plan, base.lock, { listLocked: false }).toRun;
  return { toSpend: toRun.totalRuns === base.plan.totalRuns ? full : restrictEstimate(full, toRun), full };
}

function figuresOf(e: { toSpend: Estimate; full: Estimate }): Figures {
  return { toSpend: { nano: e.toSpend.totalNano, unknownRuns: e.toSpend.unknownRuns }, full: { nano: e.full.totalNano, unknownRuns: e.full.unknownRuns } };
}

function describeError(err: unknown): string {
  if (err instanceof ManifestError) {
    const [first, ...rest] = err.issues;
    return `${err.what === "lock" ? "the lock" : "the manifest"} there is not valid: ${first ? formatIssue(first) : err.message}${rest.length ? ` (and ${rest.length} more)` : ""}`;
  }
  return err instanceof Error ? err.message : String(err);
}
