import { displayUsd, MINUS, type Nano } from "../util/money.js";
import { flatten, mdCode, mdText, neutralizeMentions } from "./escape.js";
import { fmtNumber, jobUnitPrice, jobUnits } from "./format.js";
import type { AnyReport, ErrorReport, EstimateReport, JobReport, Report, RunEntry, RunModeReport } from "./model.js";
import { diffWithBase, formatChange, formatFigure, same, type BaseDiff, type Change } from "./base-diff.js";

/**
 * Markdown for people: the job summary and the PR comment render the same
 * report, read the way Infracost's comment is: a heading with the verdict, one
 * bold sentence (what merging spends, against the budget, and what changed),
 * a small totals table, the per-job table folded in <details>, and every
 * figure's source once, in a footnote its rows point to. Every string from the
 * manifest or from fal goes through mdText/mdCode; prompts never appear
 * outside code spans.
 */

export interface RenderOptions {
  /** Per-job rows shown at most; the rest is summarized (the report artifact has all). */
  maxJobRows?: number;
  /** Failures, reasons and warnings shown at most. */
  maxNotes?: number;
  /** Where the full table is when rows are cut. */
  truncationNote?: string;
}

export function renderMarkdown(r: AnyReport, opts: RenderOptions = {}): string {
  if (r.mode === "error") return renderError(r, opts.maxNotes ?? 30);
  const maxRows = opts.maxJobRows ?? 300;
  const maxNotes = opts.maxNotes ?? 30;
  const notes = sourcesOf(r);
  const diff = r.base ? diffWithBase(r) : null;
  const out: string[] = [heading(r), "", leadSentence(r, diff), ""];
  // Nothing fal-related changed: the sentence says so, and the details stay out of the way.
  if (r.mode === "estimate" && r.pass && r.totals.runs === 0 && r.totals.removed_runs === 0 && r.totals.locked_runs > 0 && !r.warnings.length && (diff === null || !changed(diff))) {
    out.push(footer(r, notes), "");
    return out.join("\n");
  }
  out.push(...totalsTable(r, diff), "");
  out.push(...baseNote(r));
  out.push(...reasons(r, maxNotes));
  out.push(...jobDetails(r, diff, notes, maxRows, opts.truncationNote));
  out.push(...removedRuns(r), ...pastRuns(r), ...creditLine(r));
  if (r.mode === "run") out.push(...shardSection(r), ...failures(r, maxNotes), ...lockNote(r));
  out.push(...warnings(r, maxNotes));
  if (r.mode === "run") out.push(...outputsLine(r));
  out.push(footer(r, notes), "");
  return out.join("\n");
}

// ——— the verdict and the sentence ———

function heading(r: Report): string {
  return `### ${verdictLine(r)}`;
}

function verdictLine(r: Report): string {
  const credits = r.account?.credit_check;
  if (r.mode === "estimate" && (credits === "short" || credits === "failed")) return `❌ fal-jobs: Not run — ${credits === "short" ? "the account's credits do not cover it" : "the account's credit balance could not be read"}; nothing was submitted`;
  if (r.mode === "run") {
    if (r.execution.cancelled) return "⛔ fal-jobs: Run cancelled";
    return r.pass ? "✅ fal-jobs: Run complete, within budget" : "❌ fal-jobs: Run finished with problems";
  }
  const what = "estimate only, nothing was run";
  if (r.verdict === "over-budget") return `❌ fal-jobs: Over budget — ${what}`;
  if (r.verdict === "unknown-cost" && !r.pass) return `❌ fal-jobs: Cost unknown — ${what}`;
  // Within the budget, yet failed: fail-on-increase, or a base it needs that could not be read.
  if (!r.pass) return `❌ fal-jobs: Check failed${r.verdict === "within-budget" ? " (within budget)" : ""} — ${what}`;
  if (r.verdict === "no-budget") return `ℹ️ fal-jobs: No budget set — ${what}`;
  return `✅ fal-jobs: Within budget — ${what}`;
}

/**
 * What a reviewer asks first — what will merging this cost? — in one bold
 * sentence: the runs the lock does not hold and what they cost, against the
 * budget, then what the pull request changes. After a real run: what was billed.
 */
function leadSentence(r: Report, diff: BaseDiff | null): string {
  const t = r.totals;
  const change = diff ? ` ${changeClause(diff)}` : "";
  const held = [t.locked_runs ? `${fmtNumber(t.locked_runs)} unchanged, already paid` : "", t.removed_runs ? `${fmtNumber(t.removed_runs)} removed` : ""].filter(Boolean).join("; ");
  if (r.mode === "run") return runSentence(r, held);
  if (r.lock.status === "off") return `**This manifest is estimated at ${amount(t.estimated_nano, t.unknown_runs)} for ${runs(t.runs)}, ${budgetPhrase(r, t.estimated_nano)}.**${change}`;
  if (t.runs === 0) {
    return `**Merging this will spend nothing on fal**: all ${runs(t.locked_runs)} are already generated and paid for${t.removed_runs ? `, ${int(t.removed_runs)} removed` : ""}.${change}`;
  }
  const spend = `Merging this will spend about ${amount(t.estimated_nano, t.unknown_runs)} on ${runs(t.runs, "new")}`;
  const rest = held ? ` (${held})` : "";
  // budget-scope full: the budget gates the whole manifest, so that is the figure set against it.
  if (r.budget.scope === "full") return `**${spend}**${rest}; the whole manifest, ${amount(t.full.estimated_nano, t.full.unknown_runs)}, is ${budgetPhrase(r, t.full.estimated_nano)}.${change}`;
  return `**${spend}, ${budgetPhrase(r, t.estimated_nano)}**${rest}.${change}`;
}

function runSentence(r: RunModeReport, held: string): string {
  const e = r.execution;
  const billed = billedText(e.billed_nano, e.billed_runs, e.pending_runs, e.unknown_runs, true);
  const budget = e.billed_runs > 0 ? `, ${budgetPhrase(r, e.billed_nano)}` : "";
  const estimated = ` (estimated ${amount(r.totals.estimated_nano, r.totals.unknown_runs)})`;
  const lead = e.cancelled ? "Cancelled; billed" : "Billed";
  return `**${lead} ${billed} for ${runs(r.totals.runs, "new")}${budget}**${estimated}${held ? `; ${held}, not run again` : ""}.`;
}

/** "17% of the $25.00 budget", "$1.20 over the $2.00 budget", "no budget set". */
function budgetPhrase(r: Report, nano: Nano): string {
  const limit = r.budget.effective_nano;
  if (limit === null) return "no budget set";
  if (nano > limit) return `${displayUsd(nano - limit)} over the ${displayUsd(limit)} budget`;
  return `${limit > 0 ? share(nano, limit) : "0%"} of the ${displayUsd(limit)} budget`;
}

function changeClause(d: BaseDiff): string {
  if (!changed(d)) return "Nothing changes against the base branch.";
  const [c, what] = same(d.toSpend) ? [d.full, "The whole manifest changes by"] : [d.toSpend, "That is"];
  const unknown = c.head.unknownRuns - c.base.unknownRuns;
  const money = c.head.nano !== c.base.nano ? `${what} ${moneyChange(c)} against the base branch` : "The cost known is as at the base branch";
  return `${money}${unknown ? `, with ${int(Math.abs(unknown))} ${unknown > 0 ? "more" : "fewer"} run${Math.abs(unknown) === 1 ? "" : "s"} of unknown cost` : ""}.`;
}

/** "+$0.95 (+63%)": the change in known money alone (runs of unknown cost are counted apart). */
function moneyChange(c: Change): string {
  return formatChange({ base: { nano: c.base.nano, unknownRuns: 0 }, head: { nano: c.head.nano, unknownRuns: 0 } });
}

/** A change for a table cell: "+$0.95 (+63%)", "+$0.10, +2 unknown", "—" when nothing changed. */
function changeCell(c: Change): string {
  const unknown = c.head.unknownRuns - c.base.unknownRuns;
  const parts = [c.head.nano !== c.base.nano ? moneyChange(c) : "", unknown ? `${unknown > 0 ? "+" : MINUS}${int(Math.abs(unknown))} unknown` : ""].filter(Boolean);
  return parts.length ? nb(parts.join(", ")) : "—";
}

/** Keeps a short figure on one line in a narrow column ("6 MP", "+$0.10 (+200%)"). */
function nb(s: string): string {
  return s.replace(/ /g, "\u00a0").replace(new RegExp(MINUS, "g"), `${MINUS}\u2060`);
}

function changed(d: BaseDiff): boolean {
  return !same(d.toSpend) || !same(d.full) || d.jobs.some((j) => j.status !== "same");
}

// ——— the totals ———

function totalsTable(r: Report, diff: BaseDiff | null): string[] {
  const t = r.totals;
  const showFull = t.locked_runs > 0 || (diff !== null && !sameFigure(diff.full, diff.toSpend));
  if (r.mode === "run") return runTotals(r, showFull);
  const baseCols = diff !== null;
  const out = [`| | Runs | Estimate |${baseCols ? " Base branch | Change |" : ""}`, `|:---|---:|---:|${baseCols ? "---:|---:|" : ""}`];
  const cols = (c: Change | undefined) => (baseCols && c ? ` ${formatFigure(c.base)} | ${changeCell(c)} |` : baseCols ? " | |" : "");
  out.push(`| **${r.lock.status === "off" ? "Manifest" : "To spend (new runs)"}** | ${fmtNumber(t.runs)} | **${amount(t.estimated_nano, t.unknown_runs, true)}** |${cols(diff?.toSpend)}`);
  if (t.locked_runs > 0) out.push(`| Already paid (in the lock) | ${fmtNumber(t.locked_runs)} | — |${cols(undefined)}`);
  if (showFull) out.push(`| Whole manifest | ${fmtNumber(t.full.runs)} | ${amount(t.full.estimated_nano, t.full.unknown_runs, true)} |${cols(diff?.full)}`);
  out.push(`| Budget${r.budget.scope === "full" ? " (gates the whole manifest)" : ""} | | ${budgetCell(r)} |${cols(undefined)}`);
  return out;
}

function runTotals(r: RunModeReport, showFull: boolean): string[] {
  const e = r.execution;
  const out = [
    "| | Runs | Estimated | Billed | Billed − estimated |",
    "|:---|---:|---:|---:|---:|",
    `| **New runs** | ${fmtNumber(r.totals.runs)} | ${amount(r.totals.estimated_nano, r.totals.unknown_runs, true)} | **${billedText(e.billed_nano, e.billed_runs, e.pending_runs, e.unknown_runs)}** | ${deltaCell(e.delta_nano, e.error_pct, e.billed_runs, e.pending_runs + e.unknown_runs)} |`,
  ];
  const lockedBilled = r.jobs.reduce((s, j) => s + (typeof j.locked_billed_nano === "number" ? j.locked_billed_nano : 0), 0);
  if (r.totals.locked_runs > 0) out.push(`| Already paid (in the lock) | ${fmtNumber(r.totals.locked_runs)} | — | ${displayUsd(lockedBilled)} when generated | |`);
  if (showFull) out.push(`| Whole manifest | ${fmtNumber(r.totals.full.runs)} | ${amount(r.totals.full.estimated_nano, r.totals.full.unknown_runs, true)} | | |`);
  out.push(`| Budget | | ${budgetCell(r)} | | |`);
  out.push("", `Runs: ${statusCounts(e.counts)}${e.duration_ms >= 0 ? ` in ${duration(e.duration_ms)}` : ""}.`);
  return out;
}

function budgetCell(r: Report): string {
  if (r.budget.effective_nano === null) return "none";
  const from = { both: `smaller of workflow and manifest`, input: "workflow", manifest: "manifest", none: "" }[r.budget.source] ?? "";
  return `${displayUsd(r.budget.effective_nano)}${from ? ` <sub>(${from})</sub>` : ""}`;
}

/** A base that could not be compared, or the run's change against it. */
function baseNote(r: Report): string[] {
  const base = r.base;
  if (!base) return [];
  const at = base.sha ? ` ${mdCode(base.sha.slice(0, 12), 12)}` : "";
  if (!base.totals) return [`**Not compared with the base branch:** the estimate at the base commit${at} could not be made (${mdText(base.detail ?? "", 400)}).`, ""];
  if (r.mode !== "run") return [];
  const diff = diffWithBase(r)!;
  return [`Against the base branch${at}: to spend ${formatChange(diff.toSpend)}, whole manifest ${formatChange(diff.full)}.`, ""];
}

function reasons(r: Report, maxNotes: number): string[] {
  if (!r.reasons.length) return [];
  const out = [r.mode === "estimate" ? "**Why the check failed**" : "**Problems**", ""];
  for (const reason of r.reasons.slice(0, maxNotes)) out.push(`- ${mdProse(reason, 600)}`);
  if (r.reasons.length > maxNotes) out.push(`- … and ${r.reasons.length - maxNotes} more (see the report)`);
  return [...out, ""];
}

// ——— per job ———

function jobDetails(r: Report, diff: BaseDiff | null, notes: Footnotes, maxRows: number, truncationNote: string | undefined): string[] {
  const jobs = r.jobs;
  const removedJobs = diff ? diff.jobs.filter((j) => j.status === "removed") : [];
  if (jobs.length === 0 && removedJobs.length === 0) return [];
  const changedJobs = diff ? diff.jobs.filter((j) => j.status !== "same").length : 0;
  const summary = `${jobs.length === 1 ? "1 job" : `${fmtNumber(jobs.length)} jobs`}${diff ? ` · ${changedJobs ? `${int(changedJobs)} changed` : "none changed"} against the base branch` : ""}`;
  // Open when it is short: a few rows are the answer, not a detail.
  const open = jobs.length <= 3 && r.mode === "estimate" ? " open" : "";
  const out = [`<details${open}><summary><b>Per job</b>: ${summary}</summary>`, ""];
  const table = r.mode === "run" ? runJobTable(r, notes, maxRows) : estimateJobTable(r, diff, notes, maxRows);
  out.push(...table);
  if (jobs.length > maxRows) out.push("", `> ✂️ ${fmtNumber(jobs.length - maxRows)} of ${fmtNumber(jobs.length)} jobs are not shown here. ${truncationNote ?? "The report JSON has every job and run."}`);
  return [...out, "", "</details>", ""];
}

function estimateJobTable(r: EstimateReport, diff: BaseDiff | null, notes: Footnotes, maxRows: number): string[] {
  const locked = r.jobs.some((j) => j.locked_runs > 0);
  const byId = new Map(diff?.jobs.map((j) => [j.id, j]));
  const head = ["Job", "Runs", ...(locked ? ["Paid"] : []), "Units", "Unit price", "Estimate", ...(diff ? ["Change"] : [])];
  const out = [`| ${head.join(" | ")} |`, `|:---|${head.slice(1).map(() => "---:").join("|")}|`];
  // Against a base, the jobs the pull request changes come first: they are what a reviewer looks for.
  const jobs = diff ? [...r.jobs].sort((a, b) => Number(byId.get(a.id)?.status === "same") - Number(byId.get(b.id)?.status === "same")) : r.jobs;
  for (const j of jobs.slice(0, maxRows)) {
    const d = byId.get(j.id);
    const change = !d ? "" : d.status === "added" ? `${d.toSpend.head.nano > 0 ? `${nb(`+${displayUsd(d.toSpend.head.nano)}`)} ` : ""}<sub>new job</sub>` : changeCell(d.toSpend);
    out.push(row([jobCell(j), fmtNumber(j.runs), ...(locked ? [fmtNumber(j.locked_runs)] : []), nb(mdText((j.runs > 0 && jobUnits(j)) || "—")), nb(mdText(jobUnitPrice(j) ?? "—")), estimateCell(j, notes), ...(diff ? [change] : [])]));
  }
  if (jobs.length > maxRows) {
    const rest = jobs.slice(maxRows);
    out.push(row([`*${int(rest.length)} more*`, fmtNumber(sumOf(rest, (j) => j.runs)), ...(locked ? [fmtNumber(sumOf(rest, (j) => j.locked_runs))] : []), "", "", estimatedSum(rest), ...(diff ? [""] : [])]));
  }
  for (const d of diff?.jobs.filter((j) => j.status === "removed").slice(0, maxRows) ?? []) {
    out.push(row([`~~${mdText(d.id, 64)}~~ <sub>removed</sub>`, "", ...(locked ? [""] : []), "", "", "—", nb(`${MINUS}${formatFigure(d.toSpend.base)}`)]));
  }
  out.push(row(["**Total**", `**${fmtNumber(r.totals.runs)}**`, ...(locked ? [`**${fmtNumber(r.totals.locked_runs)}**`] : []), "", "", `**${amount(r.totals.estimated_nano, r.totals.unknown_runs, true)}**`, ...(diff ? [`**${changeCell(diff.toSpend)}**`] : [])]));
  return out;
}

function runJobTable(r: RunModeReport, notes: Footnotes, maxRows: number): string[] {
  const out = ["| Job | Runs | Units | Estimated | Billed | Status |", "|:---|---:|---:|---:|---:|:---|"];
  for (const j of r.jobs.slice(0, maxRows)) {
    const run = j.run;
    const billedMarks = run.billed_sources.map((s) => notes.mark("billed", s, billedSourceText(s))).join("");
    const over = run.over_estimate_runs ? notes.mark("over", "over", "billed more than estimated for some of the job's runs") : "";
    out.push(
      row([jobCell(j), fmtNumber(j.runs), nb(mdText(jobUnits(j) ?? "—")), estimateCell(j, notes), `${billedText(run.billed_nano, run.billed_runs, run.pending_runs, run.unknown_runs)}${billedMarks}${over}`, statusCounts(run.counts)]),
    );
  }
  if (r.jobs.length > maxRows) {
    const rest = r.jobs.slice(maxRows);
    // The rows left out still say which of their costs are not known: a sum alone would look complete.
    const billed = billedText(sumOf(rest, (j) => j.run.billed_nano), sumOf(rest, (j) => j.run.billed_runs), sumOf(rest, (j) => j.run.pending_runs), sumOf(rest, (j) => j.run.unknown_runs));
    out.push(row([`*${int(rest.length)} more*`, fmtNumber(sumOf(rest, (j) => j.runs)), "", estimatedSum(rest), billed, ""]));
  }
  return out;
}

/** The job's id, and its model beneath it, small. */
function jobCell(j: JobReport): string {
  return `${mdText(j.id, 64)}<br><sub>${mdCode(j.model, 120)}</sub>`;
}

/** The job's estimate, with marks for where its figures came from. */
function estimateCell(j: JobReport, notes: Footnotes): string {
  if (j.runs === 0) return "—";
  // A job without a price that is estimated anyway is so by its max_cost, marked below.
  const marks = j.source === "none" && j.unknown_runs < j.runs ? [] : [notes.mark("price", j.source, priceSource(j.source))];
  const fromManifest = Array.isArray(j.from_manifest) ? j.from_manifest : [];
  if (fromManifest.includes("units")) marks.push(notes.mark("units", "manifest:units", "units from the manifest's `units:` (the input cannot tell)"));
  if (fromManifest.includes("max_cost")) marks.push(notes.mark("units", "manifest:max_cost", "the manifest's `max_cost:` per run, an upper bound (the input cannot tell)"));
  else if (j.confidence === "upper-bound") marks.push(notes.mark("units", "upper-bound", "an upper bound: the most the input lets the model return"));
  if (j.confidence === "history") marks.push(notes.mark("units", "history", "the p95 of what fal billed this job's (or model's) past runs in the lock"));
  if (j.unknown_runs === j.runs) return `unknown${marks.join("")}`;
  return `${amount(j.estimated_nano, j.unknown_runs, true)}${marks.join("")}`;
}

function billedSourceText(source: string): string {
  const known: Record<string, string> = {
    "billing-events": "fal's billing events",
    header: "fal's billable-units header × the unit price",
    observed: "units counted in the outputs × the unit price",
  };
  return known[source] ?? mdText(source, 40);
}

/** Lock entries no run of the manifest has any more: paid for before, not generated again. */
function removedRuns(r: Report): string[] {
  if (!r.lock.removed.length) return [];
  const jobs = r.lock.removed.slice(0, 20).map((g) => `${mdText(g.job, 64)} (${runs(g.runs)}, ${displayUsd(g.billed_nano)} billed when generated)`);
  const more = r.lock.removed.length > 20 ? ` and ${int(r.lock.removed.length - 20)} more jobs` : "";
  return [`🗑️ Removed from the manifest, dropped from the lock: ${jobs.join(", ")}${more}.`, ""];
}

/**
 * Which estimates to trust: per job, how far its estimates were from what fal billed over the past runs the lock
 * records, the furthest first, in one line.
 */
function pastRuns(r: Report): string[] {
  // Only the jobs whose bills were off by 1% or more: a row of "±0%" would only crowd the comment (the report has them).
  const jobs = r.jobs.filter((j) => j.past && j.past.runs > 0 && (typeof j.past.error_pct !== "number" || Math.abs(j.past.error_pct) >= 1));
  if (jobs.length === 0) return [];
  const off = (j: JobReport) => Math.abs(j.past!.error_pct ?? 0);
  const shown = [...jobs].sort((a, b) => off(b) - off(a)).slice(0, 8);
  const cells = shown.map((j) => {
    const p = j.past!;
    const err = typeof p.error_pct === "number" ? `${p.error_pct > 0 ? "+" : p.error_pct < 0 ? "−" : "±"}${Math.abs(p.error_pct)}%` : "n/a";
    return `${mdText(j.id, 64)} ${err} (${int(p.runs)} run(s)${p.over_estimate_runs ? `, ${int(p.over_estimate_runs)} above` : ""})`;
  });
  const more = jobs.length > shown.length ? ` · and ${int(jobs.length - shown.length)} more` : "";
  return [`📈 Billed against estimated, past runs in the lock: ${cells.join(" · ")}${more}.`, ""];
}

/** Before a real run: the account's credits against the most it could commit, or why they were not checked. */
function creditLine(r: Report): string[] {
  const a = r.account;
  if (!a) return [];
  const needed = displayUsd(a.needed_nano);
  const balance = a.balance_nano === null ? "" : a.balance_nano < 0 ? `-${displayUsd(-a.balance_nano)}` : displayUsd(a.balance_nano);
  switch (a.credit_check) {
    case "covered":
      return [`💳 Credits ${balance} covered the most this run could commit (${needed}).`, ""];
    case "short":
      return [`💳 **Credits ${balance} do not cover the most this run could commit (${needed})**: nothing was submitted.`, ""];
    case "failed":
      return [`💳 **The credit balance could not be read**: nothing was submitted. ${mdText(a.detail, 400)}`, ""];
    case "skipped":
      return [`💳 Credit balance not checked: ${mdText(a.detail.replace(/^credit balance not checked: /, ""), 300)}.`, ""];
  }
}

/** After a real run: what must happen for the next run not to pay again. */
function lockNote(r: RunModeReport): string[] {
  if (r.lock.status === "off") return ["🔓 The lock is off: the next run submits every run again.", ""];
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

type FailedRun = RunEntry & { error: NonNullable<RunEntry["error"]> };

function failures(r: RunModeReport, maxNotes: number): string[] {
  const failed = r.runs.filter((run): run is FailedRun => run.error !== null && run.status !== "succeeded");
  if (failed.length === 0) return [];
  const out = [`<details><summary><b>${runs(failed.length)} did not succeed</b></summary>`, "", "| Run | Status | Error |", "|:---|:---|:---|"];
  for (const run of failed.slice(0, maxNotes)) {
    const request = run.request_id ? `<br><sub>request ${mdCode(run.request_id, 64)}</sub>` : "";
    out.push(row([`${mdCode(run.id, 120)}${request}`, nb(mdText(run.status, 20)), mdText(run.error.message, 400)]));
  }
  if (failed.length > maxNotes) out.push(`| … ${int(failed.length - maxNotes)} more | | see the report |`);
  out.push("", "</details>", "");
  return out;
}

function warnings(r: Report, maxNotes: number): string[] {
  if (!r.warnings.length) return [];
  const out: string[] = [];
  for (const w of r.warnings.slice(0, maxNotes)) out.push(`> ⚠️ ${mdProse(w, 600)}`, ">");
  out.pop();
  if (r.warnings.length > maxNotes) out.push(">", `> … and ${int(r.warnings.length - maxNotes)} more warnings (see the report)`);
  return [...out, ""];
}

// ——— the footnote: sources, the catalog's date, links ———

/**
 * Marks for the sources of figures: each source is described once, under the
 * tables. The source most rows share is the default and goes unmarked (the
 * footnote says so); the others get a symbol that cannot be read as a digit
 * of the amount beside it.
 */
class Footnotes {
  private readonly keys: string[] = [];
  private readonly texts: string[] = [];
  private readonly defaults = new Map<string, string>();

  private readonly defaultTexts: string[] = [];

  /** `group`'s unmarked source, described once as `text` ("Unit prices: …"). */
  setDefault(group: string, key: string, text: string): void {
    this.defaults.set(group, key);
    this.defaultTexts.push(text);
  }

  mark(group: string, key: string, text: string): string {
    if (this.defaults.get(group) === key) return "";
    let i = this.keys.indexOf(key);
    if (i < 0) i = this.keys.push(key) - 1;
    this.texts[i] = text;
    return ` ${symbol(i)}`;
  }

  entries(): string[] {
    return [...this.defaultTexts, ...this.keys.map((_, i) => `${symbol(i)} ${this.texts[i]}`)];
  }
}

const SYMBOLS = ["†", "‡", "§", "¶", "‖", "◊"];
function symbol(i: number): string {
  return i < SYMBOLS.length ? SYMBOLS[i]! : `†${i + 1}`;
}

/** The footnote's unmarked sources: the unit prices' (named with the catalog's date, always) and, after a run, the billed costs'. */
function sourcesOf(r: Report): Footnotes {
  const notes = new Footnotes();
  const priced = r.jobs.filter((j) => j.runs > 0);
  const price = mostCommon(priced.map((j) => j.source)) ?? "catalog";
  notes.setDefault("price", price, `Unit prices: ${priceSourceText(r, price)}`);
  if (r.mode === "run") {
    const billed = mostCommon(r.jobs.flatMap((j) => j.run.billed_sources));
    if (billed) notes.setDefault("billed", billed, `Billed: ${billedSourceText(billed)}`);
  }
  return notes;
}

/** The most common of `keys` (ties: the first), or undefined when there are none. */
function mostCommon(keys: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  let best: string | undefined;
  for (const [k, n] of counts) if (best === undefined || n > counts.get(best)!) best = k;
  return best;
}

function footer(r: Report, notes: Footnotes): string {
  const billing = r.mode === "run" && r.execution.billing.source === "billing-events" && r.execution.billing.status !== "ok" ? `billing events: ${mdText(r.execution.billing.status)}` : "";
  const parts = [...notes.entries(), billing, uncheckedInputs(r), baseSource(r), ...links(r), `${mdText(r.tool.name, 40)} ${mdText(r.tool.version, 20)}`].filter(Boolean);
  return `<sub>${parts.join(" · ")}</sub>`;
}

/** Which base the change is against, and how it was read: "Base branch: commit `ba5e0f1c0000`, read from git; fail-on-increase +20%". */
function baseSource(r: Report): string {
  const base = r.base;
  if (!base || !base.totals) return "";
  const read = { git: "read from git", api: "read through the GitHub API", file: "read from a file", absent: "no manifest there: $0", unavailable: "" }[base.source] ?? "";
  const at = base.sha ? `commit ${mdCode(base.sha.slice(0, 12), 12)}` : "";
  const limit = base.fail_on_increase;
  const limitNote = limit ? `; fail-on-increase ${limit.usd_nano !== null ? `+${displayUsd(limit.usd_nano)}` : `+${Number(limit.percent)}%`}` : "";
  return `Base branch: ${[at, read].filter(Boolean).join(", ")}${limitNote}`;
}

/** A job's price source, for a mark. */
function priceSource(source: string): string {
  return { catalog: "unit price from the bundled catalog", live: "unit price from fal's pricing API (live)", override: "unit price from the manifest's `pricing:`", repository: "unit price from the repository catalog (`fal-jobs catalog update`)", history: "estimated from what fal billed past runs (the lock)" }[source] ?? "no price known for the model (see why above)";
}

/** Where the unit prices come from, for the footnote; the catalog is named with its date. */
function priceSourceText(r: Report, source: string): string {
  const asOf = mdText(r.prices.catalog_as_of, 20);
  const live =
    r.prices.live === "ok"
      ? ""
      : r.prices.live === "failed"
        ? ` (fal's pricing API failed: ${mdText(r.prices.live_detail ?? "", 160)})`
        : ` (fal's pricing API not asked: ${mdText(r.prices.live_detail ?? "", 120)})`;
  const discount = typeof r.prices.discount_percent === "number" && r.prices.discount_percent > 0 ? `, less the account's ${Number(r.prices.discount_percent)}% discount (\`discount-percent\`)` : "";
  switch (source) {
    case "catalog":
      return `the bundled catalog of fal's published prices, dated ${asOf}${discount}${live}`;
    case "live":
      return `fal's pricing API (live; the bundled catalog is dated ${asOf})`;
    case "repository": {
      const repo = r.prices.repository_catalog;
      return `the repository catalog${repo ? ` ${mdCode(repo.path, 120)}, fal's prices as read on ${mdText(repo.updated, 20)}` : ""} (the bundled catalog is dated ${asOf})${live}`;
    }
    case "override":
      return `the manifest's \`pricing:\` (fal has no price for the model; the bundled catalog is dated ${asOf})`;
    default:
      return `no price known (the bundled catalog is dated ${asOf})${live}`;
  }
}

/** The workflow run that wrote the report. */
function links(r: AnyReport): string[] {
  const run = workflowRunUrl(r);
  return run ? [`[workflow run](${run})`] : [];
}

/** After a real run: where its files are. */
function outputsLine(r: RunModeReport): string[] {
  const artifact = r.execution.artifact;
  if (!artifact) return r.execution.artifact_error ? [`📦 The outputs were not uploaded (${mdText(r.execution.artifact_error, 300)}); they are in ${mdCode(r.execution.output_dir, 200)} on the runner.`, ""] : [];
  const name = mdText(artifact.name);
  return [`📦 **Outputs**: ${isPlainHttpsUrl(artifact.url) ? `[${name}](${artifact.url})` : name} (artifact ${int(artifact.id)}), with the report and the lock.`, ""];
}

// A report can come from an untrusted run (post-only mode posts a fork's report): every part of a link is checked.
function workflowRunUrl(r: AnyReport): string | null {
  const c = r.context;
  if (!c?.repository || !c.run_id || !/^[\w.-]+\/[\w.-]+$/.test(c.repository) || !/^\d{1,20}$/.test(c.run_id)) return null;
  const server = (c.server_url ?? "https://github.com").replace(/\/+$/, "");
  const attempt = c.run_attempt && /^\d{1,6}$/.test(c.run_attempt) && c.run_attempt !== "1" ? `/attempts/${c.run_attempt}` : "";
  const url = `${server}/${c.repository}/actions/runs/${c.run_id}${attempt}`;
  return isPlainHttpsUrl(url) ? url : null;
}

// ——— when nothing could be estimated ———

const ERROR_HEADING: Record<ErrorReport["error"]["kind"], string> = {
  "invalid-manifest": "Invalid manifest",
  "invalid-lock": "Invalid lock",
  "could-not-start": "Could not start",
  "internal-error": "Internal error",
};

function renderError(r: ErrorReport, maxNotes: number): string {
  const e = r.error;
  const kind = ERROR_HEADING[e.kind] ?? "Failed";
  // An internal error can come in the middle of a real run: it cannot say that nothing was submitted.
  const out = [`### ❌ fal-jobs: ${kind}${e.kind === "internal-error" ? "" : " — nothing was estimated or submitted"}`, ""];
  const issues = Array.isArray(e.issues) ? e.issues : [];
  if (issues.length) {
    const file = mdCode(issues[0]!.file, 200);
    out.push(`**${file} has ${issues.length === 1 ? "a problem" : `${int(issues.length)} problems`}: fix ${issues.length === 1 ? "it" : "them"} and push again.** No cost is shown until it is valid.`, "");
    out.push("| Where | Problem |", "|---|---|");
    for (const i of issues.slice(0, maxNotes)) out.push(row([`${mdCode(`${i.file}:${int(i.line)}:${int(i.column)}`, 240)}${i.path ? `<br><sub>${mdCode(i.path, 200)}</sub>` : ""}`, mdProse(i.message, 600)]));
    if (issues.length > maxNotes) out.push(`| … | and ${int(issues.length - maxNotes)} more (see the report) |`);
  } else if (e.kind === "internal-error") {
    out.push(
      "**fal-jobs stopped on an error of its own**, not of your manifest; the step's log has the details, please report it. " +
        "If it stopped during a real run, fal requests may have been submitted: a re-run of this workflow resumes from what it recorded instead of paying again.",
      "",
      `> ${mdProse(e.message, 1000)}`,
    );
  } else {
    out.push(`**${mdProse(e.message, 1000)}**`);
  }
  const parts = [...links(r), `${mdText(r.tool.name, 40)} ${mdText(r.tool.version, 20)}`];
  out.push("", `<sub>${parts.join(" · ")}</sub>`, "");
  return out.join("\n");
}

// ——— small helpers ———

/** Text from our own messages, where `backticks` mark code: shown as code spans, everything else as text. */
function mdProse(value: unknown, max: number): string {
  const text = flatten(String(value ?? ""), max);
  // mdText trims: the spaces around a code span are kept apart.
  const prose = (part: string) => part.replace(/^( *)(.*?)( *)$/, (_, lead: string, body: string, trail: string) => `${lead}${body ? mdText(body, max) : ""}${trail}`);
  // Code spans are verbatim, but a message may quote the manifest: no mention there either.
  return text.split(/`([^`]+)`/).map((part, i) => (i % 2 ? mdCode(neutralizeMentions(part), max) : prose(part))).join("");
}

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function sumOf<T>(xs: T[], f: (x: T) => number): number {
  return xs.reduce((s, x) => s + f(x), 0);
}

/** An amount, with the runs of unknown cost beside it rather than hidden in it; `short` for a table cell. */
function amount(nano: Nano, unknownRuns: number, short = false): string {
  if (unknownRuns > 0 && nano === 0) return `unknown (${runs(unknownRuns)})`;
  const unknown = short ? `${int(unknownRuns)} unknown` : `${runs(unknownRuns)} of unknown cost`;
  return `${displayUsd(nano)}${unknownRuns > 0 ? ` + ${unknown}` : ""}`;
}

/** The estimate of several jobs, with their runs of unknown cost beside the known sum. */
function estimatedSum(jobs: JobReport[]): string {
  return amount(sumOf(jobs, (j) => j.estimated_nano), sumOf(jobs, (j) => j.unknown_runs), true);
}

function runs(n: number, adjective = ""): string {
  return `${fmtNumber(n)} ${adjective ? `${adjective} ` : ""}run${n === 1 ? "" : "s"}`;
}

function billedText(billed: Nano, known: number, pending: number, unknown: number, long = false): string {
  if (known === 0 && (pending > 0 || unknown > 0)) return pending > 0 ? `pending (${int(pending)})` : "unknown";
  const rest = [pending ? (long ? `${runs(pending)} pending` : `${int(pending)} pending`) : "", unknown ? (long ? `${runs(unknown)} of unknown cost` : `${int(unknown)} unknown`) : ""].filter(Boolean).join(", ");
  return `${displayUsd(billed)}${rest ? ` + ${rest}` : ""}`;
}

/** Billed against estimated over the runs whose bill is known; `notYet` runs (pending, unknown) are named, not read as ±0. */
function deltaCell(delta: Nano, pct: number | null, known: number, notYet = 0): string {
  if (known === 0 || pct === null) return "—";
  const sign = delta > 0 ? "+" : delta < 0 ? MINUS : "±";
  const p = typeof pct === "number" && Number.isFinite(pct) ? `${pct > 0 ? "+" : pct < 0 ? MINUS : ""}${Math.abs(Math.round(pct * 10) / 10)}%` : "?";
  return `${sign}${displayUsd(Math.abs(delta))} (${p})${notYet > 0 ? `<br><sub>on the ${fmtNumber(known)} billed; ${fmtNumber(notYet)} not known</sub>` : ""}`;
}

function sameFigure(a: Change, b: Change): boolean {
  return same({ base: a.base, head: b.base }) && same({ base: a.head, head: b.head });
}

function statusCounts(c: Record<string, number>): string {
  const parts: string[] = [];
  if (c.succeeded) parts.push(`✅ ${int(c.succeeded)} succeeded`);
  if (c.failed) parts.push(`❌ ${int(c.failed)} failed`);
  if (c["timed-out"]) parts.push(`⏱️ ${int(c["timed-out"])} timed out`);
  if (c.cancelled) parts.push(`⛔ ${int(c.cancelled)} cancelled`);
  if (c["skipped-budget"]) parts.push(`💸 ${int(c["skipped-budget"])} skipped (budget)`);
  return parts.join(", ") || "—";
}

function share(part: Nano, whole: Nano): string {
  const p = (part / whole) * 100;
  return p > 0 && p < 1 ? "<1%" : `${Math.round(p)}%`;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Jobs whose inputs no schema could check: said, so a passing check is not read as "inputs verified". */
function uncheckedInputs(r: Report): string {
  const unchecked = r.checks?.inputs_unchecked ?? [];
  if (unchecked.length === 0) return "";
  const names = unchecked.slice(0, 5).map((u) => mdText(u.job, 64)).join(", ");
  return `Inputs not checked (no input schema known): ${names}${unchecked.length > 5 ? ` and ${int(unchecked.length - 5)} more` : ""}`;
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
