import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/action.js";
import { checkWorkflows as check } from "./helpers/check-workflows.js";

/**
 * scripts/check-workflows.mjs, which .ci/run runs: GitHub runs no job of a workflow that is not valid YAML, actionlint
 * catches what YAML alone cannot, and a README snippet is a workflow someone will copy.
 */

describe("the workflow check", () => {
  it("passes the repository's workflows, action.yml and every yaml block of the README", async () => {
    const res = check();
    expect(res.stderr).toBe("");
    expect(res.stdout).toMatch(/\.github\/workflows\/ci\.yml/);
    expect(res.stdout).toMatch(/action\.yml/);
    const readme = (await readFile(path.join(ROOT, "README.md"), "utf8")).split("\n");
    const blocks = readme.flatMap((line, i) => (/^```ya?ml\b/.test(line) ? [`README.md:${i + 2}`] : []));
    expect(blocks.length).toBeGreaterThan(4);
    for (const block of blocks) expect(res.stdout).toContain(block);
    expect(res.status).toBe(0);
  });

  it("fails on an unquoted `run:` value holding \": \" (the line that once disabled ci.yml), a duplicate key, or no jobs", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "workflows-"));
    await mkdir(path.join(dir, "wf"));
    const head = "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n";
    await writeFile(path.join(dir, "wf/colon.yml"), `${head}      - run: echo "estimated $ESTIMATED, over budget: $OVER"\n`);
    await writeFile(path.join(dir, "wf/duplicate.yaml"), `${head}      - run: echo one\n        run: echo two\n`);
    await writeFile(path.join(dir, "wf/nojobs.yml"), "name: x\non: push\n");
    await writeFile(path.join(dir, "wf/fine.yml"), `${head}      - run: |\n          echo "estimated $ESTIMATED, over budget: $OVER"\n`);
    const res = check(path.join(dir, "wf"));
    expect(res.status).toBe(1);
    const lines = res.stderr.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/colon\.yml:7:14: Nested mappings are not allowed in compact mappings$/);
    expect(lines[1]).toMatch(/duplicate\.yaml:8:9: Map keys must be unique/);
    expect(lines[2]).toMatch(/nojobs\.yml:1:1: no top-level "jobs"$/);
  });

  it("lints workflows with actionlint: an unknown event, a job that needs a missing job, an undefined context", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "workflows-"));
    const file = path.join(dir, "lint.yml");
    await writeFile(file, "on: pull_requests\njobs:\n  a:\n    needs: build\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secret.FAL_KEY }}\n");
    const res = check(file);
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/lint\.yml:1:5: unknown Webhook event "pull_requests".* \[events\]$/),
      expect.stringMatching(/lint\.yml:3:3: job "a" needs job "build" which does not exist in this workflow \[job-needs\]$/),
      expect.stringMatching(/lint\.yml:7:\d+: undefined variable "secret"\. .* \[expression\]$/),
    ]);
  });

  it("catches a broken Markdown snippet at its line in the Markdown file: inputs and outputs this action lacks, a fragment, a lint error in a list of steps", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "workflows-"));
    const guide = [
      "# A guide", // 1
      "", // 2
      "```yaml", // 3
      "on: pull_request", // 4
      "jobs:", // 5
      "  estimate:", // 6
      "    runs-on: ubuntu-latest", // 7
      "    steps:", // 8
      "      - id: fal", // 9
      "        uses: someone/fal-jobs-action@v1", // 10
      "        with:", // 11
      '          budgte: "25"', // 12
      '      - run: echo "$COST"', // 13
      "        env:", // 14
      "          COST: ${{ steps.fal.outputs.billed-costs }}", // 15
      "```", // 16
      "", // 17
      "```yaml", // 18
      "- uses: someone/fal-jobs-action@0123456789abcdef0123456789abcdef01234567 # v1.2.3", // 19
      "```", // 20
      "", // 21
      "```yaml steps", // 22
      "- uses: someone/fal-jobs-action@v1", // 23
      '  with: {dryrun: "false"}', // 24
      "- run: echo ${{ secret.FAL_KEY }}", // 25
      "```", // 26
      "", // 27
      "```yaml", // 28
      "version: 1", // 29
      "jobs:", // 30
      "  - {id: a, model: acme/image, input: {prompt: a}}", // 31
      "```", // 32
    ];
    await writeFile(path.join(dir, "guide.md"), `${guide.join("\n")}\n`);
    const res = check(path.join(dir, "guide.md"));
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/guide\.md:12:11: input "budgte" is not an input of this action \(action\.yml has manifest, dry-run, budget, /),
      expect.stringMatching(/guide\.md:15:21: output "billed-costs" is not an output of this action \(action\.yml has estimated-cost, /),
      expect.stringMatching(/guide\.md:19:1: this yaml block is not a whole workflow \(it needs `on:` and `jobs:`\): complete it, or open a list of steps with ```yaml steps$/),
      expect.stringMatching(/guide\.md:24:10: input "dryrun" is not an input of this action/),
      expect.stringMatching(/guide\.md:25:\d+: undefined variable "secret"\. .* \[expression\]$/),
    ]);
  });

  it("passes this action used by tag, by full commit SHA, and as a list of steps; a fal-jobs manifest block is left alone", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "workflows-"));
    const workflow = (uses: string) =>
      ["```yaml", "on: pull_request", "jobs:", "  estimate:", "    runs-on: ubuntu-latest", "    steps:", "      - id: fal", `        uses: ${uses}`, "        with:", '          budget: "25"', "      - run: echo \"$COST\"", "        env:", "          COST: ${{ steps.fal.outputs.estimated-cost }}", "```"].join("\n");
    const steps = ["```yaml steps", "- uses: fal-jobs-action/fal-jobs-action@0123456789abcdef0123456789abcdef01234567 # v1.2.3", '  with: {price-source: live, fal-key: "${{ secrets.FAL_KEY }}"}', "```"].join("\n");
    const manifest = ["```yaml", "version: 1", "jobs:", "  - {id: a, model: acme/image, input: {prompt: a}}", "```"].join("\n");
    await writeFile(path.join(dir, "ok.md"), [workflow("fal-jobs-action/fal-jobs-action@v1"), workflow("someone/fal-jobs-action@0123456789abcdef0123456789abcdef01234567 # v1.2.3"), steps, manifest].join("\n\n"));
    const res = check(path.join(dir, "ok.md"));
    expect(res.stderr).toBe("");
    expect(res.stdout).toMatch(/^4 checked, no problems: .*ok\.md:2, .*ok\.md:17, .*ok\.md:32, .*ok\.md:37\n$/);
    expect(res.status).toBe(0);
  });

  it("a step that may run for real needs a concurrency group that never cancels it, on its job or else its workflow", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "workflows-"));
    const workflow = (top: string, job: string, dryRun: string) =>
      `on: push\n${top}jobs:\n  a:\n    runs-on: ubuntu-latest\n${job}    steps:\n      - uses: ./\n        with:\n          dry-run: ${dryRun}\n`;
    const cases: Record<string, string> = {
      "none.yml": workflow("", "", '"false"'),
      "cancelling.yml": workflow("concurrency: {group: g, cancel-in-progress: true}\n", "", "false"),
      "job-cancels.yml": workflow("concurrency: {group: g, cancel-in-progress: false}\n", "    concurrency: {group: j, cancel-in-progress: true}\n", '"false"'),
      "expression.yml": workflow("", "", "${{ github.event_name == 'push' && 'false' || 'true' }}"),
      "ok-workflow.yml": workflow("concurrency:\n  group: g\n  cancel-in-progress: false\n", "", '"false"'),
      "ok-job.yml": workflow("", "    concurrency: j\n", '"false"'),
      "ok-dry.yml": workflow("", "", '"true"'),
    };
    await mkdir(path.join(dir, "wf"));
    for (const [name, text] of Object.entries(cases)) await writeFile(path.join(dir, "wf", name), text);
    const res = check(path.join(dir, "wf"));
    expect(res.status).toBe(1);
    const lines = res.stderr.trim().split("\n");
    expect(lines.map((l) => /([\w-]+\.yml):(\d+):(\d+): /.exec(l)?.slice(1).join(":"))).toEqual(["cancelling.yml:9:11", "expression.yml:8:11", "job-cancels.yml:10:11", "none.yml:8:11"]);
    for (const line of lines) expect(line).toMatch(/: a real run \(dry-run not "true"\) needs `concurrency:` with `cancel-in-progress: false` on its workflow or job: otherwise two quick pushes start two paid batches at once$/);
  });
});
