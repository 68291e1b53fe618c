// Parses every workflow under .github/workflows (and action.yml) with the `yaml` package and fails on any error.
// GitHub silently refuses a workflow that is not valid YAML (none of its jobs run), so CI checks them before they land.
// Usage: node scripts/check-workflows.mjs [file or directory …]   (default: .github/workflows action.yml)
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isMap, parseDocument } from "yaml";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const targets = process.argv.length > 2 ? process.argv.slice(2) : [path.join(root, ".github/workflows"), path.join(root, "action.yml")];

const files = [];
for (const target of targets) {
  if ((await stat(target)).isDirectory()) {
    for (const name of (await readdir(target)).sort()) if (/\.ya?ml$/.test(name)) files.push({ file: path.join(target, name), workflow: true });
  } else files.push({ file: target, workflow: path.basename(target) !== "action.yml" });
}

let problems = 0;
const report = (file, message, pos) => {
  problems++;
  const where = pos ? `${pos.line}:${pos.col}` : "1:1";
  console.error(`${path.relative(process.cwd(), file)}:${where}: ${message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`);
};
for (const { file, workflow } of files) {
  const doc = parseDocument(await readFile(file, "utf8"), { prettyErrors: true, uniqueKeys: true });
  for (const err of [...doc.errors, ...doc.warnings]) report(file, err.message, err.linePos?.[0]);
  if (doc.errors.length > 0) continue;
  if (!isMap(doc.contents)) {
    report(file, "the top level is not a mapping");
    continue;
  }
  const required = workflow ? ["on", "jobs"] : ["name", "runs"];
  for (const key of required) if (!doc.contents.has(key)) report(file, `no top-level "${key}"`);
}
if (files.length === 0) report(targets.join(", "), "no YAML files found");
if (problems > 0) process.exit(1);
console.log(`${files.length} YAML file(s) parse: ${files.map((f) => path.relative(process.cwd(), f.file)).join(", ")}`);
