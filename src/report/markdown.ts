import { displayUsd } from "../util/money.js";
import { mdCode, mdText } from "./escape.js";
import { fmtNumber, unitsTimesPrice } from "./format.js";
import type { Report } from "./model.js";

/**
 * Markdown for people: the job summary and (with the marker added by the
 * comment adapter) the PR comment. Every string from the manifest or from
 * fal goes through mdText/mdCode.
 */

export interface RenderOptions {
  /** Per-job rows shown at most; the rest is summarized (the report artifact has all). */
  maxJobRows?: number;
  /** Problems and warnings shown at most. */
  maxNotes?: number;
}

const VERDICT: Record<Report["verdict"], string> = {
  "within-budget": "✅ within budget",
  "over-budget": "❌ over budget",
  "unknown-cost": "❌ cost unknown",
  "no-budget": "ℹ️ no budget set",
};

export function verdictLine(r: Report): string {
  const kind = r.mode === "estimate" ? "estimate only" : "run";
  return `${VERDICT[r.verdict]} — ${kind}`;
}

export function renderMarkdown(r: Report, opts: RenderOptions = {}): string {
  const maxRows = opts.maxJobRows ?? 200;
  const maxNotes = opts.maxNotes ?? 50;
  const out: string[] = [];
  out.push(`### 💰 fal-jobs: ${verdictLine(r)}`, "");

  const budget = r.budget.effective === null ? "no budget" : `budget **${displayUsd(r.budget.effective_nano!)}**${budgetSourceNote(r)}`;
  const unknown = r.totals.unknown_runs > 0 ? ` + ${fmtNumber(r.totals.unknown_runs)} run(s) of unknown cost` : "";
  const share = r.budget.effective_nano ? ` (${Math.round((r.totals.estimated_nano / r.budget.effective_nano) * 100)}% of budget)` : "";
  out.push(`Estimated **${displayUsd(r.totals.estimated_nano)}**${unknown} for ${fmtNumber(r.totals.runs)} run(s) of ${r.jobs.length} job(s) · ${budget}${share}`, "");

  if (r.reasons.length) {
    out.push("**Why the check failed**", "");
    for (const reason of r.reasons.slice(0, maxNotes)) out.push(`- ❌ ${mdText(reason, 600)}`);
    if (r.reasons.length > maxNotes) out.push(`- … and ${r.reasons.length - maxNotes} more (see the report)`);
    out.push("");
  }

  out.push("| Job | Model | Runs | Units × unit price | Estimated | Source |", "|---|---|---:|---|---:|---|");
  for (const j of r.jobs.slice(0, maxRows)) {
    const est = j.unknown_runs === j.runs ? "unknown" : `${displayUsd(j.estimated_nano)}${j.unknown_runs ? ` + ${j.unknown_runs} unknown` : ""}${j.confidence === "upper-bound" ? " (max)" : ""}`;
    out.push(`| ${mdText(j.id, 64)} | ${mdCode(j.model, 120)} | ${fmtNumber(j.runs)} | ${mdText(unitsTimesPrice(j))} | ${est} | ${mdText(j.source_detail)} |`);
  }
  if (r.jobs.length > maxRows) {
    const rest = r.jobs.slice(maxRows);
    const restNano = rest.reduce((s, j) => s + j.estimated_nano, 0);
    out.push(`| … ${rest.length} more jobs | | ${fmtNumber(rest.reduce((s, j) => s + j.runs, 0))} | | ${displayUsd(restNano)} | see report |`);
  }
  out.push(`| **Total** | | **${fmtNumber(r.totals.runs)}** | | **${displayUsd(r.totals.estimated_nano)}** | |`, "");

  if (r.warnings.length) {
    for (const w of r.warnings.slice(0, maxNotes)) out.push(`> ⚠️ ${mdText(w, 600)}`, ">");
    if (r.warnings.length > maxNotes) out.push(`> … and ${r.warnings.length - maxNotes} more warnings (see the report)`);
    else out.pop();
    out.push("");
  }
  out.push(priceSourcesLine(r), "");
  return out.join("\n");
}

function budgetSourceNote(r: Report): string {
  switch (r.budget.source) {
    case "both":
      return ` (the smaller of the workflow's ${displayUsd(toNanoFromUsd(r.budget.input!))} and the manifest's ${displayUsd(toNanoFromUsd(r.budget.manifest!))})`;
    case "input":
      return " (from the workflow)";
    case "manifest":
      return " (from the manifest)";
    default:
      return "";
  }
}

function toNanoFromUsd(usd: string): number {
  return Math.round(Number(usd) * 1e9);
}

export function priceSourcesLine(r: Report): string {
  const live =
    r.prices.live === "ok" ? "fal pricing API: used" : r.prices.live === "failed" ? `fal pricing API: failed (${mdText(r.prices.live_detail ?? "", 160)}), catalog used instead` : `fal pricing API: not used (${mdText(r.prices.live_detail ?? "", 120)})`;
  const s = r.prices.by_source;
  return `<sub>Prices: ${s.override} from manifest overrides, ${s.live} live, ${s.catalog} from the bundled catalog (dated ${r.prices.catalog_as_of})${s.none ? `, ${s.none} with no price` : ""} · ${live} · ${r.tool.name} ${r.tool.version}</sub>`;
}
