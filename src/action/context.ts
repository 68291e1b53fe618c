import { readFileSync } from "node:fs";
import type { ReportContext } from "../report/model.js";

/**
 * What the run is about, from the runner's environment and its event payload:
 * the one place the event file is read.
 */
export interface RunContext {
  report: ReportContext;
  /** The pull request this event is about (pull_request and pull_request_target events). */
  prNumber?: number;
  /** On a workflow_run event: the commit the triggering run was for. */
  workflowRunHeadSha?: string;
  /** The branch the run is for (GITHUB_REF refs/heads/…); undefined for pull requests and tags. */
  branch?: string;
  /** On pull_request and pull_request_target events: the base commit the pull request is compared with (null when the payload has none). */
  baseSha?: string | null;
  /** On a push event: the commit pushed (GITHUB_SHA), whose pull request a real run's comment goes to. */
  pushSha?: string;
}

/** A full commit id (SHA-1 or SHA-256): anything else in the payload is not used, and never reaches git or a URL. */
const COMMIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  const event = readEvent(env);
  const prNumber = typeof event.pull_request?.number === "number" ? event.pull_request.number : undefined;
  const headSha = env.GITHUB_EVENT_NAME === "workflow_run" && typeof event.workflow_run?.head_sha === "string" ? event.workflow_run.head_sha : undefined;
  const isPullRequest = env.GITHUB_EVENT_NAME === "pull_request" || env.GITHUB_EVENT_NAME === "pull_request_target";
  const baseSha = event.pull_request?.base?.sha;
  return {
    report: {
      repository: env.GITHUB_REPOSITORY,
      event: env.GITHUB_EVENT_NAME,
      pr_number: prNumber,
      sha: env.GITHUB_SHA,
      run_id: env.GITHUB_RUN_ID,
      run_attempt: env.GITHUB_RUN_ATTEMPT,
      server_url: env.GITHUB_SERVER_URL || "https://github.com",
    },
    prNumber,
    workflowRunHeadSha: headSha,
    branch: env.GITHUB_REF?.startsWith("refs/heads/") ? env.GITHUB_REF.slice("refs/heads/".length) : undefined,
    baseSha: !isPullRequest ? undefined : typeof baseSha === "string" && COMMIT_SHA.test(baseSha) ? baseSha : null,
    pushSha: env.GITHUB_EVENT_NAME === "push" && COMMIT_SHA.test(env.GITHUB_SHA ?? "") ? env.GITHUB_SHA : undefined,
  };
}

interface EventPayload {
  pull_request?: { number?: unknown; base?: { sha?: unknown } };
  workflow_run?: { head_sha?: unknown };
}

function readEvent(env: NodeJS.ProcessEnv): EventPayload {
  if (!env.GITHUB_EVENT_PATH) return {};
  try {
    return (JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")) as EventPayload | null) ?? {};
  } catch {
    return {}; // no readable payload: no PR to comment on
  }
}
