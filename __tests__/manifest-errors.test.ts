import { describe, expect, it } from "vitest";
import { ManifestError, type ManifestIssue } from "../src/manifest/errors.js";
import { parseManifest } from "../src/manifest/load.js";
import { YAML_WORDING, ZOD_WORDING } from "./helpers/wording.js";

/**
 * How a refused manifest reads: every problem at its own position, in plain
 * words with the value and the fix, sorted top to bottom, and all of them in
 * one pass (the schema's and the rules it cannot express).
 */

function issuesOf(text: string): ManifestIssue[] {
  try {
    parseManifest(text, "fal-jobs.yaml");
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    for (const issue of err.issues) {
      expect(issue.message).not.toMatch(ZOD_WORDING);
      expect(issue.message).not.toMatch(YAML_WORDING);
    }
    return err.issues;
  }
  throw new Error("expected the manifest to be rejected");
}

const brief = (issues: ManifestIssue[]) => issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);

describe("unknown keys", () => {
  it("several in one object are one error each, at its own key, each with its own suggestion", () => {
    const issues = issuesOf(`version: 1
defaults: {concurency: 2, retrys: 1}
jobs:
  - id: a
    model: fal-ai/flux/dev
    repeats: 2
    timout: 10m
    colour: red
`);
    expect(brief(issues)).toEqual([
      "2:12 defaults.concurency: unknown key `concurency` — did you mean `concurrency`?",
      "2:27 defaults.retrys: unknown key `retrys` — did you mean `retries`?",
      "6:5 jobs[0].repeats: unknown key `repeats` — did you mean `repeat`?",
      "7:5 jobs[0].timout: unknown key `timout` — did you mean `timeout`?",
      "8:5 jobs[0].colour: unknown key `colour`: a job's own keys are id, model, description, input, repeat, matrix, units, max_cost, concurrency, timeout, retries, cache; if it is for the model, put it under `input:`",
    ]);
  });

  it("a misspelt required key is one problem: the suggestion supplies the missing key", () => {
    const issues = issuesOf(`version: 1
jobs:
  - id: a
    modle: fal-ai/flux/dev
`);
    expect(brief(issues)).toEqual(["4:5 jobs[0].modle: unknown key `modle` — did you mean `model`?"]);
  });

  it("suggests from the keys of the object the typo is in (a budget's, a price's)", () => {
    const issues = issuesOf(`version: 1
budget: {limit: 5, warn: 0.8}
pricing:
  acme/x: {unit: images, unit_prise: 0.1}
jobs:
  - {id: a, model: acme/x}
`);
    expect(brief(issues)).toEqual([
      "2:20 budget.warn: unknown key `warn` — did you mean `warn_at`?",
      "4:26 pricing.acme/x.unit_prise: unknown key `unit_prise` — did you mean `unit_price`?",
    ]);
  });
});

describe("plain words", () => {
  it("says what is wrong, what the value is and how to fix it, never in zod's words", () => {
    const issues = issuesOf(`version: 1
budget: lots
pricing: flux
jobs:
  - id: a
    model: fal-ai/flux/dev
    input: "a red fox"
    repeat: 0
    units: -1
    concurrency: 2.5
    retries: 11
    timeout: true
  - id: b
    repeat: "3"
    matrix: {size: square}
  - id: c
    model: fal-ai/flux/dev
    input:
    budget: {limit: 5, unknown_price: maybe}
`);
    expect(brief(issues)).toEqual([
      "2:9 budget: must be a number in USD (5 or 12.50) or a map {limit, per_job_limit, warn_at, unknown_price}, not the text \"lots\"",
      "3:10 pricing: must be a map of `key: value` entries, not the text \"flux\"",
      "7:12 jobs[0].input: must be a map of the model's input fields, not the text \"a red fox\": write `input: {prompt: \"a red fox\"}`",
      "8:13 jobs[0].repeat: must be at least 1, not 0",
      "9:12 jobs[0].units: must be more than 0, not -1",
      "10:18 jobs[0].concurrency: must be a whole number, not 2.5",
      "11:14 jobs[0].retries: must be at most 10, not 11",
      "12:14 jobs[0].timeout: must be seconds (600) or a duration (30s, 10m, 1h30m), not true",
      "13:5 jobs[1].model: missing: add `model: fal-ai/flux/dev` (the fal endpoint id)",
      "14:13 jobs[1].repeat: must be a whole number, not the text \"3\": remove the quotes",
      "15:20 jobs[1].matrix.size: must be a list, not the text \"square\": write `[square]`",
      "18:11 jobs[2].input: has no value: give it a map of `key: value` entries (indent its keys under it)",
      "19:5 jobs[2].budget: unknown key `budget`: a job's own keys are id, model, description, input, repeat, matrix, units, max_cost, concurrency, timeout, retries, cache; if it is for the model, put it under `input:`",
    ]);
  });

  it("inside an object that is the right kind, names each of its problems rather than the union's", () => {
    const issues = issuesOf(`version: 1
budget: {limit: -1, warn_at: 2, unknown_price: maybe}
jobs:
  - {id: a, model: fal-ai/flux/dev}
`);
    expect(brief(issues)).toEqual([
      "2:17 budget.limit: must be at least 0, not -1",
      "2:30 budget.warn_at: must be at most 1, not 2",
      "2:48 budget.unknown_price: must be `fail` or `warn`, not the text \"maybe\"",
    ]);
  });

  it("a list where the manifest should be a map, and a refused matrix name, say so", () => {
    expect(brief(issuesOf("- version: 1\n"))).toEqual(["1:1 : the manifest must be a map with `version: 1` and `jobs:`, not a list"]);
    const issues = issuesOf(`version: 1
jobs:
  - {id: a, model: fal-ai/flux/dev, matrix: {"bad name": [1]}}
`);
    expect(brief(issues)).toEqual(["3:46 jobs[0].matrix.bad name: the name `bad name` is not allowed: matrix names use letters, digits, - and _"]);
  });
});

describe("`jobs:` written as a map", () => {
  it("jobs keyed by name: write `- id: <name>`", () => {
    const issues = issuesOf(`version: 1
jobs:
  hero:
    model: fal-ai/flux/dev
`);
    expect(brief(issues)).toEqual(["3:3 jobs: must be a list of jobs, not a map: write `- id: hero` instead of `hero:`, with the job's keys indented to line up with `id:`"]);
  });

  it("one job's keys without the dash: put `- ` before the first", () => {
    const issues = issuesOf(`version: 1
jobs:
  id: thumbs
  model: fal-ai/flux/schnell
`);
    expect(brief(issues)).toEqual(["3:3 jobs: must be a list of jobs: put `- ` before the first key of each job (`- id: thumbs`), and indent the job's other keys to line up with `id:`"]);
  });

  it("a list item wrapping a job under its name: one problem, not a missing id and model too", () => {
    const issues = issuesOf(`version: 1
jobs:
  - hero:
      model: fal-ai/flux/dev
      input: {prompt: x}
`);
    expect(brief(issues)).toEqual(["3:5 jobs[0].hero: unknown key `hero`: it wraps a job's keys. Write `- id: hero` instead of `- hero:`, with the job's other keys lined up under `id:`"]);
  });
});

describe("YAML syntax errors in plain words, at the line to change", () => {
  const job = (lines: string) => `version: 1\njobs:\n  - id: a\n${lines}`;
  it.each([
    ["a key indented too far", job("    model: fal-ai/flux/dev\n     repeat: 2\n"), 5, 6, /^YAML: this line starts at column 6, but `model:` on line 4 starts at column 5: keys of one map start in the same column/],
    ["a key not indented far enough", job("    model: fal-ai/flux/dev\n   repeat: 2\n"), 5, 4, /^YAML: this line starts at column 4, but `model:` on line 4 starts at column 5/],
    ["a job key lined up with the dash", job("  model: fal-ai/flux/dev\n"), 4, 3, /^YAML: this line starts at column 3, but `id:` on line 3 starts at column 5/],
    ["a key without its colon", job("    model: fal-ai/flux/dev\n    repeat 2\n"), 5, 5, /^YAML: this line has no `:` after its key: write `repeat: 2`$/],
    ["a colon without its space", job("    model:fal-ai/flux/dev\n"), 4, 5, /^YAML: put a space after the colon: `model: fal-ai\/flux\/dev`$/],
    ["a tab", "version: 1\njobs:\n\t- id: a\n", 3, 1, /^YAML: this line is indented with a tab; YAML indents with spaces only/],
    ["an unclosed quote", job('    input: {prompt: "a red fox}\n'), 4, 21, /^YAML: this quoted value is never closed: add the closing "/],
    ["an unclosed brace", job("    input: {prompt: fox\n    repeat: 2\n"), 4, 12, /^YAML: this `\{` is never closed: end the map with `\}`/],
    ["a template unquoted in braces", job("    input: {prompt: a ${{ matrix.x }} b}\n"), 4, 23, /^YAML: a value with `\$\{\{ … \}\}` inside `\{ … \}` or `\[ … \]` must be quoted: write `prompt: "a \$\{\{ matrix\.x \}\} b"`$/],
    ["a key given twice", job("    model: fal-ai/flux/dev\n    model: fal-ai/flux/schnell\n"), 5, 5, /^YAML: duplicate key: `model` appears twice in this map/],
    ["a key given twice, once quoted: the same key in the data", job('    model: fal-ai/flux/dev\n    input: {1: a, "1": b}\n'), 5, 19, /^YAML: duplicate key: `1` appears twice in this map/],
    ["a second document", "version: 1\n---\nversion: 1\n", 2, 1, /^YAML: a second YAML document starts here/],
  ])("%s", (_, text, line, column, message) => {
    expect(issuesOf(text)).toEqual([expect.objectContaining({ line, column, path: "", message: expect.stringMatching(message) })]);
  });
});

describe("all at once, top to bottom", () => {
  it("schema problems do not hide the rules it cannot express, and every problem is sorted by line", () => {
    const issues = issuesOf(`version: 1
jobs:
  - id: a
    colour: red
    model: fal-ai/flux/dev
    repeat: 0
  - id: a
    model: fal-ai/flux/dev
    concurrency: 0
    units: 2
    max_cost: 1
    input: {prompt: "\${{ matrix.animal }}"}
`);
    expect(brief(issues)).toEqual([
      "4:5 jobs[0].colour: unknown key `colour`: a job's own keys are id, model, description, input, repeat, matrix, units, max_cost, concurrency, timeout, retries, cache; if it is for the model, put it under `input:`",
      "6:13 jobs[0].repeat: must be at least 1, not 0",
      "7:9 jobs[1].id: duplicate job id \"a\" (also jobs[0]): give each job its own id",
      "9:18 jobs[1].concurrency: must be at least 1, not 0",
      "11:15 jobs[1].max_cost: set either `units` or `max_cost`, not both",
      "12:21 jobs[1].input.prompt: ${{ matrix.animal }} names no matrix axis (this job has no `matrix`): fix the name, or add the axis under `matrix:`",
    ]);
  });

  it("a job the schema refuses is still checked against the run limits", () => {
    const issues = issuesOf(`version: 1
jobs:
  - id: big
    model: fal-ai/flux/schnell
    repeat: 1000000
    matrix: {a: [1, 2]}
    colour: red
`);
    expect(issues.map((i) => i.path)).toEqual(["jobs", "jobs[0].colour"]);
    expect(issues[0]!.message).toMatch(/2000000 runs; the limit is 1000000/);
  });
});
