import { spawn } from "node:child_process";
import path from "node:path";

/**
 * Files as they are at a commit, from the checkout's own git: no token, no
 * network, and one process (`git cat-file --batch`) for the commit and every
 * file. git is spawned without a shell, and the commit is a hex id checked by
 * the caller, so nothing from the event becomes an option. A shallow checkout
 * (actions/checkout's default, fetch-depth 1) usually lacks the base commit:
 * the answer then says so, and the caller asks the GitHub API.
 */

/** A lock of 100,000 runs is tens of MB; far above any manifest (1 MiB). */
const MAX_BYTES = 256 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

export type GitRead =
  /** The repository at `cwd` lacks the commit, or there is no git or no repository there. */
  | { commit: false; why: string }
  /** Each file's text at the commit, by the name it was asked by; null when it did not exist there. */
  | { commit: true; files: Map<string, string | null> };

/** `files` are paths as the inputs give them: relative to `cwd`, or absolute. */
export async function gitReadAt(sha: string, files: string[], cwd: string): Promise<GitRead> {
  for (const f of files) if (/[\n\r]/.test(f)) throw new Error(`${JSON.stringify(f)}: a path with a line break cannot be read from git`);
  const names = [`${sha}^{commit}`, ...files.map((f) => `${sha}:${repoPath(f, cwd)}`)];
  let out: Buffer;
  try {
    out = await catFileBatch(names, cwd);
  } catch (err) {
    return { commit: false, why: (err as Error).message };
  }
  const objects = parseBatch(out, names.length);
  if (objects[0] === null) return { commit: false, why: `the repository does not have commit ${sha.slice(0, 12)}` };
  const texts = new Map<string, string | null>();
  files.forEach((file, i) => {
    const o = objects[i + 1]!;
    if (o && o.type !== "blob") throw new Error(`${file} is a ${o.type} at ${sha.slice(0, 12)}, not a file`);
    texts.set(file, o ? o.data.toString("utf8") : null);
  });
  return { commit: true, files: texts };
}

function catFileBatch(names: string[], cwd: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Never prompt, and never fetch a missing object from a promisor remote (a partial clone): a read, not a download.
    const env = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_NO_LAZY_FETCH: "1" };
    const child = spawn("git", ["cat-file", "--batch"], { cwd, env, stdio: ["pipe", "pipe", "pipe"], timeout: TIMEOUT_MS });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BYTES) child.kill();
      else chunks.push(c);
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", (err) => reject(new Error(`git cannot run: ${err.message}`)));
    child.on("close", (code, signal) => {
      if (code === 0 && size <= MAX_BYTES) resolve(Buffer.concat(chunks));
      else reject(new Error(`git cat-file failed (${signal ?? `exit ${code}`}${size > MAX_BYTES ? `, over ${MAX_BYTES} bytes` : ""}): ${stderr.trim()}`));
    });
    child.stdin.on("error", () => {}); // git may exit before reading its input (no repository): the close event says why
    child.stdin.end(names.map((n) => `${n}\n`).join(""));
  });
}

/** `./dir/file` or `../file`: git reads a path that starts with ./ or ../ relative to the working directory, wherever that is in the repository. */
function repoPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join("/");
  return rel.startsWith("../") ? rel : `./${rel}`;
}

/** `<oid> <type> <size>\n<bytes>\n` per object found, `<name> missing\n` (or ambiguous) per one that is not. */
function parseBatch(out: Buffer, count: number): Array<{ type: string; data: Buffer } | null> {
  const objects: Array<{ type: string; data: Buffer } | null> = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) throw new Error("git cat-file: truncated output");
    const header = out.toString("utf8", at, eol);
    at = eol + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) {
      objects.push(null); // "<name> missing" or "<name> ambiguous"
      continue;
    }
    const size = Number(m[2]);
    objects.push({ type: m[1]!, data: out.subarray(at, at + size) });
    at += size + 1;
  }
  return objects;
}
