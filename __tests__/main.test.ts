import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

/**
 * The action's wiring, in process (as actions/typescript-action tests its
 * main): inputs from the environment, the runner's side effects captured from
 * a mocked @actions/core. The end-to-end tests run the same through dist/.
 */

const runner = vi.hoisted(() => ({
  outputs: new Map<string, string>(),
  failed: [] as string[],
  warnings: [] as string[],
  errors: [] as Array<{ message: string; props: unknown }>,
  info: [] as string[],
}));

vi.mock("@actions/core", async (importOriginal) => {
  const real = await importOriginal<typeof import("@actions/core")>();
  return {
    ...real,
    setOutput: (name: string, value: string) => void runner.outputs.set(name, value),
    setFailed: (message: string | Error) => void runner.failed.push(String(message)),
    warning: (message: string | Error) => void runner.warnings.push(String(message)),
    error: (message: string | Error, props?: unknown) => void runner.errors.push({ message: String(message), props }),
    info: (message: string) => void runner.info.push(message),
    setSecret: () => {},
    startGroup: () => {},
    endGroup: () => {},
  };
});

let dir: string;
// One file for the whole file: @actions/core's summary keeps the path it first saw, as one runner step would.
const summaryFile = path.join(tmpdir(), `fal-main-summary-${process.pid}.md`);

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "fal-main-"));
  await writeFile(summaryFile, "");
  runner.outputs.clear();
  runner.failed.length = 0;
  runner.warnings.length = 0;
  runner.errors.length = 0;
  runner.info.length = 0;
  for (const [k, v] of Object.entries({
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_NAME: "push",
    GITHUB_EVENT_PATH: "",
    GITHUB_REPOSITORY: "acme/widgets",
    GITHUB_WORKSPACE: dir,
    FAL_KEY: "",
    FAL_ADMIN_KEY: "",
    GITHUB_TOKEN: "",
    // Nothing may reach a real host from a test.
    FAL_QUEUE_URL: "http://127.0.0.1:9",
    FAL_REST_URL: "http://127.0.0.1:9",
    FAL_API_URL: "http://127.0.0.1:9/v1",
    GITHUB_API_URL: "http://127.0.0.1:9",
    "INPUT_OUTPUT-DIR": path.join(dir, "out"),
    "INPUT_PRICE-SOURCE": "catalog",
    INPUT_COMMENT: "off",
  })) vi.stubEnv(k, v);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function runWith(inputs: Record<string, string>, manifest?: string): Promise<void> {
  if (manifest !== undefined) {
    await writeFile(path.join(dir, "fal-jobs.yaml"), manifest);
    vi.stubEnv("INPUT_MANIFEST", path.join(dir, "fal-jobs.yaml"));
  }
  for (const [k, v] of Object.entries(inputs)) vi.stubEnv(`INPUT_${k.toUpperCase()}`, v);
  const { run } = await import("../src/main.js");
  await run();
}

const HERO = `version: 1
jobs:
  - {id: hero, model: fal-ai/flux/dev, repeat: 2, input: {prompt: x, image_size: square_hd}}
`;

describe("main, in process", () => {
  it("a dry run within budget sets every output, writes the summary and does not fail", async () => {
    await runWith({ budget: "1" }, HERO);
    expect(runner.failed).toEqual([]);
    expect(Object.fromEntries(runner.outputs)).toMatchObject({ "estimated-cost": "0.05", budget: "1.00", "over-budget": "false", "billed-cost": "" });
    expect(JSON.parse(await readFile(runner.outputs.get("report-path")!, "utf8"))).toMatchObject({ mode: "estimate", verdict: "within-budget" });
    expect(await readFile(summaryFile, "utf8")).toMatch(/fal-jobs/);
  });

  it("over budget: the report is still written, then the step fails with the reason", async () => {
    await runWith({ budget: "0.01" }, HERO);
    expect(runner.outputs.get("over-budget")).toBe("true");
    expect(runner.failed).toHaveLength(1);
    expect(runner.failed[0]).toMatch(/estimated \$0\.05 exceeds the budget of \$0\.01/);
  });

  it("an invalid manifest is annotated at its line and column, and nothing is estimated", async () => {
    await runWith({ budget: "1" }, "version: 1\njobs:\n  - {id: hero, model: fal-ai/flux/dev, repeats: 2}\n");
    expect(runner.errors).toHaveLength(1);
    expect(runner.errors[0]).toMatchObject({ message: expect.stringMatching(/unknown key `repeats` — did you mean `repeat`/), props: { file: expect.stringMatching(/fal-jobs\.yaml$/), startLine: 3 } });
    expect(runner.outputs.has("estimated-cost")).toBe(false);
    expect(runner.failed[0]).toMatch(/nothing was estimated or submitted/);
    expect(await readFile(summaryFile, "utf8")).toMatch(/Invalid manifest/);
  });

  it("a real run without a key fails before anything is submitted", async () => {
    await runWith({ budget: "1", "dry-run": "false" }, HERO);
    expect(runner.failed[0]).toMatch(/no fal key.*Nothing was submitted/);
    // Only the report, which says why: no figure was estimated.
    expect([...runner.outputs.keys()]).toEqual(["report-path"]);
    const report = JSON.parse(await readFile(runner.outputs.get("report-path")!, "utf8")) as { mode: string; error: { kind: string; message: string } };
    expect(report.error).toMatchObject({ kind: "could-not-start", message: expect.stringMatching(/no fal key/) });
    expect(await readFile(summaryFile, "utf8")).toMatch(/Could not start[\s\S]*no fal key/);
  });

  it("a bad input value fails with the input's name", async () => {
    await runWith({ comment: "sometimes" }, HERO);
    expect(runner.failed[0]).toMatch(/comment must be one of/);
    // Still an outcome with a report that says so.
    const report = JSON.parse(await readFile(runner.outputs.get("report-path")!, "utf8")) as { error: { kind: string; message: string } };
    expect(report.error).toEqual(expect.objectContaining({ kind: "could-not-start", message: expect.stringMatching(/comment must be one of/) }));
  });

  it("post-only mode comments on the PR a report names only from a workflow_run event (whose head it checks)", async () => {
    await runWith({ budget: "1" }, HERO);
    const report = JSON.parse(await readFile(runner.outputs.get("report-path")!, "utf8")) as { context: Record<string, unknown> };
    report.context.pr_number = 7;
    const file = path.join(dir, "from-fork.json");
    await writeFile(file, JSON.stringify(report));
    runner.outputs.clear();
    vi.stubEnv("GITHUB_TOKEN", "ghs_test");
    await runWith({ report: file, comment: "update" });
    expect(runner.warnings.join("\n")).toMatch(/not commenting on PR #7 named by the report: post-only mode comments only from a workflow_run event/);
    expect(runner.outputs.get("report-path")).toBe(file);
    expect(runner.outputs.has("comment-url")).toBe(false);
    expect(runner.failed).toEqual([]);
  });

  it("post-only mode refuses a file that is not a report, and posts nothing", async () => {
    const file = path.join(dir, "r.json");
    await writeFile(file, JSON.stringify({ schema: "fal-jobs-report/v1" }));
    await runWith({ report: file });
    expect(runner.failed[0]).toMatch(/is not a valid fal-jobs report: .*Nothing was posted/);
  });
});
