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
/** acme/image is in no catalog: without a key its id cannot be checked, and nothing knows its inputs. */
const UNCHECKED_ID = "  ! acme/image is in no catalog, so its id was not checked (no fal key): it is priced by the manifest alone. To check it, run `fal-jobs catalog update` with FAL_KEY set and commit fal-jobs.catalog.json";
const UNCHECKED_INPUTS = "inputs not checked (no input schema known for the model): hero (acme/image)";

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
    expect(run.stdout.split("\n")).toEqual([...TABLE, "WITHIN BUDGET: estimated $1.57, budget $2.00 (smaller of --budget and manifest)", UNCHECKED_ID, LOCK_LINE, PRICES_LINE, UNCHECKED_INPUTS, ""]);
    expect(run.code).toBe(0);
  });

  it("over budget: says by how much, names the jobs that cost the most with their share, and exits 1", async ({ expect }) => {
    const run = await cli(["estimate", "plan.yaml", "--price-source", "catalog", "--budget", "1"], { "plan.yaml": MANIFEST });
    expect(run.stdout.split("\n")).toEqual([
      ...TABLE,
      "OVER BUDGET: estimated $1.57, budget $1.00 (smaller of --budget and manifest)",
      "  ✗ estimated $1.57 exceeds the budget of $1.00 by $0.57",
      UNCHECKED_ID,
      LOCK_LINE,
      PRICES_LINE,
      UNCHECKED_INPUTS,
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
    const unknown = await cli(["estimate", "--price-source", "catalog"], { "fal-jobs.yaml": `version: 1\nbudget: 100\njobs:\n  - {id: mystery, model: fal-ai/whisper, input: {audio_url: "https://example.com/a.mp3"}}\n` });
    const json = await cli(["estimate", "--price-source", "catalog", "--budget", "1", "--json"], { "fal-jobs.yaml": MANIFEST });
    expect([within.code, unknown.code, json.code]).toEqual([0, 1, 1]);
    expect(JSON.parse(json.stdout)).toMatchObject({ verdict: "over-budget" });
    for (const run of [within, unknown, json]) expect(run.stdout).not.toContain("Biggest contributors");
  });

  it("a run it cannot price makes the cost unknown, which fails the gate (exit 1) rather than counting as $0", async ({ expect }) => {
    // Whisper is billed by compute seconds: the catalog knows the model, not what a run will cost.
    const manifest = `version: 1\nbudget: 100\njobs:\n  - {id: mystery, model: fal-ai/whisper, input: {audio_url: "https://example.com/a.mp3"}}\n`;
    const run = await cli(["estimate", "--price-source", "catalog"], { "fal-jobs.yaml": manifest });
    expect(run.stdout.split("\n")).toEqual([
      "JOB      MODEL           RUNS  UNITS × PRICE  ESTIMATED  SOURCE",
      "-------  --------------  ----  -------------  ---------  --------",
      "mystery  fal-ai/whisper     1  —                unknown  no price",
      "TOTAL                       1                 $0.00 +1?",
      "",
      "COST UNKNOWN: estimated $0.00 + 1 run of unknown cost, budget $100.00 (from manifest)",
      expect.stringMatching(/^ {2}✗ cost of 1 run of job mystery \(fal-ai\/whisper\) is unknown: fal-ai\/whisper has no fixed price .* set `max_cost:` on the job/),
      "lock fal-jobs.lock.json (none yet): 1 new run(s) to spend on, 0 locked (already paid), 0 removed; whole manifest $0.00 + 1 of unknown cost",
      `prices: 0 override, 0 live, 0 catalog (${AS_OF}); live API skipped (price-source is catalog)`,
      "",
    ]);
    expect(run.code).toBe(1);
  });

  it("a model no catalog knows is an error at its line, with the id it most likely meant; nothing is estimated (exit 2)", async ({ expect }) => {
    const manifest = `version: 1\nbudget: 100\njobs:\n  - {id: typo, model: fal-ai/flux-dev, input: {prompt: x}}\n  - {id: mystery, model: acme/unpriced, input: {prompt: x}}\n`;
    const run = await cli(["estimate", "--price-source", "catalog"], { "fal-jobs.yaml": manifest });
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n")).toEqual([
      expect.stringMatching(/^fal-jobs\.yaml:4:23: jobs\[0\]\.model: unknown model `fal-ai\/flux-dev` — did you mean `fal-ai\/flux\/dev`\?/),
      expect.stringMatching(/^fal-jobs\.yaml:5:26: jobs\[1\]\.model: unknown model `acme\/unpriced`: .*run `fal-jobs catalog update` with FAL_KEY set and commit fal-jobs\.catalog\.json.*`pricing:` entry or the job a `max_cost:`$/),
      "2 problems in fal-jobs.yaml; nothing was estimated or run.",
      "",
    ]);
    expect(run.code).toBe(2);
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
    expect(over.stdout).toContain(`  ✗ this manifest raises the to-spend estimate (new runs) by +${displayUsd(clip)}`);
    expect((await cli(["estimate", "--price-source", "catalog", "--base-manifest", "base.yaml", "--fail-on-increase", formatUsd(clip)], files)).code).toBe(0);
    // A base file that does not exist is an empty manifest: every dollar is an increase.
    const fromNothing = await cli(["estimate", "--price-source", "catalog", "--base-manifest", "missing.yaml", "--fail-on-increase", "50%"], files);
    expect(fromNothing.code).toBe(1);
    expect(fromNothing.stdout).toMatch(/against the base \(missing\.yaml did not exist \(an empty manifest: \$0\)\)/);
  });

  it("--fail-on-increase with a base manifest that is not valid exits 1, in CLI words: which flag, what to fix", async ({ expect }) => {
    const run = await cli(["estimate", "--price-source", "catalog", "--base-manifest", "base.yaml", "--fail-on-increase", "5"], { "fal-jobs.yaml": MANIFEST, "base.yaml": "version: 1\njobs: nope\n" });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ {2}✗ --fail-on-increase \(\+\$5\.00\) needs the estimate of the base \(--base-manifest\), which could not be made: the manifest there is not valid: base\.yaml:2:7: .* Fix the base manifest, or leave out --fail-on-increase$/m);
    expect(run.stdout).toContain("so the manifest's change in cost is not shown");
    expect(run.stdout).not.toMatch(/pull request|contents: read|fetch-depth/);
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

  it("usage errors name the problem and the command's usage on stderr, nothing on stdout, and exit 2; a typo gets a did-you-mean", async ({ expect }) => {
    const cases: Array<[string[], RegExp, string]> = [
      [["frobnicate"], /^fal-jobs: unknown command "frobnicate"\n/, "fal-jobs --help lists the commands."],
      [["estimat"], /^fal-jobs: unknown command "estimat" — did you mean estimate\?\n/, "fal-jobs --help lists the commands."],
      [["lock", "check"], /^fal-jobs: lock takes verify \(got "check"\): fal-jobs lock verify <dir>\n/, "fal-jobs --help lists the commands."],
      [["estimate", "--budget", "abc"], /^fal-jobs: --budget: not a USD amount: "abc"/, "Usage: fal-jobs estimate [manifest] [options] (fal-jobs estimate --help for more)"],
      [["estimate", "--budget"], /^fal-jobs: --budget needs a value: --budget USD\n/, "Usage: fal-jobs estimate"],
      [["estimate", "--price-source", "cheapest"], /^fal-jobs: --price-source must be auto, live or catalog \(got "cheapest"\)\n/, "Usage: fal-jobs estimate"],
      [["estimate", "--bugdet", "5"], /^fal-jobs: estimate has no option --bugdet — did you mean --budget\? \(see fal-jobs estimate --help\)\n/, "Usage: fal-jobs estimate"],
      [["run", "--dealine", "5m"], /^fal-jobs: run has no option --dealine — did you mean --deadline\?/, "Usage: fal-jobs run"],
      [["estimate", "--no-such-flag"], /^fal-jobs: estimate has no option --no-such-flag \(see fal-jobs estimate --help\)\n/, "Usage: fal-jobs estimate"],
      [["estimate", "--json=yes"], /^fal-jobs: --json is a switch and takes no value\n/, "Usage: fal-jobs estimate"],
      [["estimate", "a.yaml", "b.yaml"], /^fal-jobs: estimate takes at most 1 argument \(\[manifest\] \[options\]\); got "b\.yaml" too\n/, "Usage: fal-jobs estimate"],
      [["schema", "config"], /^fal-jobs: schema takes manifest, report, lock or catalog \(got "config"\)\n/, "Usage: fal-jobs schema [manifest|report|lock|catalog]"],
      [["help", "frobnicate"], /^fal-jobs: unknown command "frobnicate"\n/, "fal-jobs --help lists the commands."],
    ];
    for (const [args, stderr, hint] of cases) {
      const run = await cli(args, { "fal-jobs.yaml": MANIFEST });
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toMatch(stderr);
      expect(run.stderr.trimEnd().split("\n").at(-1), args.join(" ")).toContain(hint);
      expect(run.stdout, args.join(" ")).toBe("");
    }
  });

  it("every command's --help (and -h, and `fal-jobs help <command>`) prints its usage, arguments, options and exit codes on stdout, exit 0", async ({ expect }) => {
    const commands = ["estimate", "run", "validate", "models", "init", "lock verify", "schema"];
    const list = (await cli(["--help"])).stdout;
    for (const name of commands) {
      const words = name.split(" ");
      const help = await cli([...words, "--help"]);
      expect(help, name).toMatchObject({ code: 0, stderr: "" });
      expect(help.stdout, name).toMatch(new RegExp(`^Usage: fal-jobs ${name} `));
      expect(help.stdout, name).toContain("\nOptions:\n");
      expect(help.stdout, name).toContain("  -h, --help ");
      expect(help.stdout, name).toMatch(/\nExit codes: 0 [^]+\n$/);
      // No help line is wider than a 100-column terminal.
      expect(Math.max(...help.stdout.split("\n").map((l) => [...l].length)), name).toBeLessThanOrEqual(100);
      expect(await cli([...words, "-h"]), name).toMatchObject({ code: 0, stdout: help.stdout });
      expect(await cli(["help", ...words]), name).toMatchObject({ code: 0, stdout: help.stdout });
      // The command list names it with its arguments.
      expect(list, name).toMatch(new RegExp(`\n  fal-jobs ${name} \\S`));
    }
    // `schema --help` is its help, not a schema; `lock --help` is lock verify's.
    expect((await cli(["schema", "--help"])).stdout.startsWith("{")).toBe(false);
    expect((await cli(["lock", "--help"])).stdout).toMatch(/^Usage: fal-jobs lock verify /);
  });

  it("the README's CLI section lists the commands exactly as --help does, and describes each one", async ({ expect }) => {
    const help = (await cli(["--help"])).stdout.split("\n");
    const list = help.slice(help.indexOf("Usage:") + 1, help.indexOf("", help.indexOf("Usage:"))).map((l) => l.slice(2));
    const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("\n## CLI\n"), readme.indexOf("\n### Install it in another repository\n"));
    expect(section).toContain(`\n\`\`\`\n${list.join("\n")}\n\`\`\`\n`);
    for (const name of ["estimate", "run", "models", "init", "validate", "lock verify"]) expect(section, name).toContain(`\`fal-jobs ${name}\``);
  });

  it("the CLI speaks CLI: its errors and warnings name flags and arguments, never the action's inputs", async ({ expect }) => {
    const unbudgeted = "version: 1\npricing:\n  fal-ai/flux/schnell: {unit: megapixels, unit_price: 0.001}\njobs:\n  - {id: a, model: fal-ai/flux/schnell, input: {prompt: x, image_size: square_hd}}\n";
    const cases: Array<[string[], string]> = [
      [["validate", "nowhere.yaml"], "nowhere.yaml:1:1: file not found (pass the path of your manifest, or write a starter one with `fal-jobs init`)"],
      [["estimate", "--lock", "a lock.json"], "may use only letters, digits and . _ / @ + - (set --lock)"],
      [["estimate", "--price-source", "live"], "--price-source live needs a fal key (FAL_KEY); use auto or catalog to estimate without one"],
      [["estimate", "--price-source", "catalog", "plain.yaml"], "no budget is set (--budget or the manifest's `budget`): the estimate is not gated"],
      [["estimate", "--price-source", "catalog", "plain.yaml"], "fal's is used. If you trust the manifest's prices, pass --allow-lower-prices"],
    ];
    for (const [args, words] of cases) {
      const run = await cli(args, { "fal-jobs.yaml": MANIFEST, "plain.yaml": unbudgeted });
      const text = run.stdout + run.stderr;
      expect(text, args.join(" ")).toContain(words);
      expect(text, args.join(" ")).not.toMatch(/`[\w-]+` input|\binputs?\b[^.]*\bset\b|dry-run|output-dir/);
    }
  });

  it("an unexpected failure (here the --report file cannot be written) is an internal error: exit 3, never 0", async ({ expect }) => {
    const run = await cli(["estimate", "--price-source", "catalog", "--report", "no-such-dir/report.json"], { "fal-jobs.yaml": MANIFEST });
    expect(run.stderr).toMatch(/^fal-jobs: internal error: Error: ENOENT: no such file or directory/);
    expect(run.stdout).toBe("");
    expect(run.code).toBe(3);
  });
});

describe.concurrent("fal-jobs models", () => {
  type Entry = (typeof catalog.entries)[number];
  const price = (e: Entry) => (e.unit_price === null ? "-" : `$${formatUsd(Math.round(e.unit_price * 1e9))}`);

  it("lists every catalog model with its kind, unit and price per unit, under the catalog's date", async ({ expect }) => {
    const run = await cli(["models"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(`fal price catalog as of ${AS_OF}: ${catalog.entries.length} models (list prices; with FAL_KEY, estimates use your account's live prices)`);
    expect(lines[2]).toMatch(/^MODEL +KIND +UNIT +PRICE\/UNIT +BY INPUT$/);
    const rows = lines.slice(4, 4 + catalog.entries.length).map((l) => l.split(/ {2,}/));
    expect(rows.map((r) => r.slice(0, 4))).toEqual(catalog.entries.map((e) => [e.endpoint_id, e.category, e.unit, price(e)]));
    // Tiers show their range and the input fields that pick one.
    const tiered = catalog.entries.find((e) => (e as { tiers?: unknown[] }).tiers?.length)!;
    expect(rows.find((r) => r[0] === tiered.endpoint_id)![4]).toMatch(/^\$[\d.]+–\$[\d.]+ by \w+/);
  });

  it("a filter keeps the models whose id, alias or kind contains it; --json gives the entries whole; no match exits 1", async ({ expect }) => {
    const matches = (e: Entry, f: string) => [e.endpoint_id, e.category, ...((e as { aliases?: string[] }).aliases ?? [])].some((s) => s.toLowerCase().includes(f));
    const video = await cli(["models", "VIDEO"]);
    const wanted = catalog.entries.filter((e) => matches(e, "video"));
    expect(video.code).toBe(0);
    expect(video.stdout.split("\n")[0]).toContain(`: ${wanted.length} of ${catalog.entries.length} models`);
    const json = await cli(["models", "--json", "wizper"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ as_of: AS_OF, currency: "USD", models: catalog.entries.filter((e) => matches(e, "wizper")) });
    const none = await cli(["models", "no-such-model"]);
    expect(none).toMatchObject({ code: 1, stdout: "", stderr: `no model in the catalog (as of ${AS_OF}) matches "no-such-model"; fal-jobs models lists all ${catalog.entries.length}\n` });
  });
});
