import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "vitest";
import catalog from "../src/pricing/catalog.json" with { type: "json" };
import { TOOL_NAME, TOOL_VERSION } from "../src/version.js";
import type { EstimateReport } from "../src/report/model.js";
import { displayUsd, formatUsd } from "../src/util/money.js";
import { FAL_KEY, FakeFal } from "./fakes/fal.js";
import { CLI, COMPILE_CACHE_ENV, ROOT } from "./helpers/action.js";

/**
 * `fal-jobs` for people, through the built dist/cli.js: the text table, `validate`, `--help`, `--version` and the
 * exit codes (0 within budget, 1 over budget or cost unknown, 2 invalid manifest or usage, 3 internal error).
 * The JSON output is covered by pricing-live, e2e-input-limits and e2e-key-hygiene.
 */

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  dir: string;
}

async function cli(args: string[], files: Record<string, string> = {}, env: Record<string, string> = {}): Promise<CliRun> {
  const dir = await mkdtemp(path.join(tmpdir(), "fal-jobs-cli-"));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? "", ...COMPILE_CACHE_ENV, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  return { code, stdout, stderr, dir };
}

const AS_OF = catalog.as_of;

/** An override, a catalogued model and a model with no price but a max_cost: every source a table row can show. */
const MANIFEST = `version: 1
budget: 2
pricing:
  acme/image: {unit: images, unit_price: 0.02}
jobs:
  - id: hero
    model: acme/image
    input: {prompt: a, num_images: 2}
    repeat: 3
  - id: clip
    model: fal-ai/kling-video/v2.1/master/text-to-video
    input: {prompt: c, duration: "5"}
  - id: transcript
    model: fal-ai/whisper
    input: {audio_url: "https://example.com/a.mp3"}
    max_cost: 0.05
`;

const TABLE = [
  "JOB         MODEL                                         RUNS  UNITS × PRICE       ESTIMATED  SOURCE",
  "----------  --------------------------------------------  ----  ----------------  -----------  ------------------------------------",
  "hero        acme/image                                       3  6 images × $0.02        $0.12  manifest pricing",
  `clip        fal-ai/kling-video/v2.1/master/text-to-video     1  5 s × $0.28             $1.40  catalog ${AS_OF}`,
  "transcript  fal-ai/whisper                                   1  —                 $0.05 (max)  no price; max_cost from the manifest",
  "TOTAL                                                        5                          $1.57",
  "",
];
/** No lock beside the manifest yet: every run is new. */
const LOCK_LINE = "lock fal-jobs.lock.json (none yet): 5 new run(s) to spend on, 0 locked (already paid), 0 removed; whole manifest $1.57";
const PRICES_LINE = `prices: 1 override, 0 live, 1 catalog (${AS_OF}); live API skipped (price-source is catalog)`;

/** A schema problem, a rule the schema cannot express, a typo of a required key and a bad reference: all reported at once, top to bottom. */
const INVALID = `version: 1
budget: 1
jobs:
  - id: hero
    model: acme/image
    input: {prompt: a}
    repeat: -2
  - id: hero
    modle: acme/image
    input: {prompt: "\${{ matrix.animal }}"}
`;
const INVALID_ISSUES = [
  "fal-jobs.yaml:7:13: jobs[0].repeat: must be at least 1, not -2",
  'fal-jobs.yaml:8:9: jobs[1].id: duplicate job id "hero" (also jobs[0]): give each job its own id',
  "fal-jobs.yaml:9:5: jobs[1].modle: unknown key `modle` — did you mean `model`?",
  "fal-jobs.yaml:10:21: jobs[1].input.prompt: ${{ matrix.animal }} names no matrix axis (this job has no `matrix`): fix the name, or add the axis under `matrix:`",
  "4 problems in fal-jobs.yaml; nothing was estimated or run.",
];

const packageVersion = async () => (JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { name: string; version: string });

describe.concurrent("fal-jobs estimate, text output", () => {
  it("prints one row per job with runs, units × price, estimate and price source, then the total, verdict and prices", async ({ expect }) => {
    const run = await cli(["estimate", "--price-source", "catalog", "--budget", "5"], { "fal-jobs.yaml": MANIFEST });
    expect(run.stderr).toBe("");
    expect(run.stdout.split("\n")).toEqual([...TABLE, "WITHIN BUDGET: estimated $1.57, budget $2.00 (smaller of input and manifest)", LOCK_LINE, PRICES_LINE, ""]);
    expect(run.code).toBe(0);
  });

  it("over budget: says by how much, names the jobs that cost the most with their share, and exits 1", async ({ expect }) => {
    const run = await cli(["estimate", "plan.yaml", "--price-source", "catalog", "--budget", "1"], { "plan.yaml": MANIFEST });
    expect(run.stdout.split("\n")).toEqual([
      ...TABLE,
      "OVER BUDGET: estimated $1.57, budget $1.00 (smaller of input and manifest)",
      "  ✗ estimated $1.57 exceeds the budget of $1.00 by $0.57",
      LOCK_LINE,
      PRICES_LINE,
      "",
      "Biggest contributors to the estimate:",
      "  1.  clip        $1.40  89%  1 run",
      "  2.  hero        $0.12   8%  3 runs",
      "  3.  transcript  $0.05   3%  1 run, at most (max_cost)",
      "",
    ]);
    expect(run.code).toBe(1);
  });

  it("over budget with many jobs: the top three, equal costs in manifest order, the rest summed; a share under 1% says so", async ({ expect }) => {
    const job = (id: string, images: number) => `  - {id: ${id}, model: acme/image, input: {prompt: a, num_images: ${images}}}`;
    const many = ["version: 1", "budget: 1", "pricing:", "  acme/image: {unit: images, unit_price: 0.01}", "jobs:", job("a", 1), job("b", 100), job("c", 20), job("d", 20), job("e", 3)].join("\n");
    const run = await cli(["estimate", "--price-source", "catalog"], { "fal-jobs.yaml": many });
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n").slice(-7)).toEqual([
      "",
      "Biggest contributors to the estimate:",
      "  1.  b             $1.00  69%  1 run",
      "  2.  c             $0.20  14%  1 run",
      "  3.  d             $0.20  14%  1 run",
      "      2 other jobs  $0.04   3%",
      "",
    ]);
    const tiny = ["version: 1", "budget: 1", "pricing:", "  acme/image: {unit: images, unit_price: 0.001}", "jobs:", job("big", 2000), job("small", 1)].join("\n");
    const two = await cli(["estimate", "--price-source", "catalog"], { "fal-jobs.yaml": tiny });
    expect(two.stdout.split("\n").slice(-4)).toEqual(["Biggest contributors to the estimate:", "  1.  big     $2.00  100%  1 run", "  2.  small  $0.001   <1%  1 run", ""]);
  });

  it("names no contributors within budget, when the cost is unknown, or in --json", async ({ expect }) => {
    const within = await cli(["estimate", "--price-source", "catalog", "--budget", "5"], { "fal-jobs.yaml": MANIFEST });
    const unknown = await cli(["estimate", "--price-source", "catalog"], { "fal-jobs.yaml": `version: 1\nbudget: 100\njobs:\n  - {id: mystery, model: acme/unpriced, input: {prompt: x}}\n` });
    const json = await cli(["estimate", "--price-source", "catalog", "--budget", "1", "--json"], { "fal-jobs.yaml": MANIFEST });
    expect([within.code, unknown.code, json.code]).toEqual([0, 1, 1]);
    expect(JSON.parse(json.stdout)).toMatchObject({ verdict: "over-budget" });
    for (const run of [within, unknown, json]) expect(run.stdout).not.toContain("Biggest contributors");
  });

  it("a run it cannot price makes the cost unknown, which fails the gate (exit 1) rather than counting as $0", async ({ expect }) => {
    const manifest = `version: 1\nbudget: 100\njobs:\n  - {id: mystery, model: acme/unpriced, input: {prompt: x}}\n`;
    const run = await cli(["estimate", "--price-source", "catalog"], { "fal-jobs.yaml": manifest });
    expect(run.stdout.split("\n")).toEqual([
      "JOB      MODEL          RUNS  UNITS × PRICE  ESTIMATED  SOURCE",
      "-------  -------------  ----  -------------  ---------  --------",
      "mystery  acme/unpriced     1  —                unknown  no price",
      "TOTAL                      1                 $0.00 +1?",
      "",
      "COST UNKNOWN: estimated $0.00 + 1 run of unknown cost, budget $100.00 (from manifest)",
      expect.stringMatching(/^ {2}✗ cost of 1 run of job mystery \(acme\/unpriced\) is unknown: no price for acme\/unpriced: .* set `max_cost:` on the job/),
      "lock fal-jobs.lock.json (none yet): 1 new run(s) to spend on, 0 locked (already paid), 0 removed; whole manifest $0.00 + 1 of unknown cost",
      `prices: 0 override, 0 live, 0 catalog (${AS_OF}); live API skipped (price-source is catalog)`,
      "",
    ]);
    expect(run.code).toBe(1);
  });

  it("names the fal pricing API as the source of a live price, and says the live API answered", async ({ expect }) => {
    const fal = await FakeFal.start({ prices: { "fal-ai/flux/dev": { unit_price: 0.03, unit: "megapixels" } } });
    try {
      const manifest = `version: 1\nbudget: 1\njobs:\n  - {id: hero, model: fal-ai/flux/dev, input: {prompt: a, image_size: square_hd, num_images: 2}}\n`;
      const run = await cli(["estimate", "--price-source", "live"], { "fal-jobs.yaml": manifest }, { FAL_KEY, ...fal.env() });
      expect(run.stderr).toBe("");
      expect(run.stdout.split("\n")).toEqual([
        "JOB    MODEL            RUNS  UNITS × PRICE  ESTIMATED  SOURCE",
        "-----  ---------------  ----  -------------  ---------  ---------------",
        "hero   fal-ai/flux/dev     1  2 MP × $0.03       $0.06  fal pricing API",
        "TOTAL                      1                     $0.06",
        "",
        "WITHIN BUDGET: estimated $0.06, budget $1.00 (from manifest)",
        "lock fal-jobs.lock.json (none yet): 1 new run(s) to spend on, 0 locked (already paid), 0 removed; whole manifest $0.06",
        `prices: 0 override, 1 live, 0 catalog (${AS_OF}); live API ok`,
        "",
      ]);
      expect(run.code).toBe(0);
    } finally {
      await fal.close();
    }
  });
});

describe.concurrent("fal-jobs estimate against a base manifest", () => {
  // The base had no video job: the change is exactly that job's estimate.
  const BASE = MANIFEST.replace(/ {2}- id: clip\n(?: {4}.*\n)+/, "");

  it("prints the change against the base, in total and for each job that changed, and adds it to the JSON report", async ({ expect }) => {
    const json = await cli(["estimate", "--price-source", "catalog", "--json", "--base-manifest", "base.yaml"], { "fal-jobs.yaml": MANIFEST, "base.yaml": BASE });
    const report = JSON.parse(json.stdout) as EstimateReport;
    const clip = report.jobs.find((j) => j.id === "clip")!.estimated_nano;
    const [head, base] = [report.totals.estimated_nano, report.totals.estimated_nano - clip];
    expect(report.base).toMatchObject({ sha: null, source: "file", totals: { to_spend: { estimated_nano: base }, full: { estimated_nano: base } } });
    expect(report.base!.jobs.map((j) => j.id)).toEqual(["hero", "transcript"]);

    const text = await cli(["estimate", "--price-source", "catalog", "--base-manifest", "base.yaml"], { "fal-jobs.yaml": MANIFEST, "base.yaml": BASE });
    const change = `${displayUsd(base)} → ${displayUsd(head)}, +${displayUsd(clip)} (+${Math.round((clip / base) * 100)}%)`;
    expect(text.stdout).toContain(`\nagainst the base: to spend ${change}; full ${change}\n  clip (added): to spend +${displayUsd(clip)} (from $0); full +${displayUsd(clip)} (from $0)\nprices:`);
    expect(text.code).toBe(0);
  });

  it("--fail-on-increase exits 1 above the limit, naming the figure and the rise; 0 within it", async ({ expect }) => {
    const files = { "fal-jobs.yaml": MANIFEST, "base.yaml": BASE };
    const report = JSON.parse((await cli(["estimate", "--price-source", "catalog", "--json", "--base-manifest", "base.yaml"], files)).stdout) as EstimateReport;
    const clip = report.jobs.find((j) => j.id === "clip")!.estimated_nano;
    const over = await cli(["estimate", "--price-source", "catalog", "--base-manifest", "base.yaml", "--fail-on-increase", formatUsd(clip - 1000)], files); // a millionth of a dollar below
    expect(over.code).toBe(1);
    expect(over.stdout).toContain(`  ✗ this pull request raises the to-spend estimate (new runs) by +${displayUsd(clip)}`);
    expect((await cli(["estimate", "--price-source", "catalog", "--base-manifest", "base.yaml", "--fail-on-increase", formatUsd(clip)], files)).code).toBe(0);
    // A base file that does not exist is an empty manifest: every dollar is an increase.
    const fromNothing = await cli(["estimate", "--price-source", "catalog", "--base-manifest", "missing.yaml", "--fail-on-increase", "50%"], files);
    expect(fromNothing.code).toBe(1);
    expect(fromNothing.stdout).toMatch(/against the base \(missing\.yaml did not exist \(an empty manifest: \$0\)\)/);
  });

  it("refuses --fail-on-increase or --base-lock without --base-manifest, and a limit that is neither USD nor a percentage (exit 2)", async ({ expect }) => {
    for (const [args, message] of [
      [["--fail-on-increase", "5"], /--fail-on-increase needs --base-manifest FILE/],
      [["--base-lock", "l.json"], /--base-lock needs --base-manifest FILE/],
      [["--base-manifest", "b.yaml", "--fail-on-increase", "lots"], /--fail-on-increase: not an amount or a percentage: "lots"/],
    ] as const) {
      const run = await cli(["estimate", "--price-source", "catalog", ...args], { "fal-jobs.yaml": MANIFEST });
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});

describe.concurrent("fal-jobs validate", () => {
  it("a valid manifest: one line with the job and run counts, exit 0", async ({ expect }) => {
    const run = await cli(["validate"], { "fal-jobs.yaml": MANIFEST });
    expect(run).toMatchObject({ code: 0, stdout: "fal-jobs.yaml: valid — 3 job(s), 5 run(s)\n", stderr: "" });
  });

  it("an invalid manifest: every problem as file:line:col on stderr, nothing on stdout, exit 2", async ({ expect }) => {
    const run = await cli(["validate", "fal-jobs.yaml"], { "fal-jobs.yaml": INVALID });
    expect(run.stderr.split("\n")).toEqual([...INVALID_ISSUES, ""]);
    expect(run.stdout).toBe("");
    expect(run.code).toBe(2);
  });

  it("a YAML syntax error: in plain words, at the line to change, exit 2", async ({ expect }) => {
    const run = await cli(["validate"], { "fal-jobs.yaml": "version: 1\njobs:\n  - id: hero\n    model: fal-ai/flux/dev\n     repeat: 2\n" });
    expect(run.stderr.split("\n")).toEqual([
      "fal-jobs.yaml:5:6: YAML: this line starts at column 6, but `model:` on line 4 starts at column 5: keys of one map start in the same column (a nested map or list goes further in, under a key with nothing after its colon)",
      "1 problem in fal-jobs.yaml; nothing was estimated or run.",
      "",
    ]);
    expect(run).toMatchObject({ code: 2, stdout: "" });
  });

  it("estimate refuses the same manifest the same way (exit 2), and so does a missing file", async ({ expect }) => {
    const invalid = await cli(["estimate", "--price-source", "catalog"], { "fal-jobs.yaml": INVALID });
    expect(invalid).toMatchObject({ code: 2, stdout: "", stderr: `${INVALID_ISSUES.join("\n")}\n` });
    const missing = await cli(["validate", "nowhere.yaml"]);
    expect(missing.stderr).toMatch(/^nowhere\.yaml:1:1: file not found/);
    expect(missing.code).toBe(2);
  });
});

describe.concurrent("fal-jobs usage, help, version and exit codes", () => {
  it("--version prints the version in package.json, which src/version.ts must match", async ({ expect }) => {
    const pkg = await packageVersion();
    expect(TOOL_VERSION).toBe(pkg.version);
    expect(TOOL_NAME).toBe(pkg.name);
    for (const flag of ["--version", "-v"]) expect(await cli([flag])).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  it("--help prints the usage with the exit codes on stdout and exits 0; no command prints it and exits 2", async ({ expect }) => {
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe("");
    expect(help.stdout).toMatch(new RegExp(`^fal-jobs ${TOOL_VERSION.replaceAll(".", "\\.")} — `));
    for (const line of [
      "  fal-jobs estimate [manifest]",
      "  fal-jobs validate [manifest]",
      "  fal-jobs schema",
      "--budget sets a budget or lowers the manifest's: with both, the smaller applies (it can never raise the manifest's).",
      "Exit codes: 0 within budget, 1 over budget or cost unknown, 2 invalid manifest or usage, 3 internal error.",
    ]) {
      expect(help.stdout).toContain(line);
    }
    expect(await cli(["-h"])).toMatchObject({ code: 0, stdout: help.stdout });
    expect(await cli([])).toMatchObject({ code: 2, stdout: help.stdout });
  });

  it("usage errors name the problem, print the usage on stderr and exit 2", async ({ expect }) => {
    const cases: Array<[string[], RegExp]> = [
      [["frobnicate"], /^fal-jobs: unknown command "frobnicate"\n\nfal-jobs .* — /],
      [["estimate", "--budget", "abc"], /^fal-jobs: not a USD amount: "abc"/],
      [["estimate", "--price-source", "cheapest"], /^fal-jobs: .*cheapest/],
      [["estimate", "--no-such-flag"], /^fal-jobs: .*no-such-flag/],
      [["estimate", "a.yaml", "b.yaml"], /^fal-jobs: give at most one manifest/],
    ];
    for (const [args, stderr] of cases) {
      const run = await cli(args, { "fal-jobs.yaml": MANIFEST });
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toMatch(stderr);
      expect(run.stderr, args.join(" ")).toContain("Exit codes:");
      expect(run.stdout, args.join(" ")).toBe("");
    }
  });

  it("an unexpected failure (here the --report file cannot be written) is an internal error: exit 3, never 0", async ({ expect }) => {
    const run = await cli(["estimate", "--price-source", "catalog", "--report", "no-such-dir/report.json"], { "fal-jobs.yaml": MANIFEST });
    expect(run.stderr).toMatch(/^fal-jobs: internal error: Error: ENOENT: no such file or directory/);
    expect(run.stdout).toBe("");
    expect(run.code).toBe(3);
  });
});
