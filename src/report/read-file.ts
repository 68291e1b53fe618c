import { readFileSync, statSync } from "node:fs";
import { asciiJsonText } from "../util/json-text.js";

/** A million runs' report is a few hundred MB; anything larger is not one of ours. */
const MAX_REPORT_BYTES = 512 * 1024 * 1024;

/**
 * A report file's JSON, not yet checked against the schema. The file may come
 * from an untrusted run (post-only mode, shard reports), so its size is
 * bounded before it is read. Throws with the reason.
 */
export async function readReportJson(file: string): Promise<unknown> {
  // Read synchronously: nothing else runs meanwhile (a merge reads its shards one by one), and readFile's round trips
  // to the thread pool, 512 KB at a time, made a merge of 20 shard reports 5–10% slower (measured).
  const size = statSync(file).size;
  if (size > MAX_REPORT_BYTES) throw new Error(`it is ${size} bytes; a report is at most ${MAX_REPORT_BYTES}`);
  // Decoded whole (readFile's "utf8" decodes chunk by chunk), and one byte a character where it can be.
  const bytes = readFileSync(file);
  const ascii = asciiJsonText(bytes);
  if (ascii !== undefined) {
    try {
      return JSON.parse(ascii) as unknown;
    } catch {
      // Not JSON: the error below is the one the file's own text gives (where it points is in that text).
    }
  }
  return JSON.parse(bytes.toString("utf8")) as unknown;
}
