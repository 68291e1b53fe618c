import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Lock } from "./schema.js";

/**
 * Checks a folder of outputs (a downloaded artifact) against the lock: every
 * file the lock lists must be there with its size and sha256. Files are
 * read as streams, one at a time, so large videos do not fill memory.
 */
export interface LockVerification {
  ok: number;
  mismatched: number;
  missing: number;
  problems: Array<{ file: string; problem: string }>;
}

export async function verifyLockFiles(lock: Lock, dir: string): Promise<LockVerification> {
  const result: LockVerification = { ok: 0, mismatched: 0, missing: 0, problems: [] };
  const root = path.resolve(dir);
  for (const key of Object.keys(lock.runs).sort()) {
    const entry = lock.runs[key]!;
    for (const out of entry.outputs) {
      const file = path.resolve(root, out.name);
      // A name is relative to the artifact's root; one that climbs out of it is not a file of this artifact.
      if (!file.startsWith(root + path.sep)) {
        result.mismatched++;
        result.problems.push({ file: out.name, problem: `outside ${dir}: not a file of an outputs artifact (run ${entry.run})` });
        continue;
      }
      const size = await stat(file).then((s) => (s.isFile() ? s.size : null), () => null);
      if (size === null) {
        result.missing++;
        result.problems.push({ file: out.name, problem: `missing (run ${entry.run})` });
        continue;
      }
      const sha256 = size === out.size ? await hashFile(file) : null;
      if (size !== out.size || sha256 !== out.sha256) {
        result.mismatched++;
        result.problems.push({ file: out.name, problem: size !== out.size ? `${size} bytes, the lock says ${out.size}` : `sha256 ${sha256}, the lock says ${out.sha256}` });
        continue;
      }
      result.ok++;
    }
  }
  return result;
}

async function hashFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
