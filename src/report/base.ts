import type { Estimate } from "../estimate/estimate.js";
import type { IncreaseLimit } from "../gate/increase-gate.js";
import { formatUsd, type Nano } from "../util/money.js";
import type { BaseReport } from "./model.js";

/** The report's `base` section: the base commit's estimate, per job and in total, beside the limit it was checked against. */

export interface BaseReportInput {
  sha: string | null;
  source: BaseReport["source"];
  detail: string | null;
  /** The base's runs to spend on (its lock applied) and its whole manifest; null when unavailable. */
  estimates: { toSpend: Estimate; full: Estimate } | null;
  limit?: IncreaseLimit;
}

export function buildBaseReport(b: BaseReportInput): BaseReport {
  const e = b.estimates;
  return {
    sha: b.sha,
    source: b.source,
    detail: b.detail,
    totals: e && { to_spend: figures(e.toSpend.totalNano, e.toSpend.unknownRuns, e.toSpend.totalRuns), full: figures(e.full.totalNano, e.full.unknownRuns, e.full.totalRuns) },
    jobs: (e?.full.jobs ?? []).map((full, i) => {
      const toSpend = e!.toSpend.jobs[i]!;
      return { id: full.id, to_spend: figures(toSpend.totalNano, toSpend.unknownRuns, toSpend.runs), full: figures(full.totalNano, full.unknownRuns, full.runs) };
    }),
    fail_on_increase: b.limit ? { usd_nano: b.limit.kind === "usd" ? b.limit.nano : null, percent: b.limit.kind === "percent" ? b.limit.percent : null } : null,
  };
}

function figures(nano: Nano, unknownRuns: number, runs: number) {
  return { runs, estimated: formatUsd(nano), estimated_nano: nano, unknown_runs: unknownRuns };
}
