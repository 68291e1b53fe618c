import { readdir } from "node:fs/promises";
import path from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";

/**
 * Uploads the output directory as one workflow artifact. Failure is returned,
 * not thrown: the files stay on disk and the report says what happened.
 */

export interface ArtifactResult {
  name: string;
  id: number;
  url: string;
}

/** Artifact names may not contain these; a name can be uploaded once per workflow run, so the attempt is part of it. */
export function artifactName(base: string, env: NodeJS.ProcessEnv): string {
  return `${artifactBase(base)}-attempt-${env.GITHUB_RUN_ATTEMPT || "1"}`;
}

/** The `artifact-name` input with the characters artifact names may not hold replaced. */
export function artifactBase(base: string): string {
  return base.replace(/["':<>|*?\r\n\\/]+/g, "-").trim() || "fal-outputs";
}

export function artifactUrl(id: number, env: NodeJS.ProcessEnv): string {
  const server = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}/artifacts/${id}`;
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && !entry.name.endsWith(".part")) out.push(path.join(entry.parentPath, entry.name));
  }
  return out.sort();
}

export async function uploadOutputs(base: string, rootDir: string, env: NodeJS.ProcessEnv): Promise<{ ok: true; artifact: ArtifactResult } | { ok: false; error: string }> {
  if (!env.ACTIONS_RUNTIME_TOKEN || !env.ACTIONS_RESULTS_URL) {
    return { ok: false, error: "not running inside GitHub Actions (no ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL)" };
  }
  const root = path.resolve(rootDir);
  const files = await listFiles(root);
  if (files.length === 0) return { ok: false, error: "no files to upload" };
  const name = artifactName(base, env);
  try {
    const res = await new DefaultArtifactClient().uploadArtifact(name, files, root, {});
    if (res.id === undefined) return { ok: false, error: "the artifact service returned no id" };
    return { ok: true, artifact: { name, id: res.id, url: artifactUrl(res.id, env) } };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}
