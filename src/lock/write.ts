import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { serializeLock } from "./serialize.js";
import type { Lock } from "./schema.js";

/**
 * Writes the lock atomically (a temporary file beside it, then a rename): a
 * step killed half way leaves the old lock or the new one, never half of
 * one, since a lock that cannot be read stops the next run.
 */
export async function writeLockFile(file: string, lock: Lock): Promise<string> {
  const text = serializeLock(lock);
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, file);
  return text;
}
