import { execFile } from "node:child_process";
import path from "node:path";

/**
 * Files as they are at a commit, from the checkout's own git: no token, no
 * network. git runs through execFile (no shell), and the commit is a hex id
 * checked by the caller, so nothing from the event becomes an option. A
 * shallow checkout (actions/checkout's default, fetch-depth 1) usually lacks
 * the base commit: hasCommit says so, and the caller asks the GitHub API.
 */

/** A lock of 100,000 runs is tens of MB; far above any manifest (1 MiB). */
const MAX_BYTES = 256 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

function git(args: string[], cwd: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Never prompt, and never fetch a missing object from a promisor remote (a partial clone): a read, not a download.
    const env = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_NO_LAZY_FETCH: "1" };
    execFile("git", args, { cwd, env, encoding: "buffer", maxBuffer: MAX_BYTES, timeout: TIMEOUT_MS }, (err, stdout, stderr) => {
      if (err) reject(new Error(`git ${args[0]} failed: ${stderr.toString("utf8").trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

/** Whether the repository at `cwd` has the commit (false too when git or a repository is not there). */
export async function gitHasCommit(sha: string, cwd: string): Promise<boolean> {
  try {
    await git(["cat-file", "-e", `${sha}^{commit}`], cwd);
    return true;
  } catch {
    return false;
  }
}

/** The file's text at the commit, or null when it did not exist there. Call gitHasCommit first: here a failure to find it means "not there". */
export async function gitShowFile(sha: string, file: string, cwd: string): Promise<string | null> {
  const spec = `${sha}:${repoPath(file, cwd)}`;
  let type: string;
  try {
    type = (await git(["cat-file", "-t", spec], cwd)).toString("utf8").trim();
  } catch {
    return null;
  }
  if (type !== "blob") throw new Error(`${file} is a ${type} at ${sha.slice(0, 12)}, not a file`);
  // --no-textconv: the bytes as committed, never a diff driver's rendering of them.
  return (await git(["show", "--no-textconv", spec], cwd)).toString("utf8");
}

/** `./dir/file` or `../file`: git reads a path that starts with ./ or ../ relative to the working directory, as the manifest input is. */
function repoPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join("/");
  return rel.startsWith("../") ? rel : `./${rel}`;
}
