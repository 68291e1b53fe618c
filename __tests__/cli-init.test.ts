import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "vitest";
import { ROOT } from "./helpers/action.js";
import { checkWorkflows } from "./helpers/check-workflows.js";
import { runCli } from "./helpers/cli.js";

/**
 * `fal-jobs init` writes a starter manifest that validates and estimates within its own budget, and the README's two
 * recommended workflows, word for word, which pass the repository's workflow check (YAML, actionlint, this action's
 * inputs and outputs). It never replaces a file without --force.
 */

const WRITTEN = ["fal-jobs.yaml", ".github/workflows/fal-cost.yml", ".github/workflows/fal-generate.yml"];

/** The README's ```yaml block that starts with `first` (a line of it). */
async function readmeBlock(first: string): Promise<string> {
  const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/^```yaml\n([^]*?)^```$/gm)].map((m) => m[1]!);
  const found = blocks.filter((b) => b.startsWith(`${first}\n`));
  if (found.length !== 1) throw new Error(`expected one README yaml block starting "${first}", found ${found.length}`);
  return found[0]!;
}

describe.concurrent("fal-jobs init", () => {
  it("writes a commented starter manifest that validates and estimates within its budget, and says what to do next", async ({ expect }) => {
    const init = await runCli(["init"]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout.split("\n")[0]).toBe(`wrote ${WRITTEN.join(", ")}`);
    expect(init.stdout).toContain("fal-jobs estimate fal-jobs.yaml");
    const manifest = await readFile(path.join(init.dir, "fal-jobs.yaml"), "utf8");
    expect(manifest.split("\n").filter((l) => /^\s*#/.test(l) || /\s#\s/.test(l)).length).toBeGreaterThan(10);

    const validate = await runCli(["validate"], { dir: init.dir });
    expect(validate).toMatchObject({ code: 0, stdout: "fal-jobs.yaml: valid — 2 job(s), 6 run(s)\n" });
    const estimate = await runCli(["estimate", "--price-source", "catalog"], { dir: init.dir });
    expect(estimate.code, estimate.stdout).toBe(0);
    expect(estimate.stdout).toMatch(/^WITHIN BUDGET: estimated \$[\d.]+, budget \$1\.00 \(from manifest\)$/m);
  });

  it("writes the README's recommended workflows word for word, and they pass the repository's workflow check", async ({ expect }) => {
    const init = await runCli(["init", "repo"]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout.split("\n")[0]).toBe(`wrote ${WRITTEN.map((f) => path.join("repo", f)).join(", ")}`);
    const workflows = path.join(init.dir, "repo/.github/workflows");
    expect((await readdir(workflows)).sort()).toEqual(["fal-cost.yml", "fal-generate.yml"]);
    expect(await readFile(path.join(workflows, "fal-cost.yml"), "utf8")).toBe(await readmeBlock("# .github/workflows/fal-cost.yml"));
    expect(await readFile(path.join(workflows, "fal-generate.yml"), "utf8")).toBe(await readmeBlock("name: fal generate"));

    const check = checkWorkflows(workflows);
    expect(check.stderr).toBe("");
    expect(check.stdout).toMatch(/^2 checked, no problems: .*fal-cost\.yml, .*fal-generate\.yml\n$/);
    expect(check.status).toBe(0);
  });

  it("leaves existing files alone and writes nothing (exit 1) unless --force, which replaces them", async ({ expect }) => {
    const refused = await runCli(["init"], { files: { "fal-jobs.yaml": "mine\n" } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe("fal-jobs: fal-jobs.yaml exists already. Nothing was written; pass --force to replace it.\n");
    expect(refused.stdout).toBe("");
    expect(await readFile(path.join(refused.dir, "fal-jobs.yaml"), "utf8")).toBe("mine\n");
    expect(await readdir(refused.dir)).toEqual(["fal-jobs.yaml"]);

    const forced = await runCli(["init", "--force"], { dir: refused.dir });
    expect(forced.code).toBe(0);
    expect(await readFile(path.join(refused.dir, "fal-jobs.yaml"), "utf8")).toMatch(/^# fal-jobs\.yaml: /);
    expect((await runCli(["validate"], { dir: refused.dir })).code).toBe(0);
  });
});
