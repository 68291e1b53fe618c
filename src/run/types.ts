import type { Nano } from "../util/money.js";

type SubmitOutcome = "not-attempted" | "accepted" | "rejected" | "unknown";

export type RunStatus = "succeeded" | "failed" | "cancelled" | "skipped-budget" | "timed-out";

export interface OutputFile {
  /** Where in the result it was found, e.g. `images[0]`. */
  source: string;
  url: string;
  content_type: string | null;
  /** Relative to the output directory. */
  path: string | null;
  bytes: number | null;
  sha256: string | null;
  error: string | null;
}

export interface RunError {
  message: string;
  status?: number;
  type?: string;
  /** Which step failed. */
  stage: "submit" | "status" | "result" | "timeout" | "cancel";
}

export interface RunRecord {
  id: string;
  job: string;
  model: string;
  variant: string;
  repeat: number;
  status: RunStatus;
  /** fal accepted the request (it may bill for it). */
  submitted: boolean;
  /**
   * What is known of the submit: `unknown` when it was sent and no definite
   * answer came back — fal may have accepted and billed it, so its cost is
   * unknown (never $0) and its estimate stays committed.
   */
  submit_outcome: SubmitOutcome;
  request_id: string | null;
  error: RunError | null;
  timings: {
    started_at: string | null;
    submitted_at: string | null;
    completed_at: string | null;
    finished_at: string | null;
    /** Submit to result in hand. */
    total_ms: number | null;
  };
  estimate_nano: Nano;
  /** Unit price applied to billed units of this run. */
  unit_price: number | null;
  /** `x-fal-billable-units` from fal's result response, when it sent one. */
  header_units: number | null;
  /** Units the outputs prove (images, their pixels, reported durations; never below `input_units`), when the unit allows. */
  observed_units: number | null;
  /**
   * The units the run's input sets, in the billing unit, when measured: outputs may prove more units than
   * the input asked for, never fewer (a shorter clip does not show that fal billed less).
   */
  input_units: number | null;
  /** Relative to the output directory. */
  dir: string | null;
  outputs: OutputFile[];
  /**
   * Cancelled (workflow cancelled or deadline) while fal was running it or had finished it: left running at fal,
   * which bills it either way, so that a re-run of the workflow can collect its result by request id.
   */
  uncollected?: boolean;
  /** The request an earlier attempt of this workflow run submitted for this run, and what became of it here. */
  resumed?: ResumedRequest;
}

export interface ResumedRequest {
  /** The attempt (GITHUB_RUN_ATTEMPT) that submitted it. */
  attempt: string;
  request_id: string;
  /** `collected`: its result was fetched, nothing submitted; `gone`/`failed`: fal no longer had it, or it failed, so the run was submitted again. */
  outcome: "collected" | "gone" | "failed";
  /** Why it was not collected. */
  detail?: string;
}
