import { readFileSync } from "node:fs";
import type { ReportContext } from "../report/model.js";

/** What the run is about, from the runner's environment and event payload. */
export function readRunContext(env: NodeJS.ProcessEnv = process.env): ReportContext {
  let prNumber: number | undefined;
  if (env.GITHUB_EVENT_PATH) {
    try {
      const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")) as { pull_request?: { number?: number }; number?: number };
      prNumber = event.pull_request?.number ?? undefined;
    } catch {
      prNumber = undefined; // no readable payload: no PR to comment on
    }
  }
  return {
    repository: env.GITHUB_REPOSITORY,
    event: env.GITHUB_EVENT_NAME,
    pr_number: prNumber,
    sha: env.GITHUB_SHA,
    run_id: env.GITHUB_RUN_ID,
    run_attempt: env.GITHUB_RUN_ATTEMPT,
    server_url: env.GITHUB_SERVER_URL || "https://github.com",
  };
}
