import { unitLabel } from "../pricing/units.js";
import { displayUsd } from "../util/money.js";
import type { JobReport } from "./model.js";

/** "1,234.5": at most 3 decimals, thousands grouped. Not toLocaleString: loading ICU costs ~12 ms of cold start. */
export function fmtNumber(n: number): string {
  if (typeof n !== "number") return "?"; // a report read from a file may hold anything
  if (!Number.isFinite(n)) return String(n);
  const [int, frac] = (Math.round(n * 1000) / 1000).toFixed(3).replace(/\.?0+$/, "").split(".");
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac ? `${grouped}.${frac}` : grouped;
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
