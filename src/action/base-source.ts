import path from "node:path";
import type { GitRead } from "../adapters/git/show.js";
import type { BaseFile, BaseSource } from "../flows/base.js";
import { loadNetworkModules } from "../shims/network.js";
import type { RunContext } from "./context.js";
import type { ActionConfig } from "./inputs.js";
import * as log from "./log.js";

/**
 * Where a pull request's base manifest and lock are read: the checkout's own
 * git when it has the base commit (no token, no network), else GitHub's
 * contents API at that commit. Undefined on other events: there is no base.
 * Both adapters load only here, so a push event loads neither.
 */
export function baseSourceFor(config: ActionConfig, context: RunContext, env: NodeJS.ProcessEnv): BaseSource | undefined {
  const sha = context.baseSha;
  if (sha === undefined) {
    if (config.failOnIncrease) log.info(`fail-on-increase applies to pull requests only; this ${env.GITHUB_EVENT_NAME ?? "run"} event has no base to compare with`);
    return undefined;
  }
  if (sha === null) {
    const fail = () => Promise.reject(new Error("the event payload has no pull_request.base.sha (a full commit id) to compare with"));
    return { sha: null, manifest: fail, lock: null };
  }
  const cwd = process.cwd();
  const files = [config.manifest, ...(config.lockPath === null ? [] : [config.lockPath])];
  // One git process reads the commit check and both files; asked once, at the first read.
  let fromGit: Promise<GitRead> | undefined;
  const read = async (file: string): Promise<BaseFile> => {
    const name = `${file}@${sha.slice(0, 12)}`;
    fromGit ??= import("../adapters/git/show.js").then(async (git) => {
      const got = await git.gitReadAt(sha, files, cwd);
      if (!got.commit) log.info(`the checkout cannot give the base commit (${got.why}): reading the base through the GitHub API`);
      return got;
    });
    const got = await fromGit;
    if (got.commit) return { text: got.files.get(file) ?? null, via: "git", name };
    return { text: await readThroughApi(config, env, sha, repoPath(file, cwd, env)), via: "api", name };
  };
  return { sha, manifest: () => read(config.manifest), lock: config.lockPath === null ? null : () => read(config.lockPath!) };
}

async function readThroughApi(config: ActionConfig, env: NodeJS.ProcessEnv, sha: string, file: string): Promise<string | null> {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo) throw new Error("the checkout does not have the base commit, and GITHUB_REPOSITORY is not set to read it through the GitHub API");
  if (!config.githubToken) throw new Error("the checkout does not have the base commit, and there is no github-token to read it through the GitHub API");
  await loadNetworkModules();
  const { readFileAtCommit } = await import("../adapters/github/contents.js");
  return readFileAtCommit({ token: config.githubToken, owner, repo, sha, path: file });
}

/** The file's path in the repository: actions/checkout puts the repository at the workspace's root. */
function repoPath(file: string, cwd: string, env: NodeJS.ProcessEnv): string {
  const root = env.GITHUB_WORKSPACE || cwd;
  const rel = path.relative(root, path.resolve(cwd, file));
  if (rel.startsWith("..") || path.isAbsolute(rel)) throw new Error(`${file} is outside the workspace (${root}), so its path in the repository is not known`);
  return rel.split(path.sep).join("/");
}
