import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "./helpers/action.js";

/**
 * action.yml as the Marketplace and the runner read it, and as the README documents it. The Marketplace refuses a
 * description of 125 characters or more and an icon or color outside GitHub's lists; the runner needs `node24` and a
 * `main` that exists; a person reads the README's tables, which must say what action.yml says.
 */

interface ActionYml {
  name: string;
  description: string;
  branding: { icon: string; color: string };
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string };
}

const action = parse(readFileSync(path.join(ROOT, "action.yml"), "utf8")) as ActionYml;
const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");

/** GitHub's own schema of action.yml (the one its editor tooling validates with): the icons and colors it allows. */
function githubActionSchema(): Record<string, { "allowed-values"?: string[] }> {
  const dist = path.dirname(fileURLToPath(import.meta.resolve("@actions/workflow-parser")));
  return (JSON.parse(readFileSync(path.join(dist, "action-v1.0.min.json"), "utf8")) as { definitions: Record<string, { "allowed-values"?: string[] }> }).definitions;
}

/** The cells of the Markdown table that follows `## heading`, header row and separator dropped. */
function readmeTable(heading: string): string[][] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start, `README has a "## ${heading}" section`).toBeGreaterThan(-1);
  const lines = readme.slice(start).split("\n").slice(2);
  const table = lines.slice(lines.findIndex((l) => l.startsWith("|")));
  const rows = table.slice(0, table.findIndex((l) => !l.startsWith("|"))).slice(2);
  // Split on pipes outside `code` (a default such as `${{ github.token }}` holds no pipe, but a meaning might).
  return rows.map((row) => row.slice(1, -1).split(/\|(?=(?:[^`]*`[^`]*`)*[^`]*$)/).map((c) => c.trim()));
}

const codeSpans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe("action.yml", () => {
  it("has a name and a description the Marketplace accepts (under 125 characters)", () => {
    expect(action.name).toMatch(/\S/);
    expect(action.description.trim()).toBe(action.description);
    expect(action.description.length).toBeGreaterThan(20);
    expect(action.description.length).toBeLessThan(125);
  });

  it("runs on node24 from dist/index.js, which exists", () => {
    expect(action.runs.using).toBe("node24");
    expect(githubActionSchema()["using"]!["allowed-values"]).toContain("node24");
    expect(action.runs.main).toBe("dist/index.js");
    expect(existsSync(path.join(ROOT, action.runs.main))).toBe(true);
  });

  it("has branding GitHub's action schema allows: a Feather icon from its list, a color from its list", () => {
    const schema = githubActionSchema();
    const icons = schema["branding-icon"]!["allowed-values"]!;
    const colors = schema["branding-color"]!["allowed-values"]!;
    // The lists are GitHub's, not a stand-in: Feather's own icons that GitHub leaves out are absent from them.
    expect(icons).not.toContain("coffee");
    expect(icons.length).toBeGreaterThan(200);
    expect(icons).toContain(action.branding.icon);
    expect(colors).toContain(action.branding.color);
  });

  it("describes every input, and gives every optional input a default", () => {
    const inputs = Object.entries(action.inputs);
    expect(inputs.length).toBeGreaterThan(0);
    for (const [name, input] of inputs) {
      expect(input.description?.trim(), `input ${name}: description`).toMatch(/\S{3}/);
      if (input.required !== true) expect(typeof input.default, `optional input ${name}: default`).toBe("string");
    }
  });

  it("describes every output", () => {
    const outputs = Object.entries(action.outputs);
    expect(outputs.length).toBeGreaterThan(0);
    for (const [name, output] of outputs) expect(output.description?.trim(), `output ${name}: description`).toMatch(/\S{3}/);
  });

  // The runner warns about an input a workflow passes that action.yml does not declare, and a reader of action.yml
  // (or the Marketplace page) sees only what it declares.
  it("declares exactly the inputs the action reads", () => {
    const source = readFileSync(path.join(ROOT, "src/action/inputs.ts"), "utf8");
    const read = new Set([...source.matchAll(/\b(?:core\.getInput|booleanInput|parsedInput|rawSecret)\("([a-z-]+)"/g)].map((m) => m[1]!));
    expect(read.size).toBeGreaterThan(5);
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort());
  });

  it("declares exactly the outputs the action sets", () => {
    const source = readFileSync(path.join(ROOT, "src/action/outputs.ts"), "utf8");
    const union = /export type OutputName =([^;]+);/.exec(source)?.[1] ?? "";
    const set = [...union.matchAll(/"([a-z-]+)"/g)].map((m) => m[1]!);
    expect(set.length).toBeGreaterThan(5);
    expect(set.sort()).toEqual(Object.keys(action.outputs).sort());
  });
});

describe("the README's tables say what action.yml says", () => {
  it("Inputs: every input once, with action.yml's default (— for an empty one)", () => {
    const rows = readmeTable("Inputs");
    const documented = new Map(rows.map(([name, def]) => [codeSpans(name!)[0]!, def!]));
    expect(rows.map((r) => codeSpans(r[0]!)[0])).toEqual([...documented.keys()]);
    expect([...documented.keys()].sort()).toEqual(Object.keys(action.inputs).sort());
    for (const [name, input] of Object.entries(action.inputs)) {
      const cell = documented.get(name)!;
      if (input.default === "") expect(cell, `README default of ${name}`).toBe("—");
      else expect(cell, `README default of ${name}`).toBe(`\`${input.default}\``);
    }
  });

  it("Outputs: every output, and no other", () => {
    const documented = readmeTable("Outputs").flatMap(([names]) => codeSpans(names!));
    expect(new Set(documented).size).toBe(documented.length);
    expect(documented.sort()).toEqual(Object.keys(action.outputs).sort());
  });
});
