import { spawn } from "node:child_process";

/**
 * Whole-process measurements: wall time and peak RSS of a command, via GNU
 * time (`%e %M`), repeated, reported as medians.
 */

export interface Sample {
  wallMs: number;
  rssMb: number;
  code: number | null;
  stdout: string;
}

export async function measure(cmd: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<Sample> {
  const child = spawn("/usr/bin/time", ["-f", "BENCH_TIME %e %M", ...cmd], { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
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
