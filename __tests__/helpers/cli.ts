import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CLI, COMPILE_CACHE_ENV } from "./action.js";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The folder it ran in. */
  dir: string;
}

export interface CliOptions {
  /** Files to create in the folder before the run (folders made as needed). */
  files?: Record<string, string>;
  env?: Record<string, string>;
  /** Run in this folder (default: a new temporary one). */
  dir?: string;
  /** Written to stdin, which is then closed (default: stdin is closed at once, as in CI). */
  stdin?: string;
  /** Run on a terminal: util-linux `script` gives the CLI a pseudo-terminal as stdin and stdout (it echoes input, and ends lines with CRLF). */
  tty?: boolean;
  /** Called with the child once it has started (e.g. to send SIGINT), and the folder it runs in. */
  onStart?: (child: ChildProcess, dir: string) => void;
}

/** The built dist/cli.js as a person runs it: in a folder, with only PATH and `env` in its environment. */
export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const dir = opts.dir ?? (await mkdtemp(path.join(tmpdir(), "fal-jobs-cli-")));
  for (const [name, content] of Object.entries(opts.files ?? {})) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  const env = { PATH: process.env.PATH ?? "", ...COMPILE_CACHE_ENV, ...opts.env };
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const child = opts.tty
    ? spawn("script", ["-qec", [process.execPath, CLI, ...args].map(quote).join(" "), "/dev/null"], { cwd: dir, env: { ...env, SHELL: "/bin/sh" }, stdio: ["pipe", "pipe", "pipe"] })
    : spawn(process.execPath, [CLI, ...args], { cwd: dir, env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdin!.end(opts.stdin ?? "");
  opts.onStart?.(child, dir);
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  return { code, stdout, stderr, dir };
}
