import { getOctokit } from "@actions/github";
import { hasMarker } from "../../comment/marker.js";
import { CommentForbiddenError, type CommentStore, type StoredComment } from "../../comment/sticky.js";

/**
 * A pull request's comments on GitHub, as comment/sticky.ts needs them. Ours
 * is a comment whose first line is the marker, written by the token's own
 * identity, and not minimized: a copy of the marker posted by anyone else is
 * never touched.
 */

export interface PullRequestRef {
  token: string;
  owner: string;
  repo: string;
  prNumber: number;
  baseUrl?: string;
}

export interface GitHubComment extends StoredComment {
  /** GraphQL node id: minimizing is GraphQL-only. */
  nodeId: string;
}

interface CommentNode {
  id: string;
  /** REST id. GraphQL's `databaseId` is a 32-bit Int that comment ids have outgrown; `fullDatabaseId` is a BigInt string. */
  fullDatabaseId: string;
  body: string;
  url: string;
  isMinimized: boolean;
  createdAt: string;
  author: { login: string } | null;
}

const LIST_COMMENTS = `query($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      comments(first: 100, after: $cursor) {
        nodes { id fullDatabaseId body isMinimized createdAt url author { login } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`;

const MINIMIZE = `mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }`;

type Octokit = ReturnType<typeof getOctokit>;

function octokitFor(token: string, baseUrl?: string): Octokit {
  return getOctokit(token, baseUrl ? { baseUrl } : {});
}

export function githubCommentStore(pr: PullRequestRef): CommentStore<GitHubComment> {
  const octokit = octokitFor(pr.token, pr.baseUrl);
  const { owner, repo } = pr;
  const written = (data: { id: number; html_url: string; body?: string }): StoredComment => ({ id: data.id, url: data.html_url, body: data.body ?? "" });
  return {
    findOurs: (marker) => forbiddenAsError(() => findOurComments(octokit, pr, marker)),
    create: (body) => forbiddenAsError(async () => written((await octokit.rest.issues.createComment({ owner, repo, issue_number: pr.prNumber, body })).data)),
    update: (c, body) => forbiddenAsError(async () => written((await octokit.rest.issues.updateComment({ owner, repo, comment_id: c.id, body })).data)),
    remove: (c) => forbiddenAsError(async () => void (await octokit.rest.issues.deleteComment({ owner, repo, comment_id: c.id }))),
    minimize: (c) => forbiddenAsError(async () => void (await octokit.graphql(MINIMIZE, { id: c.nodeId }))),
  };
}

/** REST says 403; GraphQL answers 200 with a FORBIDDEN error whose message is the only sign. */
async function forbiddenAsError<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const status = (err as { status?: number }).status;
    const message = (err as Error).message;
    if (status === 403 || /Resource not accessible by integration/i.test(message)) throw new CommentForbiddenError(message, { cause: err });
    throw err;
  }
}

async function findOurComments(octokit: Octokit, pr: PullRequestRef, marker: string): Promise<GitHubComment[]> {
  const viewer = await octokit.graphql<{ viewer: { login: string } }>(`query { viewer { login } }`);
  // GraphQL names the Actions bot `github-actions` as an author but `github-actions[bot]` as the viewer.
  const me = viewer.viewer.login.replace(/\[bot\]$/, "");
  const found: CommentNode[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const data: {
      repository: { pullRequest: { comments: { nodes: CommentNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null } | null;
    } = await octokit.graphql(LIST_COMMENTS, { owner: pr.owner, repo: pr.repo, number: pr.prNumber, cursor });
    const comments = data.repository?.pullRequest?.comments;
    if (!comments) break;
    for (const c of comments.nodes) {
      const author = c.author?.login.replace(/\[bot\]$/, "");
      if (author === me && !c.isMinimized && hasMarker(c.body, marker)) found.push(c);
    }
    if (!comments.pageInfo.hasNextPage) break;
    cursor = comments.pageInfo.endCursor;
  }
  // Comment ids fit a JS number exactly (they are far below 2^53); REST takes them in the path.
  return found
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((c) => ({ id: Number(c.fullDatabaseId), nodeId: c.id, url: c.url, body: c.body }));
}

/**
 * Post-only mode trusts nothing in the report: the PR number it names must be
 * the PR whose head commit the triggering workflow run was for.
 */
export async function pullRequestHeadIs(token: string, owner: string, repo: string, prNumber: number, sha: string, baseUrl?: string): Promise<boolean> {
  const pr = await octokitFor(token, baseUrl).rest.pulls.get({ owner, repo, pull_number: prNumber });
  return pr.data.head.sha === sha;
}

/**
 * The pull request a pushed commit came from: GitHub lists a commit's pull requests; the one merged as this very
 * commit first, else one merged, else none (a commit pushed straight to the branch has no pull request to tell).
 */
export async function pullRequestOfCommit(token: string, owner: string, repo: string, sha: string, baseUrl?: string): Promise<number | undefined> {
  const { data } = await octokitFor(token, baseUrl).rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha });
  const merged = data.filter((pr) => pr.merged_at);
  return (merged.find((pr) => pr.merge_commit_sha === sha) ?? merged[0])?.number;
}

