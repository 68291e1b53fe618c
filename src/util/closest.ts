/**
 * The candidate a typo most likely meant: one a few edits away, or one it shortens (`warn` for `warn_at`): the
 * manifest's "did you mean" for keys, and the CLI's for commands and options.
 */
export function closest(word: string, candidates: string[]): string | undefined {
  const lower = word.toLowerCase();
  if (lower.length >= 3) {
    const longer = candidates.find((c) => c.toLowerCase().startsWith(lower));
    if (longer) return longer;
  }
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return bestDist <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
