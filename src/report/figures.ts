import { createHash } from "node:crypto";
import type { AnyReport } from "./model.js";

/**
 * The figures a comment shows, as one digest: what `comment: on-change`
 * compares with the digest stored in the existing comment. Money and run
 * counts per job and in total, the budget and the verdict, and the base's figures;
 * not the time, the run, the base's commit id or how a price was looked up,
 * so a re-run or a base branch that moved without changing the cost is no change.
 */
export function figuresDigest(r: AnyReport): string {
  // Nothing estimated: what went wrong is the figure, so a new problem (or its fix) is a change.
  const figures = r.mode === "error" ? { pass: false, error: { kind: r.error.kind, message: r.error.message, issues: r.error.issues } } : {
    pass: r.pass,
    verdict: r.verdict,
    budget: r.budget.effective_nano,
    totals: r.totals,
    jobs: r.jobs.map((j) => [j.id, j.runs, j.locked_runs, j.estimated_nano, j.unknown_runs, j.full]),
    base: r.base ? { totals: r.base.totals, jobs: r.base.jobs } : null,
    run: r.mode === "run" ? { counts: r.execution.counts, billed: r.execution.billed_nano, pending: r.execution.pending_runs, unknown: r.execution.unknown_runs } : null,
  };
  return createHash("sha256").update(JSON.stringify(figures)).digest("hex");
}
