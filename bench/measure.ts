import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Whole-process measurements: wall time and peak RSS of a node command,
 * repeated, reported as medians. Peak RSS comes from GNU time (`%M`) where the
 * machine has it, else from a preloaded module that reports the process's own
 * maxRSS at exit (the same small cost for the floor and for what is measured).
 */

/** BENCH_GNU_TIME="" forces the preload (what a machine without GNU time does). */
const GNU_TIME = process.env.BENCH_GNU_TIME ?? "/usr/bin/time";

let preload: string | undefined;
function rssPreload(): string {
  if (preload) return preload;
  preload = path.join(tmpdir(), "fal-bench-rss.mjs");
  writeFileSync(preload, `process.on("exit", () => process.stderr.write("\\nBENCH_TIME 0 " + process.resourceUsage().maxRSS + "\\n"));\n`);
  return preload;
}

export interface Sample {
  wallMs: number;
  rssMb: number;
  code: number | null;
  stdout: string;
}

/** `cmd` is a node command line: [process.execPath, ...args]. */
export async function measure(cmd: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<Sample> {
  const [exe, ...args] = cmd;
  const argv = GNU_TIME && existsSync(GNU_TIME) ? [GNU_TIME, "-f", "BENCH_TIME %e %M", ...cmd] : [exe!, "--import", pathToFileURL(rssPreload()).href, ...args];
  const child = spawn(argv[0]!, argv.slice(1), { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const started = process.hrtime.bigint();
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const m = /BENCH_TIME ([\d.]+) (\d+)/.exec(stderr);
  if (!m) throw new Error(`no timing from ${cmd.join(" ")}: ${stderr.slice(-500)}`);
  return { wallMs, rssMb: Number(m[2]) / 1024, code, stdout };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function repeat(n: number, fn: () => Promise<Sample>): Promise<{ wallMs: number; rssMb: number; samples: Sample[] }> {
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) samples.push(await fn());
  return { wallMs: median(samples.map((s) => s.wallMs)), rssMb: median(samples.map((s) => s.rssMb)), samples };
}

export const fmt = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
