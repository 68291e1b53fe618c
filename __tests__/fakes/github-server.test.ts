import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getOctokit } from "@actions/github";
import {
  ACTIONS_BOT_LOGIN,
  DEFAULT_OWNER,
  DEFAULT_REPO,
  FakeGitHub,
  GITHUB_TOKEN,
  OTHER_USER_LOGIN,
  OTHER_USER_TOKEN,
  READONLY_TOKEN,
} from "./github-server.js";

const owner = DEFAULT_OWNER;
const repo = DEFAULT_REPO;
const number = 42;
const MARKER = "<!-- fal-cost:default -->";
const FAL_KEY = "fal-key-id:fal-key-secret-0a1b2c";

interface CommentNode {
  id: string;
  databaseId: number;
  body: string;
  isMinimized: boolean;
  createdAt: string;
  url: string;
  author: { login: string } | null;
}
interface CommentsPage {
  repository: {
    pullRequest: {
      comments: { nodes: CommentNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    };
  };
}

const LIST_QUERY = `
  query($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
    repository(owner: $owner, name: $repo) {
      pullRequest(number: $number) {
        comments(first: 100, after: $cursor) {
          nodes { id databaseId body isMinimized createdAt url author { login } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }`;

const MINIMIZE = `
  mutation($id: ID!) {
    minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) {
      minimizedComment { isMinimized }
    }
  }`;

let fake: FakeGitHub;
beforeEach(async () => {
  fake = await FakeGitHub.start();
});
afterEach(async () => {
  await fake.close();
});

function octokit(token: string) {
  return getOctokit(token, { baseUrl: fake.url });
}

async function listAll(token: string): Promise<{ nodes: CommentNode[]; pages: number }> {
  const gh = octokit(token);
  const nodes: CommentNode[] = [];
  let cursor: string | null = null;
  let pages = 0;
  for (;;) {
    const page: CommentsPage = await gh.graphql<CommentsPage>(LIST_QUERY, { owner, repo, number, cursor });
    pages++;
    const conn = page.repository.pullRequest.comments;
    nodes.push(...conn.nodes);
    if (!conn.pageInfo.hasNextPage) break;
    cursor = conn.pageInfo.endCursor;
  }
  return { nodes, pages };
}

describe("FakeGitHub with the real Octokit from @actions/github", () => {
  it("answers viewer with the token's identity ([bot] suffix kept)", async () => {
    const a = await octokit(GITHUB_TOKEN).graphql<{ viewer: { login: string } }>("query { viewer { login } }");
    expect(a.viewer.login).toBe(ACTIONS_BOT_LOGIN);
    const b = await octokit(OTHER_USER_TOKEN).graphql<{ viewer: { login: string } }>("query { viewer { login } }");
    expect(b.viewer.login).toBe(OTHER_USER_LOGIN);
    expect(fake.requests[0]).toMatchObject({ method: "POST", url: "/graphql", hasAuth: true, login: ACTIONS_BOT_LOGIN });
    expect(JSON.stringify(fake.requests[0]!.headers)).not.toContain(GITHUB_TOKEN);
  });

  it("lists >100 comments over GraphQL pages; bot author.login has no [bot] suffix", async () => {
    fake.seedComments(number, 230, (i) => (i === 7 ? { author: OTHER_USER_LOGIN, body: `${MARKER}\nlook-alike` } : {}));
    fake.seedComment({ number, body: `${MARKER}\nold`, minimized: true });
    fake.seedComment({ number: 43, body: "another PR" });
    const { nodes, pages } = await listAll(GITHUB_TOKEN);
    expect(pages).toBe(3);
    expect(nodes).toHaveLength(231);
    expect(new Set(nodes.map((n) => n.id)).size).toBe(231);
    expect(nodes[0]!.author).toEqual({ login: "github-actions" });
    expect(nodes[7]!.author).toEqual({ login: OTHER_USER_LOGIN });
    expect(nodes[230]).toMatchObject({ isMinimized: true, body: `${MARKER}\nold` });
    expect(nodes[0]!.url).toBe(`https://github.com/${owner}/${repo}/pull/${number}#issuecomment-${nodes[0]!.databaseId}`);
    expect(Object.keys(nodes[0]!).sort()).toEqual(["author", "body", "createdAt", "databaseId", "id", "isMinimized", "url"]);
    // creation order is preserved and createdAt is increasing
    expect([...nodes].sort((x, y) => x.createdAt.localeCompare(y.createdAt))).toEqual(nodes);
  });

  it("paginates REST comments with Link headers and per_page", async () => {
    fake.seedComments(number, 205);
    const gh = octokit(GITHUB_TOKEN);
    const first = await gh.rest.issues.listComments({ owner, repo, issue_number: number, per_page: 100 });
    expect(first.data).toHaveLength(100);
    expect(first.headers.link).toMatch(/rel="next"/);
    const all = await gh.paginate(gh.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100 });
    expect(all).toHaveLength(205);
    expect(all[0]!.user).toMatchObject({ login: ACTIONS_BOT_LOGIN, type: "Bot" });
    const small = await gh.rest.issues.listComments({ owner, repo, issue_number: number });
    expect(small.data).toHaveLength(30); // GitHub's default page size
  });

  it("creates, updates and deletes a comment over REST", async () => {
    const gh = octokit(GITHUB_TOKEN);
    const created = await gh.rest.issues.createComment({ owner, repo, issue_number: number, body: `${MARKER}\nv1` });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      body: `${MARKER}\nv1`,
      user: { login: ACTIONS_BOT_LOGIN, type: "Bot" },
      html_url: `https://github.com/${owner}/${repo}/pull/${number}#issuecomment-${created.data.id}`,
    });
    expect(created.data.node_id).toMatch(/^IC_/);
    expect(created.data.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const updated = await gh.rest.issues.updateComment({ owner, repo, comment_id: created.data.id, body: `${MARKER}\nv2` });
    expect(updated.status).toBe(200);
    expect(updated.data.body).toBe(`${MARKER}\nv2`);
    expect(fake.comment(created.data.id)!.body).toBe(`${MARKER}\nv2`);
    expect(updated.data.updated_at > updated.data.created_at).toBe(true);

    const deleted = await gh.rest.issues.deleteComment({ owner, repo, comment_id: created.data.id });
    expect(deleted.status).toBe(204);
    expect(fake.commentsOn(number)).toEqual([]);
    expect(fake.commentsOn(number, { includeDeleted: true })[0]).toMatchObject({ id: created.data.id, deleted: true });
    expect(fake.comment(created.data.id)!.history.map((h) => h.action)).toEqual(["created", "updated", "deleted"]);
    await expect(gh.rest.issues.updateComment({ owner, repo, comment_id: created.data.id, body: "x" })).rejects.toMatchObject({ status: 404 });
  });

  it("minimizes a comment via GraphQL and reports it in listings", async () => {
    const c = fake.seedComment({ number, body: `${MARKER}\nstale` });
    const gh = octokit(GITHUB_TOKEN);
    const res = await gh.graphql<{ minimizeComment: { minimizedComment: { isMinimized: boolean } } }>(MINIMIZE, { id: c.nodeId });
    expect(res).toEqual({ minimizeComment: { minimizedComment: { isMinimized: true } } });
    expect(fake.comment(c.id)).toMatchObject({ isMinimized: true, minimizedReason: "outdated" });
    const { nodes } = await listAll(GITHUB_TOKEN);
    expect(nodes[0]!.isMinimized).toBe(true);
    await expect(gh.graphql(MINIMIZE, { id: "IC_doesnotexist" })).rejects.toThrow(/Could not resolve to a node/);
  });

  it("read-only token: reads work, writes get 403 / FORBIDDEN", async () => {
    const c = fake.seedComment({ number, body: "existing" });
    const gh = octokit(READONLY_TOKEN);
    expect((await gh.graphql<{ viewer: { login: string } }>("query { viewer { login } }")).viewer.login).toBe(ACTIONS_BOT_LOGIN);
    expect((await listAll(READONLY_TOKEN)).nodes).toHaveLength(1);
    const err = await gh.rest.issues.createComment({ owner, repo, issue_number: number, body: "hi" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 403, response: { data: { message: "Resource not accessible by integration" } } });
    await expect(gh.rest.issues.updateComment({ owner, repo, comment_id: c.id, body: "x" })).rejects.toMatchObject({ status: 403 });
    await expect(gh.rest.issues.deleteComment({ owner, repo, comment_id: c.id })).rejects.toMatchObject({ status: 403 });
    await expect(gh.graphql(MINIMIZE, { id: c.nodeId })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: "FORBIDDEN", message: "Resource not accessible by integration" })],
    });
    expect(fake.comment(c.id)).toMatchObject({ body: "existing", isMinimized: false, deleted: false });
    // GET /user is refused for installation tokens, like the real GITHUB_TOKEN
    await expect(octokit(GITHUB_TOKEN).rest.users.getAuthenticated()).rejects.toMatchObject({ status: 403 });
  });

  it("401 for missing or unknown tokens", async () => {
    await expect(octokit("ghs_not_a_real_token").rest.issues.listComments({ owner, repo, issue_number: number })).rejects.toMatchObject({
      status: 401,
      response: { data: { message: "Bad credentials" } },
    });
    const anon = await fetch(`${fake.url}/repos/${owner}/${repo}/issues/${number}/comments`);
    expect(anon.status).toBe(401);
    expect(fake.requests.at(-1)!.hasAuth).toBe(false);
    const anonGql = await fetch(fake.graphqlUrl, { method: "POST", body: JSON.stringify({ query: "query { viewer { login } }" }) });
    expect(anonGql.status).toBe(401);
  });

  it("422 for bodies over 65,536 UTF-16 units or 262,144 UTF-8 bytes (strict mode, create and update)", async () => {
    const gh = octokit(GITHUB_TOKEN);
    const atLimit = await gh.rest.issues.createComment({ owner, repo, issue_number: number, body: "x".repeat(65_536) });
    expect(atLimit.status).toBe(201);
    const err = await gh.rest.issues.createComment({ owner, repo, issue_number: number, body: "x".repeat(65_537) }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      status: 422,
      response: {
        data: {
          message: "Validation Failed",
          errors: [{ resource: "IssueComment", code: "custom", field: "body", message: "body is too long (maximum is 65536 characters)" }],
        },
      },
    });
    // 65,536 "€" = 65,536 UTF-16 units but 196,608 bytes: fine; 32,768 emoji = 65,536 units: fine; one more: refused
    expect((await gh.rest.issues.createComment({ owner, repo, issue_number: number, body: "€".repeat(65_536) })).status).toBe(201);
    expect((await gh.rest.issues.createComment({ owner, repo, issue_number: number, body: "😀".repeat(32_768) })).status).toBe(201);
    await expect(gh.rest.issues.createComment({ owner, repo, issue_number: number, body: "😀".repeat(32_769) })).rejects.toMatchObject({ status: 422 });
    await expect(gh.rest.issues.updateComment({ owner, repo, comment_id: atLimit.data.id, body: "x".repeat(70_000) })).rejects.toMatchObject({ status: 422 });
    expect(fake.comment(atLimit.data.id)!.body).toHaveLength(65_536); // previous body kept
    expect(fake.commentsOn(number)).toHaveLength(3);
  });

  it("measured mode: only the 262,144-byte cap applies", async () => {
    const measured = await FakeGitHub.start({ bodyLimit: "measured" });
    try {
      const gh = getOctokit(GITHUB_TOKEN, { baseUrl: measured.url });
      expect((await gh.rest.issues.createComment({ owner, repo, issue_number: number, body: "x".repeat(262_144) })).status).toBe(201);
      expect((await gh.rest.issues.createComment({ owner, repo, issue_number: number, body: "🌈".repeat(65_536) })).status).toBe(201);
      await expect(gh.rest.issues.createComment({ owner, repo, issue_number: number, body: "🌈".repeat(65_536) + "x" })).rejects.toMatchObject({ status: 422 });
    } finally {
      await measured.close();
    }
  });

  it("unknown GraphQL operations come back as GraphQL errors", async () => {
    await expect(octokit(GITHUB_TOKEN).graphql("query { rateLimit { remaining } }")).rejects.toThrow(/unsupported GraphQL operation/);
    await expect(
      octokit(GITHUB_TOKEN).graphql(`query { repository(owner: "${owner}", name: "${repo}") { pullRequest(number: ${number}) { comments(first: 101) { nodes { id } } } } }`),
    ).rejects.toThrow(/exceeds the `first` limit of 100/);
  });

  it("records requests without auth values so tests can check for leaked secrets", async () => {
    const gh = octokit(GITHUB_TOKEN);
    await gh.rest.issues.createComment({ owner, repo, issue_number: number, body: "cost: $1.23" });
    expect(fake.findSecret(FAL_KEY)).toEqual([]);
    expect(fake.findSecret(GITHUB_TOKEN)).toEqual([]); // the token is only in the (unrecorded) auth header
    await gh.rest.issues.createComment({ owner, repo, issue_number: number, body: `oops ${FAL_KEY}` });
    expect(fake.findSecret(FAL_KEY).map((r) => r.method)).toEqual(["POST"]);
    expect(fake.writes()).toHaveLength(2);
  });

  it("serves files at a commit through the contents API: raw text, base64 JSON, folders, and 404s that say which", async () => {
    const sha = "b".repeat(40);
    const manifest = "version: 1\njobs: [] # ünïcode\n";
    fake.addCommit(sha, { "fal-jobs.yaml": manifest, "ci/fal/fal-jobs.yaml": "nested\n" });
    const gh = octokit(READONLY_TOKEN); // reading needs no write access
    const raw = await gh.rest.repos.getContent({ owner, repo, path: "fal-jobs.yaml", ref: sha, mediaType: { format: "raw" } });
    expect(raw.data).toBe(manifest);
    expect(raw.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect((await gh.rest.repos.getContent({ owner, repo, path: "ci/fal/fal-jobs.yaml", ref: sha, mediaType: { format: "raw" } })).data).toBe("nested\n");
    const json = (await gh.rest.repos.getContent({ owner, repo, path: "fal-jobs.yaml", ref: sha })).data as { type: string; encoding: string; content: string };
    expect(json).toMatchObject({ type: "file", encoding: "base64" });
    expect(Buffer.from(json.content, "base64").toString("utf8")).toBe(manifest);
    const folder = (await gh.rest.repos.getContent({ owner, repo, path: "ci", ref: sha, mediaType: { format: "raw" } })).data;
    expect(folder).toEqual([{ name: "fal", path: "ci/fal", type: "dir" }]);
    await expect(gh.rest.repos.getContent({ owner, repo, path: "nope.yaml", ref: sha })).rejects.toMatchObject({ status: 404, message: expect.stringMatching(/^Not Found/) });
    await expect(gh.rest.repos.getContent({ owner, repo, path: "fal-jobs.yaml", ref: "c".repeat(40) })).rejects.toMatchObject({ status: 404, message: expect.stringMatching(/No commit found for the ref c{40}/) });
    expect((await gh.rest.git.getCommit({ owner, repo, commit_sha: sha })).data.sha).toBe(sha);
    await expect(gh.rest.git.getCommit({ owner, repo, commit_sha: "c".repeat(40) })).rejects.toMatchObject({ status: 404 });
    // Another repository's commits are not this one's.
    await expect(gh.rest.git.getCommit({ owner, repo: "other", commit_sha: sha })).rejects.toMatchObject({ status: 404 });
  });
});
