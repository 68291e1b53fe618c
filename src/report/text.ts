import { displayUsd } from "../util/money.js";
import { flatten } from "./escape.js";
import { fmtNumber, unitsTimesPrice } from "./format.js";
import type { Report } from "./model.js";
import { diffWithBase, formatChange, formatFigure, type Change } from "./base-diff.js";

/** Plain text for the terminal. */
export function renderText(r: Report): string {
  const rows = [["JOB", "MODEL", "RUNS", "UNITS × PRICE", "ESTIMATED", "SOURCE"]];
  for (const j of r.jobs) {
    const est = j.unknown_runs === j.runs ? "unknown" : displayUsd(j.estimated_nano) + (j.unknown_runs ? ` +${j.unknown_runs}?` : "") + (j.confidence === "upper-bound" ? " (max)" : j.confidence === "history" ? " (bills p95)" : "");
    const runs = j.locked_runs ? `${fmtNumber(j.runs)} (+${fmtNumber(j.locked_runs)} locked)` : fmtNumber(j.runs);
    rows.push([j.id, j.model, runs, unitsTimesPrice(j), j.runs === 0 ? "-" : est, j.source_detail].map((c) => flatten(c, 60)));
  }
  rows.push(["TOTAL", "", fmtNumber(r.totals.runs), "", displayUsd(r.totals.estimated_nano) + (r.totals.unknown_runs ? ` +${r.totals.unknown_runs}?` : ""), ""]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => [...row[i]!].length)));
  const line = (row: string[]) => row.map((c, i) => (i === 2 || i === 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const out = rows.map(line);
  out.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  out.push("");
  const budget = r.budget.effective_nano === null ? "no budget set" : `budget ${displayUsd(r.budget.effective_nano)} (${r.budget.source === "both" ? "smaller of --budget and manifest" : r.budget.source === "input" ? "from --budget" : `from ${r.budget.source}`})`;
  // Runs of unknown cost are named beside the known sum, never hidden in it (an all-unknown total is not "$0.00").
  const unknown = r.totals.unknown_runs ? ` + ${fmtNumber(r.totals.unknown_runs)} run${r.totals.unknown_runs === 1 ? "" : "s"} of unknown cost` : "";
  out.push(`${verdictWord(r.verdict)}: estimated ${displayUsd(r.totals.estimated_nano)}${unknown}, ${budget}${r.budget.scope === "full" ? " (gating the whole manifest)" : ""}`);
  for (const reason of r.reasons) out.push(`  ✗ ${reason}`);
  for (const w of r.warnings) out.push(`  ! ${w}`);
  if (r.lock.status !== "off") {
    const t = r.totals;
    out.push(
      `lock ${r.lock.path} (${r.lock.status === "missing" ? "none yet" : `${r.lock.entries} entries`}): ${t.runs} new run(s) to spend on, ${t.locked_runs} locked (already paid), ${t.removed_runs} removed; whole manifest ${displayUsd(t.full.estimated_nano)}${t.full.unknown_runs ? ` + ${fmtNumber(t.full.unknown_runs)} of unknown cost` : ""}`,
    );
  }
  if (r.account) out.push(`credits: ${flatten(r.account.detail, 400)}`);
  out.push(...pastRunsText(r));
  out.push(...baseDiffText(r), ...runText(r));
  const discount = r.prices.discount_percent ? `, less the account's ${r.prices.discount_percent}% discount` : "";
  const repo = r.prices.repository_catalog ? `, ${r.prices.by_source.repository ?? 0} repository catalog (${r.prices.repository_catalog.path}, ${r.prices.repository_catalog.updated})` : "";
  out.push(`prices: ${r.prices.by_source.override} override, ${r.prices.by_source.live} live${repo}, ${r.prices.by_source.catalog} catalog (${r.prices.catalog_as_of}${discount})${r.prices.by_source.history ? `, ${r.prices.by_source.history} from past bills` : ""}; live API ${r.prices.live}${r.prices.live_detail ? ` (${r.prices.live_detail})` : ""}`);
  const unchecked = r.checks?.inputs_unchecked ?? [];
  if (unchecked.length) out.push(`inputs not checked (no input schema known for the model): ${unchecked.map((u) => `${u.job} (${u.model})`).join(", ")}`);
  return out.join("\n");
}

function verdictWord(v: Report["verdict"]): string {
  return { "within-budget": "WITHIN BUDGET", "over-budget": "OVER BUDGET", "unknown-cost": "COST UNKNOWN", "no-budget": "NO BUDGET" }[v];
}

/** The change against the base (the CLI's --base-manifest, or a pull request's base commit): totals, then each job that changed. */
function baseDiffText(r: Report): string[] {
  const base = r.base;
  if (!base) return [];
  const name = base.sha ? `base ${base.sha.slice(0, 12)}` : "base";
  const diff = diffWithBase(r);
  if (!diff) return [`${name}: not compared (${flatten(base.detail ?? "", 300)})`];
  const change = (c: Change) => `${formatFigure(c.base)} → ${formatFigure(c.head)}, ${formatChange(c)}`;
  const out = [`against the ${name}${base.source === "absent" ? ` (${flatten(base.detail ?? "no manifest there", 200)})` : ""}: to spend ${change(diff.toSpend)}; full ${change(diff.full)}`];
  for (const j of diff.jobs) {
    if (j.status === "same") continue;
    out.push(`  ${flatten(j.id, 64)}${j.status === "changed" ? "" : ` (${j.status})`}: to spend ${formatChange(j.toSpend)}; full ${formatChange(j.full)}`);
  }
  return out;
}

/** How far each job's estimates were from its bills over the past runs the lock records. */
function pastRunsText(r: Report): string[] {
  const jobs = r.jobs.filter((j) => j.past);
  if (jobs.length === 0) return [];
  const out = ["past runs in the lock, billed against estimated:"];
  for (const j of jobs) {
    const p = j.past!;
    const err = p.error_pct === null ? "" : ` (${p.error_pct > 0 ? "+" : ""}${p.error_pct}%)`;
    const over = p.over_estimate_runs ? `, ${fmtNumber(p.over_estimate_runs)} billed above the estimate` : "";
    out.push(`  ${flatten(j.id, 64)}: ${fmtNumber(p.runs)} run(s), billed ${displayUsd(p.billed_nano)} against ${displayUsd(p.estimated_nano)}${err}${over}; per run ${displayUsd(p.billed_per_run.p50_nano)} p50, ${displayUsd(p.billed_per_run.p95_nano)} p95`);
  }
  return out;
}

/** After a real run (the CLI shows merged shard reports): what was billed, and each shard's part. */
function runText(r: Report): string[] {
  if (r.mode !== "run") return [];
  const e = r.execution;
  const counts = Object.entries(e.counts).filter(([, n]) => n > 0).map(([status, n]) => `${fmtNumber(n)} ${status}`).join(", ");
  const open = e.pending_runs + e.unknown_runs;
  const out = [`run: ${counts || "no runs"}; billed ${e.billed === null ? `${displayUsd(e.billed_nano)} known + ${fmtNumber(open)} run(s) pending or unknown` : displayUsd(e.billed_nano)}`];
  for (const s of r.merge?.shards ?? []) {
    const billed = s.status === "missing" ? "no report: cost unknown" : `billed ${displayUsd(s.billed_nano)}${s.unknown_runs ? ` + ${fmtNumber(s.unknown_runs)} unknown` : ""}`;
    const cap = s.budget_nano === null ? "" : `, cap ${displayUsd(s.budget_nano)}`;
    out.push(`  shard ${s.index}/${r.merge!.total} ${s.status}: ${fmtNumber(s.runs)} run(s), estimated ${displayUsd(s.estimated_nano)}${cap}; ${billed}`);
  }
  return out;
}
