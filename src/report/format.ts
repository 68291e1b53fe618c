import { unitLabel } from "../pricing/units.js";
import { displayUsd } from "../util/money.js";
import type { JobReport } from "./model.js";

export function fmtNumber(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString("en-US");
  return (Math.round(n * 1000) / 1000).toLocaleString("en-US", { maximumFractionDigits: 3 });
}

/** "$0.025", "$0.0004" — unit prices keep up to 6 decimals. */
export function fmtUnitPrice(p: number): string {
  return displayUsd(Math.round(p * 1e9));
}

/** "6 MP × $0.025" for a job, or why not. */
export function unitsTimesPrice(job: JobReport): string {
  if (job.unit_kind === null) return "—";
  const label = unitLabel(job.unit_kind, job.unit ?? undefined);
  const prices = new Set(job.variants.map((v) => v.unit_price).filter((p): p is number => p !== null));
  const price = prices.size === 1 ? fmtUnitPrice([...prices][0]!) : prices.size > 1 ? "tiered" : "?";
  const units = job.units_total === null ? "?" : fmtNumber(job.units_total);
  return `${units} ${label} × ${price}`;
}
