import type { AnyReport } from "../../report/model.js";
import type { ActionConfig } from "../inputs.js";
import type { RunContext } from "../context.js";

/** What each of the action's modes is given, and what it hands to publishing. */
export interface ModeInput {
  config: ActionConfig;
  context: RunContext;
  env: NodeJS.ProcessEnv;
}

export interface ModeResult {
  report: AnyReport;
  /** Set when the report already exists as a file that must not be rewritten (post-only mode). */
  existingReportPath?: string;
}
