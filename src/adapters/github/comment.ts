import { getOctokit } from "@actions/github";
import { hasMarker, isNewer, parseStamp, withoutStamp, type Stamp } from "../../comment/marker.js";

/**
 * The sticky PR comment. Our comment is the one whose first line is our
 * marker, written by the token's own identity, and not minimized: a copy of
 * the marker posted by anyone else is never touched. A stamp (run id,
 * attempt, time) keeps an older run from overwriting a newer run's comment.
 */

export type CommentMode = "update" | "new" | "hide-and-new" | "delete-and-new";

export interface PostRequest {
  token: string;
  owner: string;
  repo: string;
  prNumber: number;
  marker: string;
  body: string;
  stamp: Stamp;
  mode: CommentMode;
  baseUrl?: string;
}

export type PostResult =
  | { action: "created" | "updated"; url: string; id: number }
  | { action: "unchanged"; url: string; id: number }
  | { action: "skipped-stale"; url: string; id: number; newer: Stamp }
  | { action: "forbidden"; message: string };

interface ExistingComment {
  id: string; // GraphQL node id
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

type Octokit = ReturnType<typeof getOctokit>;

export async function postStickyComment(req: PostRequest): Promise<PostResult> {
  const octokit = getOctokit(req.token, req.baseUrl ? { baseUrl: req.baseUrl } : {});
  try {
    return await post(octokit, req);
  } catch (err) {
    const status = (err as { status?: number }).status;
    const message = (err as Error).message;
    if (status === 403 || /Resource not accessible by integration/i.test(message)) {
      return { action: "forbidden", message };
    }
    throw err;
  }
}

/** Comment ids fit a JS number exactly (they are far below 2^53); REST takes them in the path. */
function restId(c: ExistingComment): number {
  return Number(c.fullDatabaseId);
}

async function post(octokit: Octokit, req: PostRequest): Promise<PostResult> {
  const { owner, repo, prNumber } = req;
  const ours = await findOurComments(octokit, req);

  if (req.mode === "update" && ours.length > 0) {
    const latest = ours[ours.length - 1]!;
    const theirs = parseStamp(latest.body);
    if (theirs && isNewer(theirs, req.stamp)) return { action: "skipped-stale", url: latest.url, id: restId(latest), newer: theirs };
    if (withoutStamp(latest.body) === withoutStamp(req.body)) return { action: "unchanged", url: latest.url, id: restId(latest) };
    const res = await octokit.rest.issues.updateComment({ owner, repo, comment_id: restId(latest), body: req.body });
    return { action: "updated", url: res.data.html_url, id: res.data.id };
  }

  if (req.mode !== "update" && req.mode !== "new") {
    // A newer run's comment stays; an older run must not hide or delete it.
    const newest = ours.map((c) => ({ c, s: parseStamp(c.body) })).find(({ s }) => s && isNewer(s, req.stamp));
    if (newest) return { action: "skipped-stale", url: newest.c.url, id: restId(newest.c), newer: newest.s! };
    for (const c of ours) {
      if (req.mode === "hide-and-new") {
        await octokit.graphql(`mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }`, { id: c.id });
      } else {
        await octokit.rest.issues.deleteComment({ owner, repo, comment_id: restId(c) });
      }
    }
  }
  const res = await octokit.rest.issues.createComment({ owner, repo, issue_number: prNumber, body: req.body });
  return { action: "created", url: res.data.html_url, id: res.data.id };
}

async function findOurComments(octokit: Octokit, req: PostRequest): Promise<ExistingComment[]> {
  const viewer = await octokit.graphql<{ viewer: { login: string } }>(`query { viewer { login } }`);
  // GraphQL names the Actions bot `github-actions` as an author but `github-actions[bot]` as the viewer.
  const me = viewer.viewer.login.replace(/\[bot\]$/, "");
  const found: ExistingComment[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const data: {
      repository: { pullRequest: { comments: { nodes: ExistingComment[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null } | null;
    } = await octokit.graphql(LIST_COMMENTS, { owner: req.owner, repo: req.repo, number: req.prNumber, cursor });
    const comments = data.repository?.pullRequest?.comments;
    if (!comments) break;
    for (const c of comments.nodes) {
      const author = c.author?.login.replace(/\[bot\]$/, "");
      if (author === me && !c.isMinimized && hasMarker(c.body, req.marker)) found.push(c);
    }
    if (!comments.pageInfo.hasNextPage) break;
    cursor = comments.pageInfo.endCursor;
  }
  return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * Post-only mode trusts nothing in the report: the PR number it names must be
 * the PR whose head commit the triggering workflow run was for.
 */
export async function pullRequestHeadIs(token: string, owner: string, repo: string, prNumber: number, sha: string, baseUrl?: string): Promise<boolean> {
  const octokit = getOctokit(token, baseUrl ? { baseUrl } : {});
  const pr = await octokit.rest.pulls.get({ owner, repo, pull_number: prNumber });
  return pr.data.head.sha === sha;
}
