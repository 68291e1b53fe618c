import { unitLabel, type UnitKind } from "../pricing/units.js";
import { formatUsd } from "../util/money.js";
import type { JobReport } from "./model.js";

/** "1,234.5": at most 3 decimals, thousands grouped. Not toLocaleString: loading ICU costs ~12 ms of cold start. */
export function fmtNumber(n: number): string {
  if (typeof n !== "number") return "?"; // a report read from a file may hold anything
  if (!Number.isFinite(n)) return String(n);
  const [int, frac] = (Math.round(n * 1000) / 1000).toFixed(3).replace(/\.?0+$/, "").split(".");
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac ? `${grouped}.${frac}` : grouped;
}

/** "$0.025", "$0.0004" — a unit price keeps up to 6 decimals: it is multiplied, and rounding it would hide that. */
function fmtUnitPrice(p: number): string {
  return `$${formatUsd(Math.round(p * 1e9))}`;
}

/** Units counted in a unit people read: 0.286 thousand characters are "286 chars". */
const SCALED: Partial<Record<UnitKind, { factor: number; label: string; per: string }>> = {
  kilo_characters: { factor: 1000, label: "chars", per: "1k chars" },
  million_tokens: { factor: 1e6, label: "tokens", per: "1M tokens" },
};

const PER: Partial<Record<UnitKind, string>> = { images: "image", videos: "video", audios: "audio", requests: "request", five_seconds: "5 s" };

/** Billing units as people read them: "12 MP", "286 chars", "8 s", "2 × 5 s", "6 images". */
function fmtUnits(amount: number, kind: UnitKind, raw?: string): string {
  const scaled = SCALED[kind];
  if (scaled) return `${fmtNumber(amount * scaled.factor)} ${scaled.label}`;
  if (amount === 1 && PER[kind] && kind !== "five_seconds") return `1 ${PER[kind]}`;
  return `${fmtNumber(amount)} ${unitLabel(kind, raw)}`;
}

/** A unit price with its unit: "$0.025/MP", "$0.04/image", "$0.02/1k chars". */
function fmtPricePer(price: number, kind: UnitKind, raw?: string): string {
  const per = SCALED[kind]?.per ?? PER[kind] ?? unitLabel(kind, raw);
  return `${fmtUnitPrice(price)}/${per}`;
}

/**
 * A job's unit price ("$0.025/MP"), or "tiered" when its variants are priced at different tiers; null when it has
 * none. `per: "scaled"` names the unit only where the units are shown in another one ("$0.02/1k chars" beside
 * "286 chars"), for "6 MP × $0.025".
 */
export function jobUnitPrice(job: JobReport, per: "always" | "scaled" = "always"): string | null {
  if (job.unit_kind === null) return null;
  const prices = new Set(job.variants.map((v) => v.unit_price).filter((p): p is number => p !== null));
  if (prices.size > 1) return "tiered";
  const price = prices.size === 1 ? [...prices][0]! : job.unit_price;
  if (price === null) return null;
  return per === "always" || SCALED[job.unit_kind] ? fmtPricePer(price, job.unit_kind, job.unit ?? undefined) : fmtUnitPrice(price);
}

/** A job's units in total, or null when they cannot be known. */
export function jobUnits(job: JobReport): string | null {
  if (job.unit_kind === null || job.units_total === null) return null;
  return fmtUnits(job.units_total, job.unit_kind, job.unit ?? undefined);
}

/** "12 MP × $0.025", "286 chars × $0.02/1k chars" for a job, or why not. */
export function unitsTimesPrice(job: JobReport): string {
  if (job.unit_kind === null) return "—";
  return `${jobUnits(job) ?? `? ${unitLabel(job.unit_kind, job.unit ?? undefined)}`} × ${jobUnitPrice(job, "scaled") ?? "?"}`;
}
