import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/action.js";

/** scripts/check-workflows.mjs, which .ci/run runs: GitHub runs no job of a workflow that is not valid YAML. */

const SCRIPT = path.join(ROOT, "scripts/check-workflows.mjs");
const check = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: "utf8" });

describe("the workflow check", () => {
  it("passes the repository's workflows and action.yml", () => {
    const res = check();
    expect(res.stderr).toBe("");
    expect(res.stdout).toMatch(/\.github\/workflows\/ci\.yml/);
    expect(res.stdout).toMatch(/action\.yml/);
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
});
