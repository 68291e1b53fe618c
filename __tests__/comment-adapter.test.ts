import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { githubCommentStore, pullRequestHeadIs } from "../src/adapters/github/comment-store.js";
import { commentMarker, parseStamp, stampLine, type Stamp } from "../src/comment/marker.js";
import { postSticky, type CommentMode } from "../src/comment/sticky.js";
import { buildCommentBody } from "../src/report/comment.js";
import { FakeGitHub, GITHUB_TOKEN, OTHER_USER_LOGIN, READONLY_TOKEN, DEFAULT_OWNER, DEFAULT_REPO } from "./fakes/github-server.js";
import { estimateReportFor, manyJobs } from "./helpers/reports.js";

/**
 * The GitHub CommentStore's contract: the sticky behaviour (comment/sticky.ts) driven through the real Octokit
 * against the loopback GitHub fake. The behaviour alone is in comment-sticky.test.ts.
 */

let gh: FakeGitHub;
beforeEach(async () => {
  gh = await FakeGitHub.start();
});
afterEach(async () => {
  await gh.close();
});

const PR = 7;
const marker = commentMarker("default");
const report = estimateReportFor("version: 1\nbudget: 1\njobs:\n  - {id: hero, model: fal-ai/flux/dev, input: {prompt: a city}}\n");

function stamp(runId: number, attempt = 1): Stamp {
  return { runId, attempt, at: `2026-11-22T10:00:0${attempt}Z` };
}

function store(token = GITHUB_TOKEN) {
  return githubCommentStore({ token, owner: DEFAULT_OWNER, repo: DEFAULT_REPO, prNumber: PR, baseUrl: gh.url });
}

function post(body: string, s: Stamp, mode: CommentMode = "update", token = GITHUB_TOKEN) {
  return postSticky(store(token), { marker, body, stamp: s, mode });
}

function bodyFor(s: Stamp, extra = ""): string {
  return buildCommentBody(report, "default", s) + extra;
}

const writes = () => gh.requests.filter((r) => r.method !== "GET" && !(r.url === "/graphql" && !/mutation/.test(r.body)));

describe("sticky PR comment", () => {
  it("creates once, then updates the same comment in place: no duplicates across runs", async () => {
    const first = await post(bodyFor(stamp(100)), stamp(100));
    expect(first.action).toBe("created");
    const second = await post(bodyFor(stamp(101), "\nchanged"), stamp(101));
    expect(second).toMatchObject({ action: "updated", id: (first as { id: number }).id });
    const comments = gh.commentsOn(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.endsWith("changed")).toBe(true);
    expect(parseStamp(comments[0]!.body)).toEqual(stamp(101));
  });

  it("skips the write when only the stamp would change", async () => {
    await post(bodyFor(stamp(100)), stamp(100));
    const before = writes().length;
    const res = await post(bodyFor(stamp(101)), stamp(101));
    expect(res.action).toBe("unchanged");
    expect(writes().length).toBe(before);
  });

  it("leaves a look-alike comment by another user alone, and ignores minimized ones of its own", async () => {
    const forged = gh.seedComment({ number: PR, author: OTHER_USER_LOGIN, body: `${marker}\n${stampLine(stamp(1))}\nforged` });
    const hidden = gh.seedComment({ number: PR, body: `${marker}\n${stampLine(stamp(1))}\nold and hidden`, minimized: true });
    const quoted = gh.seedComment({ number: PR, body: `a quote of\n${marker}` });
    const res = await post(bodyFor(stamp(100)), stamp(100));
    expect(res.action).toBe("created");
    for (const c of [forged, hidden, quoted]) expect(c.history.filter((h) => h.action !== "created")).toEqual([]);
    expect(gh.commentsOn(PR)).toHaveLength(4);
  });

  it("keeps comment tags apart", async () => {
    await post(bodyFor(stamp(100)), stamp(100));
    const prod = await postSticky(store(), {
      marker: commentMarker("prod"), body: buildCommentBody(report, "prod", stamp(100)), stamp: stamp(100), mode: "update",
    });
    expect(prod.action).toBe("created");
    expect(gh.commentsOn(PR)).toHaveLength(2);
  });

  it("mode new: always a new comment", async () => {
    await post(bodyFor(stamp(100)), stamp(100), "new");
    await post(bodyFor(stamp(101)), stamp(101), "new");
    expect(gh.commentsOn(PR)).toHaveLength(2);
  });

  it("mode hide-and-new: minimizes our earlier comments as outdated, then posts", async () => {
    await post(bodyFor(stamp(100)), stamp(100), "hide-and-new");
    const res = await post(bodyFor(stamp(101)), stamp(101), "hide-and-new");
    expect(res.action).toBe("created");
    const [old, fresh] = gh.commentsOn(PR);
    expect(old).toMatchObject({ isMinimized: true, minimizedReason: "outdated" });
    expect(fresh).toMatchObject({ isMinimized: false });
    // A third run hides only the visible one.
    await post(bodyFor(stamp(102)), stamp(102), "hide-and-new");
    expect(gh.commentsOn(PR).filter((c) => !c.isMinimized)).toHaveLength(1);
  });

  it("mode delete-and-new: deletes our earlier comments, never anyone else's", async () => {
    const theirs = gh.seedComment({ number: PR, author: OTHER_USER_LOGIN, body: `${marker}\nnot ours` });
    await post(bodyFor(stamp(100)), stamp(100), "delete-and-new");
    await post(bodyFor(stamp(101)), stamp(101), "delete-and-new");
    const live = gh.commentsOn(PR);
    expect(live.map((c) => c.authorLogin)).toEqual([OTHER_USER_LOGIN, "github-actions[bot]"]);
    expect(parseStamp(live[1]!.body)).toEqual(stamp(101));
    expect(theirs.history.map((h) => h.action)).toEqual(["created"]);
  });

  it("never lets an older run overwrite, hide or delete a newer run's comment", async () => {
    await post(bodyFor(stamp(200, 2)), stamp(200, 2));
    for (const [s, mode] of [[stamp(200, 1), "update"], [stamp(199, 3), "update"], [stamp(150), "hide-and-new"], [stamp(150), "delete-and-new"]] as const) {
      const res = await post(bodyFor(s, "\nolder"), s, mode);
      expect(res).toMatchObject({ action: "skipped-stale", newer: stamp(200, 2) });
    }
    const comments = gh.commentsOn(PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.history.map((h) => h.action)).toEqual(["created"]);
    // A re-run attempt of the same run is newer and does update.
    expect((await post(bodyFor(stamp(200, 3), "\nnewer"), stamp(200, 3))).action).toBe("updated");
  });

  it("reports 403 on a fork PR's read-only token as forbidden, writing nothing", async () => {
    const res = await post(bodyFor(stamp(100)), stamp(100), "update", READONLY_TOKEN);
    expect(res.action).toBe("forbidden");
    expect(gh.commentsOn(PR)).toHaveLength(0);
  });

  it("works with comment ids beyond GraphQL's 32-bit Int", async () => {
    await gh.close();
    gh = await FakeGitHub.start({ firstCommentId: 5_000_000_000 });
    const first = await post(bodyFor(stamp(100)), stamp(100));
    const second = await post(bodyFor(stamp(101), "\nchanged"), stamp(101));
    expect(second).toMatchObject({ action: "updated", id: 5_000_000_000 });
    expect(first).toMatchObject({ id: 5_000_000_000 });
  });

  it("finds its comment among hundreds on a busy PR", async () => {
    await post(bodyFor(stamp(100)), stamp(100));
    gh.seedComments(PR, 250);
    expect((await post(bodyFor(stamp(101), "\nchanged"), stamp(101))).action).toBe("updated");
    expect(gh.commentsOn(PR).filter((c) => c.body.startsWith(marker))).toHaveLength(1);
  });

  it("posts a truncated body for a huge report that GitHub accepts under both of its limits", async () => {
    await gh.close();
    gh = await FakeGitHub.start({ bodyLimit: "strict" });
    const big = estimateReportFor(manyJobs(3000, "🙂".repeat(150)));
    const body = buildCommentBody(big, "default", stamp(100));
    expect(body).toMatch(/job summary of this workflow run/);
    const res = await post(body, stamp(100));
    expect(res.action).toBe("created");
  });

  it("checks a PR's head commit for post-only mode", async () => {
    await gh.close();
    gh = await FakeGitHub.start({ pullRequestHeads: { [PR]: "a".repeat(40) } });
    expect(await pullRequestHeadIs(GITHUB_TOKEN, DEFAULT_OWNER, DEFAULT_REPO, PR, "a".repeat(40), gh.url)).toBe(true);
    expect(await pullRequestHeadIs(GITHUB_TOKEN, DEFAULT_OWNER, DEFAULT_REPO, PR, "b".repeat(40), gh.url)).toBe(false);
  });
});
