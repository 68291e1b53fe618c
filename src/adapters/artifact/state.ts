import { stat } from "node:fs/promises";
import path from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import { artifactBase, artifactUrl, type ArtifactResult } from "./upload.js";

/**
 * The state artifact: a few small JSON files (the journal of fal requests,
 * the lock, the report) that a re-run of the same workflow run reads to
 * resume, uploaded as `{artifact-name}-state-attempt-{N}` apart from the
 * outputs (which may be gigabytes, and whose upload may fail), and the
 * reading of earlier attempts' ones. Both go through @actions/artifact's
 * artifact service (ListArtifacts, GetSignedArtifactURL), with the runner's
 * ACTIONS_RUNTIME_TOKEN: no token input or permission is needed.
 *
 * GitHub does not document whether that service serves an earlier attempt's
 * artifact to a re-run (one public report saw "404 workflow run not found"),
 * while its REST API is scoped to the workflow run, all attempts included.
 * So what the service will not list or serve is asked of the REST API, with
 * the github-token (it needs `actions: read`), through the same client.
 */

function stateArtifactName(base: string, attempt: string): string {
  return `${artifactBase(base)}-state-attempt-${attempt}`;
}

function runtimeMissing(env: NodeJS.ProcessEnv): string | null {
  return env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL ? null : "not running inside GitHub Actions (no ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL)";
}

/** Uploads those of `files` (names under `root`) that exist. Failure is returned, not thrown. */
export async function uploadState(base: string, root: string, files: readonly string[], env: NodeJS.ProcessEnv): Promise<{ ok: true; artifact: ArtifactResult } | { ok: false; error: string }> {
  const missing = runtimeMissing(env);
  if (missing) return { ok: false, error: missing };
  const dir = path.resolve(root);
  const present: string[] = [];
  for (const name of files) {
    const file = path.join(dir, name);
    if (await stat(file).then((s) => s.isFile(), () => false)) present.push(file);
  }
  if (present.length === 0) return { ok: false, error: "no state files to upload" };
  const name = stateArtifactName(base, env.GITHUB_RUN_ATTEMPT || "1");
  try {
    const res = await new DefaultArtifactClient().uploadArtifact(name, present, dir, {});
    if (res.id === undefined) return { ok: false, error: "the artifact service returned no id" };
    return { ok: true, artifact: { name, id: res.id, url: artifactUrl(res.id, env) } };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

export interface EarlierArtifacts {
  /** Each earlier attempt's state, downloaded into its own folder, oldest first. */
  states: Array<{ attempt: string; dir: string }>;
  /** Earlier attempts' outputs artifacts, by attempt: where the files their locks list are kept. */
  outputs: Map<string, ArtifactResult>;
}

/**
 * Lists this workflow run's artifacts and downloads the state of every
 * attempt before `attempt` into `dest`. Throws when the service cannot list
 * or serve them: the caller must not guess what earlier attempts paid for.
 */
export async function downloadEarlierStates(base: string, attempt: number, dest: string, env: NodeJS.ProcessEnv, token: string | undefined): Promise<EarlierArtifacts> {
  const missing = runtimeMissing(env);
  if (missing) throw new Error(missing);
  const client = new DefaultArtifactClient();
  const rest = restScope(env, token);
  // The REST API, when the service fails: `findBy` makes @actions/artifact use it.
  const withRest = async <T>(call: (findBy?: typeof rest) => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      if (!rest) throw new Error(`${(err as Error).message}; with a github-token that has \`actions: read\` the REST API would be asked too`, { cause: err });
      try {
        return await call(rest);
      } catch (restErr) {
        throw new Error(`the artifact service: ${(err as Error).message}; the REST API: ${(restErr as Error).message} (the github-token needs \`actions: read\`)`, { cause: restErr });
      }
    }
  };
  const artifacts = await listBoth(client, rest);
  const prefix = artifactBase(base);
  const states = new Map<number, { id: number; created: number }>();
  const outputs = new Map<string, ArtifactResult>();
  for (const a of artifacts) {
    const state = matchAttempt(a.name, `${prefix}-state-attempt-`);
    const output = matchAttempt(a.name, `${prefix}-attempt-`);
    const created = a.createdAt?.getTime() ?? 0;
    if (state !== null && state < attempt && created >= (states.get(state)?.created ?? -1)) states.set(state, { id: a.id, created });
    if (output !== null && output < attempt) outputs.set(String(output), { name: a.name, id: a.id, url: artifactUrl(a.id, env) });
  }
  const found: EarlierArtifacts["states"] = [];
  for (const [n, { id }] of [...states].sort(([a], [b]) => a - b)) {
    const dir = path.join(dest, `attempt-${n}`);
    await withRest((findBy) => client.downloadArtifact(id, { path: dir, ...(findBy && { findBy }) }));
    found.push({ attempt: String(n), dir });
  }
  return { states: found, outputs };
}

type Listed = Awaited<ReturnType<DefaultArtifactClient["listArtifacts"]>>["artifacts"];

/**
 * The run's artifacts as the service lists them and, with a token, as the
 * REST API does: were the service to list only this attempt's, nothing
 * earlier attempts left would be missed. Only when no listing works is it an
 * error; a REST API refused for want of `actions: read` is not one.
 */
async function listBoth(client: DefaultArtifactClient, rest: ReturnType<typeof restScope>): Promise<Listed> {
  const byId = new Map<number, Listed[number]>();
  let serviceError: Error | undefined;
  try {
    for (const a of (await client.listArtifacts()).artifacts) byId.set(a.id, a);
  } catch (err) {
    serviceError = err as Error;
  }
  if (rest) {
    try {
      for (const a of (await client.listArtifacts({ findBy: rest })).artifacts) byId.set(a.id, a);
    } catch (err) {
      if (serviceError) throw new Error(`the artifact service: ${serviceError.message}; the REST API: ${(err as Error).message} (the github-token needs \`actions: read\`)`, { cause: err });
    }
  } else if (serviceError) {
    throw serviceError;
  }
  return [...byId.values()];
}

/** What the REST API needs to find this workflow run's artifacts; undefined without a token or a run. */
function restScope(env: NodeJS.ProcessEnv, token: string | undefined): { token: string; workflowRunId: number; repositoryOwner: string; repositoryName: string } | undefined {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  const runId = Number(env.GITHUB_RUN_ID);
  if (!token || !owner || !repo || !Number.isSafeInteger(runId) || runId <= 0) return undefined;
  return { token, workflowRunId: runId, repositoryOwner: owner, repositoryName: repo };
}

/** N when `name` is `prefix` followed by a positive whole number, else null. */
function matchAttempt(name: string, prefix: string): number | null {
  if (!name.startsWith(prefix)) return null;
  const rest = name.slice(prefix.length);
  return /^[1-9]\d{0,5}$/.test(rest) ? Number(rest) : null;
}
