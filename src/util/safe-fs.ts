import { constants, type WriteStream } from "node:fs";
import { lstat, mkdir, open, readdir } from "node:fs/promises";
import path from "node:path";
import { inShell } from "./shell.js";

/**
 * Writing under output-dir without ever following a symlink. output-dir sits
 * in the checkout, so a pull request can commit a symlink anywhere in it
 * (`fal-outputs/fal-jobs-report.json -> ../.github/…`, a job folder pointing
 * elsewhere). Directories are created one component at a time and checked
 * with lstat; files are opened with O_NOFOLLOW (and O_EXCL for new ones)
 * after an lstat, so a symlink is an error that names it, never a write
 * somewhere else.
 */

export class UnsafePathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsafePathError";
  }
}

// Not defined on Windows; there the lstat checks stand alone.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** How the reader names the output folder: the action's input, or the CLI's flag. */
const OUTPUT_DIR = () => inShell({ action: "output-dir", cli: "the output folder (--out)" });

const shown = (p: string) => path.relative(process.cwd(), p) || p;

function symlinkError(p: string): UnsafePathError {
  return new UnsafePathError(`${shown(p)} is a symbolic link: fal-jobs never writes through symlinks in ${OUTPUT_DIR()}; remove it or choose another ${OUTPUT_DIR()}`);
}

/** Throws when `p` is a symlink; a missing path is fine. */
export async function assertNotSymlink(p: string): Promise<void> {
  const st = await lstat(p).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return null;
    throw err;
  });
  if (st?.isSymbolicLink()) throw symlinkError(p);
}

/** Creates `dir` if missing (never through a symlink) and checks it is a real directory. */
async function stepInto(dir: string): Promise<void> {
  await mkdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== "EEXIST") throw err;
  });
  const st = await lstat(dir);
  if (st.isSymbolicLink()) throw symlinkError(dir);
  if (!st.isDirectory()) throw new UnsafePathError(`${shown(dir)} is not a directory`);
}

/**
 * Resolves output-dir once and makes sure it exists. Inside the working
 * directory (the checkout) every component down to it must be a real
 * directory: any of them could be a committed symlink. Outside it (an
 * absolute path such as $RUNNER_TEMP/out) the existing ancestors belong to
 * the machine (macOS's /tmp is a symlink) and only output-dir itself and what
 * is created below the nearest existing ancestor are checked.
 */
export async function prepareOutputDir(dir: string, base = process.cwd()): Promise<string> {
  const abs = path.resolve(base, dir);
  const rel = path.relative(base, abs);
  if (rel === "") return abs;
  if (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel)) {
    let at = base;
    for (const part of rel.split(path.sep)) await stepInto((at = path.join(at, part)));
    return abs;
  }
  const missing: string[] = [];
  let at = path.dirname(abs);
  while (!(await exists(at))) {
    missing.unshift(at);
    at = path.dirname(at);
  }
  for (const d of missing) await stepInto(d);
  await stepInto(abs);
  return abs;
}

/** Creates `rel` (relative, made by us) under `root`, one checked component at a time; returns its absolute path. */
export async function ensureDirUnder(root: string, rel: string): Promise<string> {
  // The root's ancestors are prepareOutputDir's to check; here the root itself must be a real directory.
  await mkdir(root, { recursive: true });
  await stepInto(root);
  let at = root;
  for (const part of rel.split(/[/\\]/).filter(Boolean)) await stepInto((at = path.join(at, part)));
  return at;
}

/** Writes a whole file, replacing a regular file but refusing a symlink at its name. Text may come in pieces. */
export async function writeFileNoFollow(file: string, data: string | Uint8Array | Iterable<string>): Promise<void> {
  await assertNotSymlink(file);
  let handle;
  try {
    handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | NOFOLLOW, 0o644);
  } catch (err) {
    // A symlink placed between the lstat and the open.
    if ((err as NodeJS.ErrnoException).code === "ELOOP") throw symlinkError(file);
    throw err;
  }
  try {
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}

/** A write stream on a file that must not exist yet (temporary names): never follows, never truncates another file. */
export async function createNewFileStream(file: string): Promise<WriteStream> {
  const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o644);
  return handle.createWriteStream();
}

/** Symlinks anywhere under `root` (not followed), up to `max`. */
export async function findSymlinks(root: string, max = 10): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(root, { withFileTypes: true, recursive: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return [];
    throw err;
  });
  for (const e of entries) {
    if (e.isSymbolicLink()) found.push(path.join(e.parentPath, e.name));
    if (found.length >= max) break;
  }
  return found;
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}
