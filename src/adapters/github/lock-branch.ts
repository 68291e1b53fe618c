import { getOctokit } from "@actions/github";

/**
 * A file on a branch through GitHub's contents API, as saving the lock needs
 * it: read with its blob sha, write with that sha as the precondition (the
 * compare-and-swap that stops two runs from overwriting each other's
 * entries), and the branch and pull request a protected branch needs.
 */

export interface RepoRef {
  token: string;
  owner: string;
  repo: string;
  baseUrl?: string;
}

type WriteResult = { status: "written"; commitSha: string } | { status: "conflict" } | { status: "protected"; message: string };

export interface BranchFiles {
  read(branch: string, path: string): Promise<{ text: string; sha: string } | null>;
  write(branch: string, path: string, text: string, sha: string | null, message: string): Promise<WriteResult>;
  /** The branch's head commit, or null when there is no such branch. */
  head(branch: string): Promise<string | null>;
  createBranch(branch: string, fromSha: string): Promise<void>;
  /** An open pull request from `head` into `base`, or one newly opened; its URL. */
  ensurePull(head: string, base: string, title: string, body: string): Promise<string>;
}

export function githubBranchFiles(ref: RepoRef): BranchFiles {
  const octokit = getOctokit(ref.token, ref.baseUrl ? { baseUrl: ref.baseUrl } : {});
  const { owner, repo } = ref;
  return {
    async read(branch, path) {
      try {
        const res = await octokit.rest.repos.getContent({ owner, repo, path, ref: branch });
        const file = res.data as { type?: string; content?: string; encoding?: string; sha: string };
        if (Array.isArray(res.data) || file.type !== "file") throw new Error(`${path} on ${branch} is not a file`);
        if (file.encoding === "none" || file.content === undefined) return await readLarge(file.sha);
        return { text: Buffer.from(file.content, "base64").toString("utf8"), sha: file.sha };
      } catch (err) {
        if ((err as { status?: number }).status === 404) return null;
        throw err;
      }
    },
    async write(branch, path, text, sha, message) {
      try {
        const res = await octokit.rest.repos.createOrUpdateFileContents({
          owner,
          repo,
          path,
          branch,
          message,
          content: Buffer.from(text, "utf8").toString("base64"),
          ...(sha ? { sha } : {}),
        });
        return { status: "written", commitSha: res.data.commit.sha ?? "" };
      } catch (err) {
        const status = (err as { status?: number }).status;
        const text = String((err as Error).message ?? "");
        // Rulesets and branch protection refuse the write and ask for a pull request; a stale sha is a conflict.
        if ((status === 409 || status === 403 || status === 422) && /protected branch|rule|pull request/i.test(text)) return { status: "protected", message: text };
        if (status === 409 || (status === 422 && /sha/i.test(text))) return { status: "conflict" };
        throw err;
      }
    },
    async head(branch) {
      try {
        const res = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
        return res.data.object.sha;
      } catch (err) {
        if ((err as { status?: number }).status === 404) return null;
        throw err;
      }
    },
    async createBranch(branch, fromSha) {
      await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: fromSha });
    },
    async ensurePull(head, base, title, body) {
      const open = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${head}`, base, state: "open" });
      if (open.data[0]) return open.data[0].html_url;
      const created = await octokit.rest.pulls.create({ owner, repo, head, base, title, body });
      return created.data.html_url;
    },
  };

  // The contents API leaves out files over 1 MB; the blob API has them.
  async function readLarge(sha: string): Promise<{ text: string; sha: string }> {
    const blob = await octokit.rest.git.getBlob({ owner, repo, file_sha: sha });
    return { text: Buffer.from(blob.data.content, "base64").toString("utf8"), sha };
  }
}
