import path from "node:path";
import * as core from "@actions/core";
import type { AnyReport } from "../report/model.js";
import { formatUsd } from "../util/money.js";

/**
 * The action's outputs, each checked against what action.yml says it is
 * before it is set. Later steps interpolate outputs into shell scripts
 * (`${{ steps.fal.outputs.billed-cost }}`), and in post-only mode the values
 * come from a file an untrusted run wrote: a value that is not what it claims
 * to be is not set.
 */

export type OutputName =
  | "estimated-cost"
  | "full-cost"
  | "new-runs"
  | "locked-runs"
  | "removed-runs"
  | "lock-path"
  | "lock-changed"
  | "budget"
  | "over-budget"
  | "billed-cost"
  | "report-path"
  | "artifact-id"
  | "artifact-url"
  | "comment-url";

const USD = /^\d{1,15}(\.\d{1,9})?$/;
const COUNT = /^\d{1,15}$/;
// Only what GitHub's run, artifact and comment URLs contain: nothing a shell or Markdown would read as syntax.
const URL_RE = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~%/-]*)?(#[A-Za-z0-9._~-]*)?$/;

const KINDS: Record<OutputName, { what: string; ok: (v: string) => boolean }> = {
  "estimated-cost": { what: "a USD amount", ok: (v) => USD.test(v) },
  "full-cost": { what: "a USD amount", ok: (v) => USD.test(v) },
  "new-runs": { what: "a count", ok: (v) => COUNT.test(v) },
  "locked-runs": { what: "a count", ok: (v) => COUNT.test(v) },
  "removed-runs": { what: "a count", ok: (v) => COUNT.test(v) },
  // Later steps run `git add ${{ steps.fal.outputs.lock-path }}`: nothing a shell would read as syntax.
  "lock-path": { what: "a path of letters, digits and ._/@+-, or empty", ok: (v) => /^[\w./@+-]{0,4096}$/.test(v) },
  "lock-changed": { what: "true or false", ok: (v) => v === "true" || v === "false" },
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
export function reportOutputs(report: AnyReport, reportPath: string): Array<[OutputName, string]> {
  // Nothing was estimated: only the report's path, so an upload step (the fork-safe pattern) has the file.
  if (report.mode === "error") return [["report-path", reportPath]];
  return [
    // What would be submitted: the runs the lock does not hold.
    ["estimated-cost", formatUsd(report.totals.estimated_nano)],
    ["full-cost", formatUsd(report.totals.full.estimated_nano)],
    ["new-runs", String(report.totals.runs)],
    ["locked-runs", String(report.totals.locked_runs)],
    ["removed-runs", String(report.totals.removed_runs)],
    ["lock-path", report.lock.written ?? report.lock.path ?? ""],
    ["lock-changed", report.lock.changed ? "true" : "false"],
    ["budget", report.budget.effective ?? ""],
    ["over-budget", report.verdict === "over-budget" ? "true" : "false"],
    // `billed` is null unless every run's cost is known (run-report; post-only reports are checked for it).
    ["billed-cost", report.mode === "run" ? (report.execution.billed ?? "") : ""],
    ["report-path", reportPath],
  ];
}
