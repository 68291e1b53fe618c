import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commentMarker, parseStamp } from "../src/comment/marker.js";
import { FakeGitHub, GITHUB_TOKEN, READONLY_TOKEN, DEFAULT_OWNER, DEFAULT_REPO } from "./fakes/github-server.js";
import { annotations, runAction } from "./helpers/action.js";

/** The built action commenting on pull requests, against the loopback GitHub fake. */

const MANIFEST = `version: 1
budget: 5
jobs:
  - id: hero
    model: fal-ai/flux/dev
    input: {prompt: "@octocat [click](https://evil.example) </details>", num_images: 2}
`;
const PR = 42;
const HEAD = "c0ffee".padEnd(40, "0");

let gh: FakeGitHub;
beforeEach(async () => {
  gh = await FakeGitHub.start({ pullRequestHeads: { [PR]: HEAD } });
});
afterEach(async () => {
  await gh.close();
});

function prRun(extra: { token?: string; runId?: string; inputs?: Record<string, string> } = {}) {
  return runAction({
    inputs: { "github-token": extra.token ?? GITHUB_TOKEN, ...extra.inputs },
    files: { "fal-jobs.yaml": MANIFEST },
    event: { name: "pull_request", payload: { number: PR, pull_request: { number: PR, head: { sha: HEAD } } } },
    env: { ...gh.env(), GITHUB_REPOSITORY: `${DEFAULT_OWNER}/${DEFAULT_REPO}`, GITHUB_RUN_ID: extra.runId ?? "1000" },
  });
}

describe("the built action on pull requests", () => {
  it("posts one estimate-only sticky comment and keeps it current across runs", async () => {
    const first = await prRun({ runId: "1000" });
    expect(first.code, first.stdout).toBe(0);
    const [c] = gh.commentsOn(PR);
    expect(c!.body.split("\n")[0]).toBe(commentMarker("default"));
    expect(c!.body).toMatch(/estimate only/i);
    expect(c!.body).toContain("$0.05");
    expect(first.outputs["comment-url"]).toMatch(new RegExp(`/${DEFAULT_OWNER}/${DEFAULT_REPO}/pull/${PR}#issuecomment-${c!.id}$`));

    // Same content from a later run: nothing is written. Changed content: the same comment is edited.
    await prRun({ runId: "1001" });
    expect(c!.history.map((h) => h.action)).toEqual(["created"]);
    const third = await prRun({ runId: "1002", inputs: { budget: "0.04" } });
    expect(third.code).toBe(1);
    expect(gh.commentsOn(PR)).toHaveLength(1);
    expect(c!.body).toMatch(/over budget/i);
    expect(parseStamp(c!.body)?.runId).toBe(1002);
  });

  it("every outcome updates the same comment: a manifest made invalid, a run that could not start, then fixed again", async () => {
    const ok = await prRun({ runId: "1000" });
    expect(ok.code, ok.stdout).toBe(0);
    const [c] = gh.commentsOn(PR);
    expect(c!.body).toMatch(/✅ fal-jobs: Within budget/);

    // A push breaks the manifest: the check fails, and the comment that said "within budget" now says why.
    const broken = await runAction({
      inputs: { "github-token": GITHUB_TOKEN },
      files: { "fal-jobs.yaml": MANIFEST.replace("model: fal-ai/flux/dev", "modle: fal-ai/flux/dev") },
      event: { name: "pull_request", payload: { number: PR, pull_request: { number: PR, head: { sha: HEAD } } } },
      env: { ...gh.env(), GITHUB_REPOSITORY: `${DEFAULT_OWNER}/${DEFAULT_REPO}`, GITHUB_RUN_ID: "1001" },
    });
    expect(broken.code).toBe(1);
    expect(gh.commentsOn(PR)).toHaveLength(1);
    expect(c!.history.map((h) => h.action)).toEqual(["created", "updated"]);
    expect(c!.body).not.toMatch(/Within budget/);
    expect(c!.body).toMatch(/❌ fal-jobs: Invalid manifest — nothing was estimated or submitted/);
    expect(c!.body).toContain("`fal-jobs.yaml:5:5`");
    // Our messages' `code` is shown as code.
    expect(c!.body).toContain("unknown key `modle` — did you mean `model`?");
    expect(parseStamp(c!.body)?.runId).toBe(1001);
    expect(broken.outputs["comment-url"]).toContain(String(c!.id));

    // A real run that cannot start (no key) says so too, in the same comment; no key or token reaches it.
    const noKey = await prRun({ runId: "1002", inputs: { "dry-run": "false", budget: "5" } });
    expect(noKey.code).toBe(1);
    expect(c!.body).toMatch(/❌ fal-jobs: Could not start[\s\S]*no fal key/);
    expect(c!.body).not.toContain(GITHUB_TOKEN);

    // So does a bad input, which stops the action before it reads the rest of them.
    const badInput = await prRun({ runId: "1003", inputs: { budget: "twenty" } });
    expect(badInput.code).toBe(1);
    expect(c!.body).toMatch(/❌ fal-jobs: Could not start[\s\S]*budget: not a USD amount: "twenty"/);
    expect(badInput.outputs["report-path"]).toMatch(/fal-jobs-report\.json$/);

    // Fixed: back to the estimate.
    await prRun({ runId: "1004" });
    expect(c!.body).toMatch(/✅ fal-jobs: Within budget/);
    expect(gh.commentsOn(PR)).toHaveLength(1);
  });

  it("neutralizes what the manifest says: no mention, link or closed markup reaches the comment", async () => {
    const evil = "images @octocat [x](https://evil.example) </details> <!-- fal-jobs-action:comment tag=default -->";
    const run = await runAction({
      inputs: { "github-token": GITHUB_TOKEN },
      files: { "fal-jobs.yaml": `${MANIFEST}  - {id: lora, model: acme/lora}\npricing:\n  acme/lora: {unit: ${JSON.stringify(evil)}, unit_price: 0.01}\n` },
      event: { name: "pull_request", payload: { pull_request: { number: PR } } },
      env: { ...gh.env(), GITHUB_REPOSITORY: `${DEFAULT_OWNER}/${DEFAULT_REPO}` },
    });
    // The unit is not one fal uses, so the run's cost is unknown and the gate fails; the comment says so.
    expect(run.code).toBe(1);
    const body = gh.commentsOn(PR)[0]!.body;
    expect(body).toContain("octocat");
    expect(body).not.toContain("</details> <!--");
    expect(body).not.toMatch(/(^|[^`])@octocat/);
    expect(body).not.toMatch(/\]\(https:\/\/evil/);
    expect(body.match(/<!-- fal-jobs-action:comment/g)).toHaveLength(1);
  });

  it("on a fork PR's read-only token: warns with the fix, still writes the summary, and does not fail the dry run", async () => {
    const run = await prRun({ token: READONLY_TOKEN });
    expect(run.code, run.stdout).toBe(0);
    expect(gh.commentsOn(PR)).toHaveLength(0);
    const warning = annotations(run.stdout, "warning").map((a) => a.message).join("\n");
    expect(warning).toMatch(/could not comment on PR #42/);
    expect(warning).toMatch(/workflow_run/);
    expect(run.summary).toContain("hero");
  });

  it("comment: off posts nothing", async () => {
    const run = await prRun({ inputs: { comment: "off" } });
    expect(run.code).toBe(0);
    expect(gh.commentsOn(PR)).toHaveLength(0);
    expect(gh.requests).toHaveLength(0);
  });

  it("push events write the job summary only", async () => {
    const run = await runAction({
      inputs: { "github-token": GITHUB_TOKEN },
      files: { "fal-jobs.yaml": MANIFEST },
      event: { name: "push", payload: { ref: "refs/heads/main" } },
      env: { ...gh.env(), GITHUB_REPOSITORY: `${DEFAULT_OWNER}/${DEFAULT_REPO}` },
    });
    expect(run.code).toBe(0);
    expect(run.summary).toContain("hero");
    expect(gh.requests).toHaveLength(0);
  });

  it("fork-safe pattern: an unprivileged run's report is posted by a workflow_run job only to the PR at that head", async () => {
    const unprivileged = await prRun({ inputs: { comment: "off" } });
    const reportPath = unprivileged.outputs["report-path"]!;
    const post = (headSha: string) =>
      runAction({
        inputs: { "github-token": GITHUB_TOKEN, report: reportPath },
        event: { name: "workflow_run", payload: { workflow_run: { head_sha: headSha, event: "pull_request" } } },
        env: { ...gh.env(), GITHUB_EVENT_NAME: "workflow_run", GITHUB_REPOSITORY: `${DEFAULT_OWNER}/${DEFAULT_REPO}`, GITHUB_RUN_ID: "2000" },
      });

    const wrongHead = await post("d".repeat(40));
    expect(wrongHead.code).toBe(0);
    expect(gh.commentsOn(PR)).toHaveLength(0);
    expect(annotations(wrongHead.stdout, "warning").map((a) => a.message).join("\n")).toMatch(/not at d{12}/);

    const ok = await post(HEAD);
    expect(ok.code, ok.stdout).toBe(0);
    expect(gh.commentsOn(PR)).toHaveLength(1);
    expect(ok.outputs["estimated-cost"]).toBe("0.05");
    // Post-only runs nothing at fal.
    expect(ok.stdout).not.toMatch(/submitted/);
  });

  it("fork-safe pattern with an invalid manifest: the unprivileged run still sets report-path, and the comment says why", async () => {
    const unprivileged = await runAction({
      inputs: { "github-token": READONLY_TOKEN, comment: "off" },
      files: { "fal-jobs.yaml": MANIFEST.replace("budget: 5", "budget: five") },
      event: { name: "pull_request", payload: { number: PR, pull_request: { number: PR, head: { sha: HEAD } } } },
      env: { ...gh.env(), GITHUB_REPOSITORY: `${DEFAULT_OWNER}/${DEFAULT_REPO}` },
    });
    expect(unprivileged.code).toBe(1);
    // The upload step (`path: ${{ steps.fal.outputs.report-path }}`, if: always()) has a file to upload.
    const reportPath = unprivileged.outputs["report-path"]!;
    expect(reportPath).toMatch(/fal-jobs-report\.json$/);
    const post = await runAction({
      inputs: { "github-token": GITHUB_TOKEN, report: reportPath },
      event: { name: "workflow_run", payload: { workflow_run: { head_sha: HEAD, event: "pull_request" } } },
      env: { ...gh.env(), GITHUB_EVENT_NAME: "workflow_run", GITHUB_REPOSITORY: `${DEFAULT_OWNER}/${DEFAULT_REPO}`, GITHUB_RUN_ID: "2000" },
    });
    // The comment carries the fork's problem; the posting step fails with it, as it does for any failing report.
    expect(post.code, post.stdout).toBe(1);
    const [c] = gh.commentsOn(PR);
    expect(c!.body).toMatch(/Invalid manifest[\s\S]*`fal-jobs\.yaml:2:9`[\s\S]*must be a number in USD[\s\S]*not the text "five"/);
    expect(post.outputs["report-path"]).toBe(reportPath);
    expect(post.outputs["estimated-cost"]).toBeUndefined();
  });
});
