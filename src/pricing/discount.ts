/**
 * The account's negotiated discount on fal's list prices, a percentage set by
 * the workflow (`discount-percent`) or the CLI (`--discount-percent`), never
 * by the manifest: pull-request content may only make an estimate more
 * conservative. It applies to catalog prices only; fal's live pricing API
 * already answers with the account's own price.
 */

/** The discount in percent, 0 ≤ p < 100; undefined when empty. Throws with what is wrong and how to write it. */
export function parseDiscountPercent(text: string | undefined): number | undefined {
  const t = (text ?? "").trim().replace(/\s*%$/, "");
  if (t === "") return undefined;
  const p = /^\d{1,2}(\.\d{1,6})?$/.test(t) ? Number(t) : NaN;
  if (!(p >= 0 && p < 100)) {
    throw new Error(`expected a percentage from 0 up to (not including) 100, such as 15 or 12.5 for a 12.5 % discount (got "${text}")`);
  }
  return p;
}

/** A list price after the discount, rounded to 12 significant digits so that 0.025 less 20 % is 0.02, not 0.020000000000000004. */
export function discounted(listPrice: number, percent: number | undefined): number {
  if (!percent) return listPrice;
  return Number((listPrice * (1 - percent / 100)).toPrecision(12));
}
