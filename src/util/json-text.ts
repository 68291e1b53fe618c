import { isAscii } from "node:buffer";

/**
 * UTF-8 JSON bytes as a text JSON.parse reads to the same value, but one
 * byte a character. A report's only characters beyond ASCII are usually a
 * few in its jobs (a basis "1 × 1024×768 → 1 MP"), yet one "→" makes the
 * whole decoded text two bytes a character: 8 MB for a 4 MB shard report,
 * which JSON.parse reads more slowly and the heap holds twice. Here each run
 * of such characters becomes the \uXXXX escapes of its UTF-16 units.
 *
 * Why the value is the same: valid JSON has characters beyond ASCII only
 * inside strings, where a character and its escape are one; anywhere else
 * both texts are invalid, and so is a character in place of a \u escape's hex
 * digits, where the escape puts a backslash. After a backslash the escape
 * would read differently ("\é" is invalid, "\\u00e9" is not): there, or when
 * the runs are too many to be worth it, undefined, and the caller decodes the
 * bytes as they are. Runs decoded apart read as the bytes decoded together:
 * no UTF-8 sequence holds an ASCII byte, and the decoder ends an unfinished
 * one at the first ASCII byte, as at the end of a run.
 */
export function asciiJsonText(bytes: Buffer): string | undefined {
  if (isAscii(bytes)) return bytes.toString("latin1");
  const runs: Array<[number, number]> = [];
  if (!findNonAscii(bytes, 0, bytes.length, runs)) return undefined;
  let text = "";
  let at = 0;
  for (const [start, end] of runs) {
    if (start > 0 && bytes[start - 1] === BACKSLASH) return undefined;
    text += bytes.toString("latin1", at, start) + escaped(bytes.toString("utf8", start, end));
    at = end;
  }
  return text + bytes.toString("latin1", at);
}

const BACKSLASH = 0x5c;
/** Beyond this many runs (prompts in another script, say) the halving costs more than it saves. */
const MAX_RUNS = 1000;
/** Below this many bytes a span is scanned byte by byte. */
const SPAN = 64;

/**
 * The runs of bytes at or above 0x80 in [from, to), in order, found by halving: isAscii scans a span in SIMD, so
 * a few runs in megabytes cost a few hundred calls. False when there are more than MAX_RUNS.
 */
function findNonAscii(bytes: Buffer, from: number, to: number, runs: Array<[number, number]>): boolean {
  if (isAscii(bytes.subarray(from, to))) return true;
  if (to - from > SPAN) {
    const mid = from + Math.floor((to - from) / 2);
    return findNonAscii(bytes, from, mid, runs) && findNonAscii(bytes, mid, to, runs);
  }
  for (let i = from; i < to; i++) {
    if (bytes[i]! < 0x80) continue;
    const last = runs.at(-1);
    // A run the halving cut in two is one run: its bytes may be one character.
    if (last && last[1] === i) last[1] = i + 1;
    else if (runs.push([i, i + 1]) > MAX_RUNS) return false;
  }
  return true;
}

function escaped(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) out += `\\u${text.charCodeAt(i).toString(16).padStart(4, "0")}`;
  return out;
}
