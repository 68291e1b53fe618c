/**
 * Money is summed in integer nano-USD so that totals of thousands of runs do
 * not drift (0.1 + 0.2 problems) and match fal's `cost_estimate_nano_usd`.
 */
export type Nano = number;

const NANO = 1e9;

/**
 * The most any total (a budget, an estimate) may be, in USD: sums stay exact
 * integers of nano-USD only below 2^53 (about $9,007,199), and the report's
 * readers (post-only mode, the shard merge) refuse anything less exact.
 */
export const MAX_TOTAL_USD = 9_000_000;

export function toNano(usd: number): Nano {
  return Math.round(usd * NANO);
}

/** Units × price in nano-USD, rounded once; a positive cost never rounds down to $0 (1e-9 units, a per-token price). */
export function costNano(units: number, unitPrice: number): Nano {
  const nano = units * unitPrice * NANO;
  return nano > 0 ? Math.max(1, Math.round(nano)) : Math.round(nano);
}

/**
 * A plain decimal string, as the action's outputs promise: at least 2 and at
 * most 6 decimals, no exponent, no currency sign ("0.025", "3.20", "0.405").
 */
export function formatUsd(nano: Nano): string {
  const negative = nano < 0;
  const micro = Math.round(Math.abs(nano) / 1000); // 6 decimals
  const whole = Math.floor(micro / 1e6);
  let frac = String(micro % 1e6).padStart(6, "0").replace(/0+$/, "");
  if (frac.length < 2) frac = frac.padEnd(2, "0");
  return `${negative ? "-" : ""}${whole}.${frac}`;
}

/** The one minus sign people see in amounts and changes (the outputs, for scripts, never go negative). */
export const MINUS = "\u2212";

/**
 * Money for people: cents from $1 up ("$3.39", "$1,250.00"); below $1 two
 * significant digits, at most four decimals ("$0.42", "$0.025", "$0.0057");
 * "<$0.01" for what four decimals would show as nothing, so a real cost
 * never reads as $0. Sums are kept exact in nano-USD; this only displays.
 */
export function displayUsd(nano: Nano): string {
  if (typeof nano !== "number" || !Number.isFinite(nano)) return "$?"; // a report read from a file may hold anything
  const sign = nano < 0 ? MINUS : "";
  const abs = Math.abs(Math.round(nano));
  if (abs === 0) return "$0.00";
  // Decimals: 2 from $0.10 up, one more per tenfold smaller, at most 4.
  const decimals = abs >= NANO ? 2 : Math.min(4, Math.max(2, 1 - Math.floor(Math.log10(abs / NANO))));
  const step = 10 ** (9 - decimals);
  const scaled = Math.round(abs / step);
  if (scaled === 0) return `${sign}<$0.01`;
  const whole = Math.floor(scaled / 10 ** decimals);
  let frac = String(scaled % 10 ** decimals).padStart(decimals, "0");
  if (decimals > 2) frac = frac.replace(/0+$/, "").padEnd(2, "0");
  return `${sign}$${String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac}`;
}

/** Parses a budget given as text ("5", "5.00", "$5"). Returns undefined for empty input. */
export function parseUsd(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim().replace(/^\$/, "");
  if (t === "") return undefined;
  if (!/^\d+(\.\d+)?$/.test(t)) throw new Error(`not a USD amount: "${text}" (expected a plain number such as 5 or 12.50)`);
  const usd = Number(t);
  if (usd > MAX_TOTAL_USD) throw new Error(`${text.trim()} is more than fal-jobs counts exactly: at most ${MAX_TOTAL_USD} (USD)`);
  return usd;
}
