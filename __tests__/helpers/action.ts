import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TEST_RETRY_BASE_MS } from "../../src/action/test-seams.js";
import type { Report, RunModeReport } from "../../src/report/model.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const DIST = path.join(ROOT, "dist/index.js");
export const CLI = path.join(ROOT, "dist/cli.js");

/**
 * For every node process a test starts: V8's on-disk compile cache (Node's NODE_COMPILE_CACHE), so that the tens of
 * spawns of dist/ do not each compile the same megabytes of bundle again (about a sixth of an end-to-end test's CPU
 * time). Node keys each entry by the file's content and its own version, so a rebuilt dist/ is never served stale code.
 */
export const COMPILE_CACHE_ENV = { NODE_COMPILE_CACHE: path.join(ROOT, "node_modules/.cache/node-compile-cache") };

/**
 * Env for a real run that meets transient failures on purpose: the action's test seam (src/action/test-seams.ts) starts
 * its retries' backoff at 5 ms instead of 1 s, so the test does not wait out seconds of it. The retries are the same.
 */
export const FAST_RETRIES = { [TEST_RETRY_BASE_MS]: "5" };

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
  /** What the step saved for its post step (GITHUB_STATE), which a post run gets back as `state`. */
  state: Record<string, string>;
}

export interface ActionOptions {
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  event?: { name: string; payload: unknown };
  /** Files to create in the workspace before the run. */
  files?: Record<string, string>;
  workspace?: string;
  /** Run as the post step, with the state the main step saved (ActionRun.state). */
  state?: Record<string, string>;
  /** Called with the child once it has started (e.g. to send SIGTERM). */
  onStart?: (child: import("node:child_process").ChildProcess) => void;
  timeoutMs?: number;
}

/**
 * Runs the built action the way the runner does: node dist/index.js in the
 * workspace, inputs as INPUT_<NAME> (hyphens kept), outputs and summary via
 * the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the event from GITHUB_EVENT_PATH.
 */
export async function runAction(opts: ActionOptions = {}): Promise<ActionRun> {
  const workspace = opts.workspace ?? (await mkdtemp(path.join(tmpdir(), "fal-jobs-ws-")));
  for (const [name, content] of Object.entries(opts.files ?? {})) {
    const { mkdir } = await import("node:fs/promises");
    await mkdir(path.dirname(path.join(workspace, name)), { recursive: true });
    await writeFile(path.join(workspace, name), content);
  }
  const runnerTemp = await mkdtemp(path.join(tmpdir(), "fal-jobs-runner-"));
  const outputFile = path.join(runnerTemp, "output");
  const summaryFile = path.join(runnerTemp, "summary.md");
  const eventFile = path.join(runnerTemp, "event.json");
  const stateFile = path.join(runnerTemp, "state");
  await writeFile(stateFile, "");
  await writeFile(outputFile, "");
  await writeFile(summaryFile, "");
  await writeFile(eventFile, JSON.stringify(opts.event?.payload ?? {}));

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? runnerTemp,
    ...COMPILE_CACHE_ENV,
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_STATE: stateFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: opts.event?.name ?? "push",
    GITHUB_REPOSITORY: "acme/widgets",
    GITHUB_RUN_ID: "1000",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_SHA: "0".repeat(40),
    GITHUB_SERVER_URL: "https://github.com",
    RUNNER_TEMP: runnerTemp,
    // Nothing may reach a real host from a test.
    GITHUB_API_URL: "http://127.0.0.1:9",
    FAL_QUEUE_URL: "http://127.0.0.1:9",
    FAL_REST_URL: "http://127.0.0.1:9",
    FAL_API_URL: "http://127.0.0.1:9/v1",
    ...opts.env,
  };
  for (const [k, v] of Object.entries(opts.inputs ?? {})) env[`INPUT_${k.toUpperCase()}`] = v;
  for (const [k, v] of Object.entries(opts.state ?? {})) env[`STATE_${k}`] = v;

  const child = spawn(process.execPath, [DIST], { cwd: workspace, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  opts.onStart?.(child);
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("close", (c, s) => resolve([c, s])));
  clearTimeout(timer);
  const state = parseOutputs(await readFile(stateFile, "utf8"));
  return { code, signal, stdout, stderr, outputs: parseOutputs(await readFile(outputFile, "utf8")), summary: await readFile(summaryFile, "utf8"), workspace, state };
}

/** GITHUB_OUTPUT and GITHUB_STATE hold `name<<DELIMITER\nvalue\nDELIMITER` blocks; a name saved twice keeps the last value. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join("\n");
  }
  return out;
}

/** `::error file=…,line=…::message` annotations from stdout. */
export function annotations(stdout: string, level: "error" | "warning" = "error"): Array<{ props: Record<string, string>; message: string }> {
  const re = new RegExp(`^::${level}( [^:]*)?::(.*)$`, "gm");
  return [...stdout.matchAll(re)].map((m) => ({
    props: Object.fromEntries((m[1] ?? "").trim().split(",").filter(Boolean).map((kv) => kv.split("=") as [string, string])),
    message: m[2]!.replace(/%0A/g, "\n").replace(/%25/g, "%"),
  }));
}

/** The report a real run wrote (its `report-path` output), checked to be a run report. */
export async function readRunReport(run: { outputs: Record<string, string> }): Promise<RunModeReport> {
  const report = JSON.parse(await readFile(run.outputs["report-path"]!, "utf8")) as Report;
  if (report.mode !== "run") throw new Error(`expected a run report, got mode ${report.mode}`);
  return report;
}
