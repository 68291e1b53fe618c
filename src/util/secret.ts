/**
 * Hygiene for keys and tokens as text. A key pasted with a line break inside
 * it makes HTTP clients refuse the header, and their error message quotes the
 * header's value (undici: `Headers.append: "Key …" is an invalid header
 * value.`); that text used to travel into reports, comments and logs.
 */

/** Why `secret` (already trimmed) cannot be a key or token, or undefined: they are printable ASCII without whitespace. */
export function secretProblem(secret: string): string | undefined {
  if (/[\r\n]/.test(secret)) return "a line break";
  if (/\s/.test(secret)) return "whitespace";
  if (/[\p{Cc}]/u.test(secret)) return "a control character";
  if (/[^\x21-\x7e]/.test(secret)) return "a non-ASCII character";
  return undefined;
}

/** Shorter pieces reveal next to nothing, and masking them would blank common text all over the log. */
const MIN_PIECE = 4;

/** The parts of a damaged secret that could appear on their own in a log line or a message. */
export function secretPieces(raw: string): string[] {
  return raw.split(/[\s\p{Cc}]+/u).filter((p) => p.length >= MIN_PIECE);
}

const HEADER_REFUSAL = /invalid header value|Headers\.(append|set)|ERR_INVALID_CHAR|invalid character in header/i;

/**
 * An error message fit to show: a refused-header message is replaced whole
 * (it quotes the value), any piece of a known secret becomes `***`, and so
 * does whatever follows an `Authorization` header name.
 */
export function redactSecrets(message: string, secrets: ReadonlyArray<string | undefined> = []): string {
  if (HEADER_REFUSAL.test(message)) {
    return "the HTTP client refused a request header (its message is not shown: it quotes the header's value); check the key for stray characters";
  }
  let out = message;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const piece of new Set([secret.trim(), ...secretPieces(secret)])) if (piece.length >= MIN_PIECE) out = out.split(piece).join("***");
  }
  return out.replace(/(authorization["']?\s*[:=]\s*["']?)(?:(?:key|bearer|token|basic)\s+)?[^\s"',;]+/gi, "$1***");
}

/** Redacts an error's message in place, keeping its type (callers tell errors apart by class and status). */
export function redactError(err: unknown, secrets: ReadonlyArray<string | undefined>): unknown {
  if (err instanceof Error) {
    const safe = redactSecrets(err.message, secrets);
    if (safe !== err.message) {
      try {
        err.message = safe;
        // The stack was written with the old message in it.
        err.stack = `${err.name}: ${safe}`;
      } catch {
        return new Error(safe); // a read-only message (DOMException): a plain error that says the same
      }
    }
  }
  return err;
}
