import { getOctokit } from "@actions/github";

/**
 * A file as it is at a commit, through GitHub's contents API (raw media
 * type), for checkouts that lack the commit. A 404 means either "no such
 * file there" or "this token cannot see the commit"; the commit is then
 * looked up on its own, so a token without `contents: read` is an error,
 * never an empty manifest.
 */

export interface CommitFileRef {
  token: string;
  owner: string;
  repo: string;
  sha: string;
  /** Relative to the repository's root, with `/`. */
  path: string;
  baseUrl?: string;
}

/** The file's text at the commit, or null when it did not exist there. */
export async function readFileAtCommit(ref: CommitFileRef): Promise<string | null> {
  const octokit = getOctokit(ref.token, ref.baseUrl ? { baseUrl: ref.baseUrl } : {});
  const { owner, repo, sha } = ref;
  try {
    const res = await octokit.rest.repos.getContent({ owner, repo, path: ref.path, ref: sha, mediaType: { format: "raw" } });
    const data: unknown = res.data;
    // GitHub answers raw content as text/plain; a directory comes back as a JSON list instead.
    if (typeof data === "string") return data;
    if (data instanceof ArrayBuffer) return Buffer.from(data).toString("utf8");
    throw new Error(`${ref.path} is not a file at ${sha.slice(0, 12)}`);
  } catch (err) {
    if (statusOf(err) !== 404) throw new Error(`GitHub contents API: ${messageOf(err)}`, { cause: err });
  }
  try {
    await octokit.rest.git.getCommit({ owner, repo, commit_sha: sha });
  } catch (err) {
    throw new Error(`GitHub cannot show commit ${sha.slice(0, 12)} of ${owner}/${repo} to this token (${messageOf(err)})`, { cause: err });
  }
  return null;
}

function statusOf(err: unknown): number | undefined {
  return (err as { status?: number }).status;
}

function messageOf(err: unknown): string {
  const status = statusOf(err);
  const message = err instanceof Error ? err.message : String(err);
  return status && !message.includes(String(status)) ? `${status} ${message}` : message;
}
