/**
 * Every duration fal-jobs parses (manifest timeouts, the `deadline` and
 * `billing-timeout` inputs) ends up in a timer. setTimeout fires at once past
 * 2^31−1 ms (24.8 days) and cannot honour sub-millisecond values, so one range
 * serves all callers: at least 1 s, at most 24 h — longer than any job a
 * hosted runner allows (6 h), short enough to be a typo when exceeded.
 */
const MIN_DURATION_MS = 1000;
const MAX_DURATION_MS = 24 * 3_600_000;
const RANGE_TEXT = "from 1 s to 24 h";

/** Parses "90", "30s", "10m", "1h30m", "1.5h" into milliseconds, from 1 s to 24 h. */
export function parseDurationMs(value: string | number): number {
  const ms = parseUncheckedMs(value);
  if (ms < MIN_DURATION_MS || ms > MAX_DURATION_MS) {
    throw new Error(`${typeof value === "number" ? `${value} s` : `"${value}"`} is out of range: a duration must be ${RANGE_TEXT}`);
  }
  return Math.round(ms);
}

function parseUncheckedMs(value: string | number): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value <= 0) throw new Error(`duration must be positive, got ${value}`);
    return value * 1000;
  }
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return parseUncheckedMs(Number(text));
  // Sticky and unit-terminated: each step consumes input, so this stays linear.
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const n = Number(m[1]);
    total += m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : m[2] === "m" ? n * 60_000 : n * 3_600_000;
    matched = re.lastIndex;
  }
  if (matched !== text.length || !(total > 0)) {
    throw new Error(`"${value}" is not a duration (use e.g. 30s, 10m, 1h30m)`);
  }
  return total;
}

