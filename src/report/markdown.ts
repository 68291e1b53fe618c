import { displayUsd, type Nano } from "../util/money.js";
import { unitLabel } from "../pricing/units.js";
import { mdCode, mdText } from "./escape.js";
import { fmtNumber, fmtUnitPrice, unitsTimesPrice } from "./format.js";
import type { EstimateReport, JobReport, Report, RunEntry, RunModeReport } from "./model.js";
import { diffWithBase, formatChange, formatFigure, same, type Change } from "./base-diff.js";

/**
 * Markdown for people: the job summary and the PR comment render the same
 * report. Every string from the manifest or from fal goes through
 * mdText/mdCode; prompts never appear outside code spans.
 */

export interface RenderOptions {
  /** Per-job rows shown at most; the rest is summarized (the report artifact has all). */
  maxJobRows?: number;
  /** Failures, reasons and warnings shown at most. */
  maxNotes?: number;
  /** Where the full table is when rows are cut. */
  truncationNote?: string;
}

const ESTIMATE_VERDICT: Record<Report["verdict"], string> = {
  "within-budget": "✅ Within budget",
  "over-budget": "❌ Over budget",
  "unknown-cost": "❌ Cost unknown",
  "no-budget": "ℹ️ No budget set",
};

function verdictLine(r: Report): string {
  if (r.mode === "estimate") return `${ESTIMATE_VERDICT[r.verdict]} — estimate only, nothing was run`;
  if (r.execution.cancelled) return "⛔ Run cancelled";
  if (!r.pass) return "❌ Run finished with problems";
  return "✅ Run complete, within budget";
}

const BILLED_SOURCE: Record<string, string> = {
  "billing-events": "fal billing events",
  header: "fal billable-units header",
  observed: "units in outputs",
};

export function renderMarkdown(r: Report, opts: RenderOptions = {}): string {
  const maxRows = opts.maxJobRows ?? 300;
  const maxNotes = opts.maxNotes ?? 30;
  const out: string[] = [`### 💰 fal-jobs: ${verdictLine(r)}`, ""];
  const lead = leadSentence(r);
  // Nothing fal-related changed: one line says so, and the details stay out of the way.
  if (r.mode === "estimate" && r.pass && r.totals.runs === 0 && r.totals.removed_runs === 0 && r.totals.locked_runs > 0 && !r.warnings.length) {
    out.push(lead, "", footer(r), "");
    return out.join("\n");
  }
  if (lead) out.push(lead, "");
  out.push(...totalsTable(r), "");
  out.push(...baseDiffSection(r, maxRows));

  if (r.reasons.length) {
    out.push(r.mode === "estimate" ? "**Why the check failed**" : "**Problems**", "");
    for (const reason of r.reasons.slice(0, maxNotes)) out.push(`- ❌ ${mdText(reason, 600)}`);
    if (r.reasons.length > maxNotes) out.push(`- … and ${r.reasons.length - maxNotes} more (see the report)`);
    out.push("");
  }

  out.push(...(r.mode === "run" ? runJobTable(r, maxRows) : estimateJobTable(r, maxRows)));
  if (r.jobs.length > maxRows) out.push("", `> ✂️ ${r.jobs.length - maxRows} of ${r.jobs.length} jobs are not shown here. ${opts.truncationNote ?? "The report JSON has every job and run."}`);
  out.push("");

  out.push(...removedRuns(r));
  if (r.mode === "run") out.push(...shardSection(r), ...failures(r, maxNotes), ...lockNote(r));
  if (r.warnings.length) {
    for (const w of r.warnings.slice(0, maxNotes)) out.push(`> ⚠️ ${mdText(w, 600)}`, ">");
    out.pop();
    if (r.warnings.length > maxNotes) out.push(">", `> … and ${r.warnings.length - maxNotes} more warnings (see the report)`);
    out.push("");
  }
  const artifact = r.mode === "run" ? r.execution.artifact : null;
  if (artifact) {
    const name = mdText(artifact.name);
    out.push(`📦 Outputs: ${isPlainHttpsUrl(artifact.url) ? `[${name}](${artifact.url})` : name} (artifact ${int(artifact.id)})`, "");
  }
  out.push(footer(r), "");
  return out.join("\n");
}

/**
 * What a reviewer asks first — what will merging this cost? — in one bold
 * sentence, Infracost style: the runs the lock does not hold, what they
 * cost, and what the lock already has. Without a lock, the estimate.
 */
function leadSentence(r: Report): string {
  const t = r.totals;
  const unknown = t.unknown_runs ? ` + ${int(t.unknown_runs)} run(s) of unknown cost` : "";
  const held = [t.locked_runs ? `${int(t.locked_runs)} unchanged, already paid` : "", t.removed_runs ? `${int(t.removed_runs)} removed` : ""].filter(Boolean).join("; ");
  const rest = held ? ` (${held})` : "";
  if (r.lock.status === "off") return "";
  const full = `${displayUsd(t.full.estimated_nano)}${t.full.unknown_runs ? ` + ${int(t.full.unknown_runs)} run(s) of unknown cost` : ""}`;
  if (r.mode === "run") {
    return `**Submitted ${int(t.runs)} new run(s)**${rest}; the whole manifest is estimated at ${full}.`;
  }
  if (t.runs === 0) return `**Merging this will spend nothing on fal**: all ${int(t.locked_runs)} run(s) are already generated and paid for${t.removed_runs ? `; ${int(t.removed_runs)} removed` : ""}.`;
  return `**Merging this will spend about ${displayUsd(t.estimated_nano)}${unknown} on ${int(t.runs)} new run(s)**${rest}. The whole manifest: ${full}.`;
}

/** Lock entries no run of the manifest has any more: paid for before, not generated again. */
function removedRuns(r: Report): string[] {
  if (!r.lock.removed.length) return [];
  const jobs = r.lock.removed.slice(0, 20).map((g) => `${mdText(g.job, 64)} (${int(g.runs)} run(s), ${displayUsd(g.billed_nano)} billed when generated)`);
  const more = r.lock.removed.length > 20 ? ` and ${r.lock.removed.length - 20} more jobs` : "";
  return [`🗑️ Removed from the manifest, dropped from the lock: ${jobs.join(", ")}${more}.`, ""];
}

/** After a real run: what must happen for the next run not to pay again. */
function lockNote(r: RunModeReport): string[] {
  if (r.lock.status === "off") return ["> ⚠️ The lock is off: the next run submits every run again.", ""];
  if (r.lock.written === null && r.lock.changed === null) return [];
  const saved = r.lock.saved;
  if (saved?.to === "branch") return [`🔒 The lock changed and was committed to ${mdCode(saved.ref, 200)}: the next run will not pay again for these runs.`, ""];
  if (saved?.to === "pull-request") {
    const link = isPlainHttpsUrl(saved.url) ? `[a pull request](${saved.url})` : "a pull request";
    return [`🔒 The lock changed; the branch is protected, so it is in ${link} from ${mdCode(saved.ref, 200)}: merge it (until then, runs read it there).`, ""];
  }
  if (!r.lock.changed) return [`🔒 Lock ${mdCode(r.lock.path ?? "", 200)} unchanged.`, ""];
  return [`🔒 **The lock changed**: commit ${mdCode(r.lock.written ?? r.lock.path ?? "", 200)} (the \`lock-path\` output) to the branch, or the next run pays again for the runs this one generated.`, ""];
}

function totalsTable(r: Report): string[] {
  const budget = r.budget.effective_nano === null ? "none" : `${displayUsd(r.budget.effective_nano)}${budgetSourceNote(r)}`;
  const unknownEst = r.totals.unknown_runs > 0 ? ` + ${fmtNumber(r.totals.unknown_runs)} run(s) of unknown cost` : "";
  if (r.mode === "estimate") {
    const share = r.budget.effective_nano ? ` (${percent(r.totals.estimated_nano, r.budget.effective_nano)} of budget)` : "";
    return [
      "| | Runs | Estimated | Budget |",
      "|---|---:|---:|---:|",
      `| **Total** | ${fmtNumber(r.totals.runs)} | **${displayUsd(r.totals.estimated_nano)}**${unknownEst}${share} | ${budget} |`,
    ];
  }
  const e = r.execution;
  return [
    "| | Runs | Estimated | Billed | Δ billed − estimated | Budget |",
    "|---|---:|---:|---:|---:|---:|",
    `| **Total** | ${fmtNumber(r.totals.runs)} (${statusCounts(e.counts)}) | ${displayUsd(r.totals.estimated_nano)}${unknownEst} | **${billedCell(e.billed_nano, e.billed_runs, e.pending_runs, e.unknown_runs)}** | ${deltaCell(e.delta_nano, e.error_pct, e.billed_runs)} | ${budget} |`,
  ];
}

function estimateJobTable(r: EstimateReport, maxRows: number): string[] {
  const out = ["| Job | Model | Runs | Units × unit price | Estimated | Price source |", "|---|---|---:|---|---:|---|"];
  for (const j of r.jobs.slice(0, maxRows)) {
    out.push(`| ${mdText(j.id, 64)} | ${mdCode(j.model, 120)} | ${runsCell(j)} | ${mdText(unitsTimesPrice(j))} | ${estimateCell(j)} | ${mdText(j.source_detail)} |`);
  }
  if (r.jobs.length > maxRows) {
    const rest = r.jobs.slice(maxRows);
    out.push(`| *${rest.length} more* | | ${fmtNumber(sumOf(rest, (j) => j.runs))} | | ${estimatedSum(rest)} | |`);
  }
  out.push(`| **Total** | | **${fmtNumber(r.totals.runs)}** | | **${displayUsd(r.totals.estimated_nano)}** | |`);
  return out;
}

function runJobTable(r: RunModeReport, maxRows: number): string[] {
  const out = ["| Job | Model | Runs | Units | Unit price | Estimated | Billed | Sources | Status |", "|---|---|---:|---:|---:|---:|---:|---|---|"];
  for (const j of r.jobs.slice(0, maxRows)) {
    const run = j.run;
    const units = j.units_total === null ? "?" : `${fmtNumber(j.units_total)} ${unitLabel(j.unit_kind ?? "opaque", j.unit ?? undefined)}`;
    const price = j.unit_price === null ? "?" : fmtUnitPrice(j.unit_price);
    const billedFrom = run.billed_sources.map((s) => BILLED_SOURCE[s] ?? s).join(", ") || (run.pending_runs ? "pending" : "—");
    const sources = `price: ${j.source_detail}; billed: ${billedFrom}`;
    out.push(
      `| ${mdText(j.id, 64)} | ${mdCode(j.model, 120)} | ${fmtNumber(j.runs)} | ${mdText(units)} | ${price} | ${estimateCell(j)} | ${billedCell(run.billed_nano, run.billed_runs, run.pending_runs, run.unknown_runs)}${run.over_estimate_runs ? " ⚠️" : ""} | ${mdText(sources)} | ${statusCounts(run.counts)} |`,
    );
  }
  if (r.jobs.length > maxRows) {
    const rest = r.jobs.slice(maxRows);
    // The rows left out still say which of their costs are not known: a sum alone would look complete.
    const billed = billedCell(sumOf(rest, (j) => j.run.billed_nano), sumOf(rest, (j) => j.run.billed_runs), sumOf(rest, (j) => j.run.pending_runs), sumOf(rest, (j) => j.run.unknown_runs));
    out.push(`| *${rest.length} more* | | ${fmtNumber(sumOf(rest, (j) => j.runs))} | | | ${estimatedSum(rest)} | ${billed} | | |`);
  }
  return out;
}

/**
 * What the pull request changes against its base branch: the totals, then the
 * jobs whose figures changed (added, removed or repriced), with +/− in $ and %.
 * Nothing when the report has no base (not a pull request).
 */
function baseDiffSection(r: Report, maxRows: number): string[] {
  const base = r.base;
  if (!base) return [];
  const at = base.sha ? ` ${mdCode(base.sha.slice(0, 12), 12)}` : "";
  const diff = diffWithBase(r);
  if (!diff) return [`**Against the base branch:** not compared — the estimate at the base commit${at} could not be made (${mdText(base.detail ?? "", 400)})`, ""];
  const read = { git: "read from git", api: "read through the GitHub API", file: "read from a file", absent: "no manifest there: $0", unavailable: "" }[base.source];
  const limit = base.fail_on_increase;
  const limitNote = limit ? ` · fail-on-increase: ${limit.usd_nano !== null ? `+${displayUsd(limit.usd_nano)}` : `+${Number(limit.percent)}%`}` : "";
  const row = (what: string, c: Change) => `| ${what} | ${formatFigure(c.base)} | ${formatFigure(c.head)} | **${formatChange(c)}** |`;
  const out = [
    `**Against the base branch** (${at ? `commit${at}, ` : ""}${read}${limitNote})`,
    "",
    "| | Base | This pull request | Change |",
    "|---|---:|---:|---:|",
    row("To spend (new runs)", diff.toSpend),
    row("Full manifest", diff.full),
    "",
  ];
  const changed = diff.jobs.filter((j) => j.status !== "same");
  if (changed.length === 0) return [...out, `No job's estimate changed (${int(diff.jobs.length)} job(s)).`, ""];
  out.push("| Job | To spend: base → PR | Change | Full: base → PR | Change |", "|---|---:|---:|---:|---:|");
  for (const j of changed.slice(0, maxRows)) {
    const label = j.status === "added" ? " *(added)*" : j.status === "removed" ? " *(removed)*" : "";
    const [b, h] = [j.status !== "added", j.status !== "removed"];
    const cells = (c: Change) => `${formatFigure(c.base, b)} → ${formatFigure(c.head, h)} | ${same(c) ? "—" : formatChange(c)}`;
    out.push(`| ${mdText(j.id, 64)}${label} | ${cells(j.toSpend)} | ${cells(j.full)} |`);
  }
  const unchanged = diff.jobs.length - changed.length;
  const notes = [changed.length > maxRows ? `${int(changed.length - maxRows)} more changed job(s) are not shown here` : "", unchanged ? `${int(unchanged)} job(s) unchanged` : ""].filter(Boolean);
  if (notes.length) out.push("", `${notes.join("; ")}.`);
  return [...out, ""];
}

type FailedRun = RunEntry & { error: NonNullable<RunEntry["error"]> };

function failures(r: RunModeReport, maxNotes: number): string[] {
  const failed = r.runs.filter((run): run is FailedRun => run.error !== null && run.status !== "succeeded");
  if (failed.length === 0) return [];
  const out = [`<details><summary>${failed.length} run(s) did not succeed</summary>`, "", "| Run | Status | Request | Error |", "|---|---|---|---|"];
  for (const run of failed.slice(0, maxNotes)) {
    out.push(`| ${mdCode(run.id, 120)} | ${mdText(run.status, 20)} | ${run.request_id ? mdCode(run.request_id, 64) : "—"} | ${mdText(run.error.message, 400)} |`);
  }
  if (failed.length > maxNotes) out.push(`| … ${failed.length - maxNotes} more | | | see the report |`);
  out.push("", "</details>", "");
  return out;
}

function sumOf<T>(xs: T[], f: (x: T) => number): number {
  return xs.reduce((s, x) => s + f(x), 0);
}

/** The estimate of several jobs, with their runs of unknown cost beside the known sum. */
function estimatedSum(jobs: JobReport[]): string {
  const unknown = sumOf(jobs, (j) => j.unknown_runs);
  return `${displayUsd(sumOf(jobs, (j) => j.estimated_nano))}${unknown ? ` + ${int(unknown)} unknown` : ""}`;
}

/** New runs, and beside them the runs the lock already holds. */
function runsCell(j: JobReport): string {
  return j.locked_runs ? `${fmtNumber(j.runs)} new · ${fmtNumber(j.locked_runs)} locked` : fmtNumber(j.runs);
}

function estimateCell(j: JobReport): string {
  if (j.runs === 0) return "—";
  if (j.unknown_runs === j.runs) return "unknown";
  return `${displayUsd(j.estimated_nano)}${j.unknown_runs ? ` + ${int(j.unknown_runs)} unknown` : ""}${j.confidence === "upper-bound" ? " (max)" : ""}`;
}

function billedCell(billed: Nano, known: number, pending: number, unknown: number): string {
  if (known === 0 && (pending > 0 || unknown > 0)) return pending > 0 ? `pending (${int(pending)})` : "unknown";
  const rest = [pending ? `${int(pending)} pending` : "", unknown ? `${int(unknown)} unknown` : ""].filter(Boolean).join(", ");
  return `${displayUsd(billed)}${rest ? ` + ${rest}` : ""}`;
}

function deltaCell(delta: Nano, pct: number | null, known: number): string {
  if (known === 0 || pct === null) return "—";
  const sign = delta > 0 ? "+" : delta < 0 ? "−" : "±";
  return `${sign}${displayUsd(Math.abs(delta))} (${pct > 0 ? "+" : ""}${Number(pct)}%)`;
}

function statusCounts(c: Record<string, number>): string {
  const parts: string[] = [];
  if (c.succeeded) parts.push(`✅ ${int(c.succeeded)}`);
  if (c.failed) parts.push(`❌ ${int(c.failed)} failed`);
  if (c["timed-out"]) parts.push(`⏱️ ${int(c["timed-out"])} timed out`);
  if (c.cancelled) parts.push(`⛔ ${int(c.cancelled)} cancelled`);
  if (c["skipped-budget"]) parts.push(`💸 ${int(c["skipped-budget"])} skipped (budget)`);
  return parts.join(", ") || "—";
}

function percent(part: Nano, whole: Nano): string {
  return `${Math.round((part / whole) * 100)}%`;
}

function budgetSourceNote(r: Report): string {
  switch (r.budget.source) {
    case "both":
      return ` (smaller of workflow $${mdText(r.budget.input, 20)} and manifest $${mdText(r.budget.manifest, 20)})`;
    case "input":
      return " (workflow)";
    case "manifest":
      return " (manifest)";
    default:
      return "";
  }
}

function footer(r: Report): string {
  const live =
    r.prices.live === "ok"
      ? "fal pricing API used"
      : r.prices.live === "failed"
        ? `fal pricing API failed (${mdText(r.prices.live_detail ?? "", 160)}), catalog used`
        : `fal pricing API not used (${mdText(r.prices.live_detail ?? "", 120)})`;
  const s = r.prices.by_source;
  const billing = r.mode === "run" ? ` · billed cost from ${r.execution.billing.source === "billing-events" ? `fal billing events (${mdText(r.execution.billing.status)})` : "billable-units headers and outputs (no ADMIN key)"}` : "";
  return `<sub>Prices: ${int(s.override)} manifest override, ${int(s.live)} live, ${int(s.catalog)} bundled catalog dated ${mdText(r.prices.catalog_as_of, 20)}${s.none ? `, ${int(s.none)} none` : ""} · ${live}${billing} · ${mdText(r.tool.name, 40)} ${mdText(r.tool.version, 20)}</sub>`;
}

// A report can come from an untrusted run (post-only mode posts a fork's report): numbers and links are checked
// here, not assumed, so no field can carry Markdown into the comment.

/** A count for display; anything that is not a finite number shows as "?". */
function int(v: unknown): string {
  return typeof v === "number" && Number.isFinite(v) ? String(Math.trunc(v)) : "?";
}

/** Only plain https links with nothing that could end the Markdown link early. */
function isPlainHttpsUrl(url: unknown): url is string {
  return typeof url === "string" && /^https:\/\/[^\s()<>[\]"'`\\]+$/.test(url);
}

/** A shard's part of a batch split across a matrix, or the shards a merged report was made of. */
function shardSection(r: RunModeReport): string[] {
  const budget = r.budget.effective_nano;
  if (r.shard) {
    const s = r.shard;
    const cap = s.budget_nano === null ? "" : `, capped at ${displayUsd(s.budget_nano)}${budget === null ? "" : ` (its share of the ${displayUsd(budget)} budget, in proportion to its share of the estimate)`}`;
    return [
      `🧩 **Shard ${int(s.index)} of ${int(s.total)}**: ${int(s.runs)} of the ${int(r.totals.runs)} run(s) to submit, estimated ${displayUsd(s.estimated_nano)}${cap}. Shards do not comment: the merge job (the ${mdCode("merge")} input, after every shard) posts one comment for the whole batch.`,
      "",
    ];
  }
  const m = r.merge;
  if (!m) return [];
  const status = { complete: "✅ complete", partial: "⛔ partial (cancelled or out of time)", missing: "❓ missing" } as const;
  const rows = m.shards.map((s) => {
    const artifact = s.artifact ? (isPlainHttpsUrl(s.artifact.url) ? `[${mdText(s.artifact.name)}](${s.artifact.url})` : mdText(s.artifact.name)) : "—";
    const billed = s.status === "missing" ? "unknown" : `${displayUsd(s.billed_nano)}${s.unknown_runs ? ` + ${int(s.unknown_runs)} unknown` : ""}`;
    return `| ${int(s.index)} | ${status[s.status]} | ${int(s.runs)} | ${displayUsd(s.estimated_nano)} | ${s.budget_nano === null ? "—" : displayUsd(s.budget_nano)} | ${billed} | ${s.unused_budget_nano === null ? "—" : displayUsd(s.unused_budget_nano)} | ${artifact} |`;
  });
  const missing = m.missing_runs ? ` ${int(m.missing_runs)} run(s) of missing shards (estimated ${displayUsd(m.missing_estimated_nano)}) are of unknown cost.` : "";
  return [
    `🧩 **Merged from ${int(m.total)} shard(s)**; budget left unused in shards: ${displayUsd(m.unused_budget_nano)}.${missing}`,
    "",
    "| shard | status | runs | estimated | cap | billed | unused | outputs |",
    "|---:|---|---:|---:|---:|---:|---:|---|",
    ...rows,
    "",
  ];
}
