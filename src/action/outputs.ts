import path from "node:path";
import * as core from "@actions/core";
import type { Report } from "../report/model.js";
import { formatUsd } from "../util/money.js";

/**
 * The action's outputs, each checked against what action.yml says it is
 * before it is set. Later steps interpolate outputs into shell scripts
 * (`${{ steps.fal.outputs.billed-cost }}`), and in post-only mode the values
 * come from a file an untrusted run wrote: a value that is not what it claims
 * to be is not set.
 */

export type OutputName = "estimated-cost" | "budget" | "over-budget" | "billed-cost" | "report-path" | "artifact-id" | "artifact-url" | "comment-url";

const USD = /^\d{1,15}(\.\d{1,9})?$/;
// Only what GitHub's run, artifact and comment URLs contain: nothing a shell or Markdown would read as syntax.
const URL_RE = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~%/-]*)?(#[A-Za-z0-9._~-]*)?$/;

const KINDS: Record<OutputName, { what: string; ok: (v: string) => boolean }> = {
  "estimated-cost": { what: "a USD amount", ok: (v) => USD.test(v) },
  budget: { what: "a USD amount or empty", ok: (v) => v === "" || USD.test(v) },
  "over-budget": { what: "true or false", ok: (v) => v === "true" || v === "false" },
  "billed-cost": { what: "a USD amount or empty", ok: (v) => v === "" || USD.test(v) },
  "report-path": { what: "an absolute path", ok: (v) => path.isAbsolute(v) && !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(v) },
  "artifact-id": { what: "a numeric id", ok: (v) => /^\d{1,20}$/.test(v) },
  "artifact-url": { what: "a URL", ok: (v) => URL_RE.test(v) },
  "comment-url": { what: "a URL", ok: (v) => URL_RE.test(v) },
};

export function isValidOutput(name: OutputName, value: string): boolean {
  return typeof value === "string" && KINDS[name].ok(value);
}

/** Sets the output if its value is what it is documented to be; otherwise leaves it unset and warns (without the value). */
export function setOutput(name: OutputName, value: string): boolean {
  if (!isValidOutput(name, value)) {
    core.warning(`output ${name} was not set: its value is not ${KINDS[name].what}`);
    return false;
  }
  core.setOutput(name, value);
  return true;
}

/** The outputs every run sets from its report. */
export function reportOutputs(report: Report, reportPath: string): Array<[OutputName, string]> {
  return [
    ["estimated-cost", formatUsd(report.totals.estimated_nano)],
    ["budget", report.budget.effective ?? ""],
    ["over-budget", report.verdict === "over-budget" ? "true" : "false"],
    // `billed` is null unless every run's cost is known (run-report; post-only reports are checked for it).
    ["billed-cost", report.mode === "run" ? (report.execution.billed ?? "") : ""],
    ["report-path", reportPath],
  ];
}
