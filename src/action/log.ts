import * as core from "@actions/core";
import { logLine } from "../util/log-line.js";

/**
 * The action's only way to write plain log lines. `core.info` writes its text
 * raw, so a line break in a matrix value, a fal error or a report field would
 * start a line the runner executes as a command; everything goes through
 * logLine first. (`core.warning`, `error`, `setFailed` and `startGroup` issue
 * one command each and escape %, CR and LF in its data themselves.)
 */
export function info(text: string): void {
  core.info(logLine(text));
}

export function startGroup(name: string): void {
  core.startGroup(logLine(name));
}
