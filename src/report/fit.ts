/**
 * The rendering with the most rows, 0 to `max`, that `fits`. Rendering grows
 * with the rows, so a binary search needs log(max) renders, and a table that
 * fits whole costs one. Gives the 0-row rendering even when that does not
 * fit: what else to cut is the caller's choice.
 */
export function fitRows(render: (rows: number) => string, fits: (text: string) => boolean, max: number): string {
  const whole = render(max);
  if (fits(whole)) return whole;
  let lo = 0;
  let hi = max - 1;
  let best: string | undefined; // render(lo), once some lo > 0 has fitted
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const text = render(mid);
    if (fits(text)) [lo, best] = [mid, text];
    else hi = mid - 1;
  }
  return best ?? render(lo);
}
