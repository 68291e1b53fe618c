import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeArtifactServer } from "./fakes/artifact-server.js";
import { FAL_ADMIN_KEY, FAL_KEY, FakeFal } from "./fakes/fal.js";
import { DEFAULT_OWNER, DEFAULT_REPO, FakeGitHub, GITHUB_TOKEN } from "./fakes/github-server.js";
import { displayUsd, toNano } from "../src/util/money.js";
import { runAction } from "./helpers/action.js";

/** A real run on a pull_request event, through dist/index.js: the comment a reviewer sees. */

let fal: FakeFal;
let artifacts: FakeArtifactServer;
let gh: FakeGitHub;
beforeEach(async () => {
  fal = await FakeFal.start({ prices: { "fal-ai/flux/dev": { unit_price: 0.025, unit: "megapixels" } } });
  artifacts = await FakeArtifactServer.start();
  gh = await FakeGitHub.start();
});
afterEach(async () => {
  await Promise.all([fal.close(), artifacts.close(), gh.close()]);
});

const PR = 9;
const MANIFEST = `version: 1
budget: 2
jobs:
  - id: hero
    model: fal-ai/flux/dev
    input: {prompt: "a city", image_size: square_hd, num_images: 2}
    repeat: 2
  - id: broken
    model: fal-ai/flux/dev
    input: {prompt: "@octocat <b>x</b>", num_images: 1}
`;

describe("the built action, real run on a pull request", () => {
  it("comments estimated versus billed per job and in total, with sources, the failure and the artifact", async () => {
    // fal bills 3 MP for each hero run (the estimate says 2), and fails the broken job with a 422 it bills 1 MP for.
    fal.setModel("fal-ai/flux/dev", {
      latencyMs: 10,
      outcome: ({ input, fake, requestId }) =>
        String(input.prompt).includes("octocat")
          ? { httpError: { status: 422, body: { detail: [{ loc: ["body", "prompt"], msg: "prompt flagged by [the filter](https://evil.example) @octocat", type: "content_policy_violation" }] } }, billableUnits: 1 }
          : { output: { images: [0, 1].map((i) => ({ url: `${fake.url}/cdn/${requestId}/${i}.png`, content_type: "image/png", width: 1024, height: 1024 })) }, billableUnits: 3 },
    });
    const run = await runAction({
      inputs: { "dry-run": "false", "fal-key": FAL_KEY, "fal-admin-key": FAL_ADMIN_KEY, "github-token": GITHUB_TOKEN, "billing-timeout": "10" },
      files: { "fal-jobs.yaml": MANIFEST },
      event: { name: "pull_request", payload: { pull_request: { number: PR } } },
      env: { ...fal.env(), ...artifacts.env(), ...gh.env(), GITHUB_REPOSITORY: `${DEFAULT_OWNER}/${DEFAULT_REPO}` },
    });
    // One run failed, so the step fails, after reporting everything.
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ "estimated-cost": "0.125", "billed-cost": "0.175", "over-budget": "false", "artifact-id": expect.stringMatching(/^\d+$/) });
    expect(run.outputs["comment-url"]).toMatch(/#issuecomment-\d+$/);

    const comments = gh.commentsOn(PR);
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    // Per job: estimated, billed and status; where the billed figures came from, once, in the footnote.
    // fal billed 3 MP a run where 2 were estimated: marked, and said so in the footnote.
    expect(body).toMatch(/^\| hero<br>[^\n]*\| \$0\.10 \| \$0\.15 † \| /m);
    expect(body).toContain("† billed more than estimated for some of the job's runs");
    expect(body).toMatch(/^\| broken<br>[^\n]*\| \$0\.025 \| \$0\.025 \| /m);
    expect(body).toContain("Billed: fal's billing events");
    // Totals, as people read them (the outputs keep every digit), and the artifact link.
    const [estimated, billed] = [displayUsd(toNano(Number(run.outputs["estimated-cost"]))), displayUsd(toNano(Number(run.outputs["billed-cost"])))];
    expect(body).toMatch(new RegExp(`^\\| \\*\\*New runs\\*\\* \\| 3 \\| \\${estimated} \\| \\*\\*\\${billed}\\*\\* \\|`, "m"));
    expect(body).toContain(run.outputs["artifact-url"]);
    // fal's error, escaped: no link, no mention.
    expect(body).toMatch(/flagged/);
    expect(body).not.toMatch(/\]\(https:\/\/evil/);
    expect(body).not.toMatch(/(^|[^`\u200B])@octocat/);
    // Nothing secret in the comment or the summary.
    for (const secret of [FAL_KEY, FAL_ADMIN_KEY, GITHUB_TOKEN]) {
      expect(body).not.toContain(secret);
      expect(run.summary).not.toContain(secret);
    }
    expect(run.summary).toContain(`**Billed ${billed} for 3 new runs`);
  });

  it("after a push (the merge), comments estimated versus billed on the pull request the commit came from", async () => {
    const merge = "a1".repeat(20);
    await gh.close();
    gh = await FakeGitHub.start({ commitPullRequests: { [merge]: [{ number: 3 }, { number: PR, merged: merge }] } });
    fal.setModel("fal-ai/flux/dev", { latencyMs: 10 });
    const manifest = `version: 1\nbudget: 1\njobs:\n  - {id: hero, model: fal-ai/flux/dev, input: {prompt: "a city", image_size: square_hd}}\n`;
    const run = await runAction({
      inputs: { "dry-run": "false", "fal-key": FAL_KEY, "github-token": GITHUB_TOKEN },
      files: { "fal-jobs.yaml": manifest },
      env: { ...fal.env(), ...artifacts.env(), ...gh.env(), GITHUB_REPOSITORY: `${DEFAULT_OWNER}/${DEFAULT_REPO}`, GITHUB_EVENT_NAME: "push", GITHUB_SHA: merge },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain(`came from pull request #${PR}`);
    // On the merged pull request, not on the open one that also contains the commit.
    expect(gh.commentsOn(3)).toHaveLength(0);
    const [comment] = gh.commentsOn(PR);
    expect(comment!.body).toMatch(/Run complete, within budget/);
    expect(comment!.body, comment!.body).toMatch(/Billed \$0\.0\d+/);

    // A commit pushed straight to the branch has no pull request: the summary has the report, and nothing is posted.
    const direct = await runAction({
      inputs: { "dry-run": "false", "fal-key": FAL_KEY, "github-token": GITHUB_TOKEN, lock: "off" },
      files: { "fal-jobs.yaml": manifest },
      env: { ...fal.env(), ...artifacts.env(), ...gh.env(), GITHUB_REPOSITORY: `${DEFAULT_OWNER}/${DEFAULT_REPO}`, GITHUB_EVENT_NAME: "push", GITHUB_SHA: "b2".repeat(20) },
    });
    expect(direct.code, direct.stdout).toBe(0);
    expect(direct.stdout).toMatch(/no pull request merged as commit b2b2b2b2b2b2/);
    expect(gh.commentsOn(PR)).toHaveLength(1);
  });
});

