import { displayUsd, parseUsd, toNano, type Nano } from "../util/money.js";
import { inShell, setting } from "../util/shell.js";

/**
 * `fail-on-increase`: the check fails when the pull request raises the
 * estimate above the base branch's by more than a set amount (USD) or share
 * (percent of the base). Both figures are checked: what merging will spend
 * (new runs) and the whole manifest.
 */

export type IncreaseLimit = { kind: "usd"; nano: Nano } | { kind: "percent"; percent: number };

/** "5", "$5", "2.50" (USD) or "20%", "12.5%"; empty text is no limit. Throws with the fix on anything else. */
export function parseIncreaseLimit(text: string | undefined): IncreaseLimit | undefined {
  const t = (text ?? "").trim();
  if (t === "") return undefined;
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (pct) return { kind: "percent", percent: Number(pct[1]) };
  try {
    return { kind: "usd", nano: toNano(parseUsd(t)!) };
  } catch {
    throw new Error(`not an amount or a percentage: "${t}" (expected USD such as 5 or 2.50, or a percentage of the base such as 20%)`);
  }
}

function describeLimit(limit: IncreaseLimit): string {
  return limit.kind === "usd" ? `+${displayUsd(limit.nano)}` : `+${limit.percent}%`;
}

/** One estimate figure: the sum over runs of known cost, and how many runs' cost is unknown. */
export interface Figure {
  nano: Nano;
  unknownRuns: number;
}

export interface Figures {
  toSpend: Figure;
  full: Figure;
}

export interface IncreaseCheck {
  reasons: string[];
  warnings: string[];
}

/**
 * `base` is null when the base estimate could not be made (`why` says why):
 * the limit cannot be checked, which fails, since a gate that quietly stops
 * gating would let any increase through.
 */
export function checkIncrease(
  head: Figures,
  base: { figures: Figures; name: string } | { figures: null; why: string },
  limit: IncreaseLimit,
  unknownPrice: "fail" | "warn",
): IncreaseCheck {
  const out: IncreaseCheck = { reasons: [], warnings: [] };
  if (base.figures === null) {
    out.reasons.push(
      `${setting("fail-on-increase")} (${describeLimit(limit)}) needs the estimate ${inShell({ action: "at the base commit", cli: "of the base (--base-manifest)" })}, which could not be made: ${base.why}. ` +
        inShell({
          action: "Give the job `permissions: contents: read` (the base manifest is read through the GitHub API when the checkout lacks the base commit) or check out with `fetch-depth: 0`",
          cli: "Fix the base manifest, or leave out --fail-on-increase",
        }),
    );
    return out;
  }
  const figures: Array<[string, Figure, Figure]> = [
    ["to-spend estimate (new runs)", head.toSpend, base.figures.toSpend],
    ["full estimate (the whole manifest)", head.full, base.figures.full],
  ];
  for (const [what, h, b] of figures) {
    const increase = h.nano - b.nano;
    const over = limit.kind === "usd" ? increase > limit.nano : increase * 100 > b.nano * limit.percent;
    if (over) {
      const share = b.nano > 0 ? ` (+${roundPercent((increase / b.nano) * 100)}%)` : limit.kind === "percent" ? " (from $0 at the base: more than any percentage)" : "";
      const allowed = limit.kind === "percent" && b.nano > 0 ? `, ${displayUsd(Math.floor((b.nano * limit.percent) / 100))} here` : "";
      out.reasons.push(
        `${inShell({ action: "this pull request raises", cli: "this manifest raises" })} the ${what} by +${displayUsd(increase)}${share}, from ${displayUsd(b.nano)} at ${base.name} to ${displayUsd(h.nano)}: more than ${setting("fail-on-increase")} allows (${describeLimit(limit)}${allowed})`,
      );
    }
    // Runs of unknown cost may hide any increase: the budget's unknown_price decides whether that fails.
    if (h.unknownRuns > b.unknownRuns) {
      const line = `${setting("fail-on-increase")} cannot bound the ${what}: it has ${h.unknownRuns - b.unknownRuns} more run(s) of unknown cost than at ${base.name}`;
      if (unknownPrice === "fail") out.reasons.push(line);
      else out.warnings.push(`${line} (a warning, because budget.unknown_price is warn)`);
    }
  }
  return out;
}

function roundPercent(p: number): string {
  return p >= 10 ? String(Math.round(p)) : String(Math.round(p * 10) / 10);
}
