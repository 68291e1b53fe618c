/**
 * Money is summed in integer nano-USD so that totals of thousands of runs do
 * not drift (0.1 + 0.2 problems) and match fal's `cost_estimate_nano_usd`.
 */
export type Nano = number;

const NANO = 1e9;

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

/** "$1.23" for humans; small amounts keep their significant digits ("$0.003"). */
export function displayUsd(nano: Nano): string {
  const s = formatUsd(nano);
  return s.startsWith("-") ? `-$${s.slice(1)}` : `$${s}`;
}

/** Parses a budget given as text ("5", "5.00", "$5"). Returns undefined for empty input. */
export function parseUsd(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim().replace(/^\$/, "");
  if (t === "") return undefined;
  if (!/^\d+(\.\d+)?$/.test(t)) throw new Error(`not a USD amount: "${text}" (expected a plain number such as 5 or 12.50)`);
  return Number(t);
}
