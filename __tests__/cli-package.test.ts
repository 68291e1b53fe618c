import { spawnSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CLI, ROOT } from "./helpers/action.js";

/**
 * The CLI installed in another repository, as the README tells people to: `npm pack` this project, install the
 * tarball into a fresh project with no network and an empty npm cache, and run `fal-jobs` from there. dist/ bundles
 * every library, so the package must need nothing else: a dependency would make the offline install fail.
 */

// npm runs on the Node that runs the tests (24), as it would on a machine with only Node 24.
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}` };
const run = (cmd: string, args: string[], cwd: string) => spawnSync(cmd, args, { cwd, env, encoding: "utf8" });

interface Packed {
  filename: string;
  files: Array<{ path: string }>;
}

/**
 * One `npm pack` for the file: the listing test reads what went into the tarball that the install test installs
 * (npm prints the same listing for a real pack as for --dry-run, and packing costs a second or two of npm start-up).
 */
let packing: Promise<{ dir: string; res: ReturnType<typeof run> }> | undefined;
const pack = () =>
  (packing ??= mkdtemp(path.join(tmpdir(), "fal-jobs-package-")).then((dir) => ({ dir, res: run("npm", ["pack", "--pack-destination", dir, "--json"], ROOT) })));

describe("the CLI as a package", () => {
  it("packs dist/, the schemas, README, LICENSE and package.json, with a bin and no dependencies", async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string>; dependencies?: object };
    expect(pkg.bin).toEqual({ "fal-jobs": "dist/cli.js" });
    expect(pkg.dependencies ?? {}).toEqual({});

    const { res } = await pack();
    expect(res.status, res.stderr).toBe(0);
    const files = (JSON.parse(res.stdout) as Packed[])[0]!.files.map((f) => f.path).sort();
    const dist = (await readdir(path.join(ROOT, "dist"))).map((f) => `dist/${f}`);
    expect(dist).toContain("dist/cli.js");
    // Every JSON Schema the build writes (the manifest's, the report's…): `fal-jobs schema` prints them, editors fetch them.
    const schemas = (await readdir(ROOT)).filter((f) => f.endsWith(".schema.json"));
    expect(schemas).toContain("fal-jobs.schema.json");
    expect(files).toEqual([...dist, ...schemas, "LICENSE", "README.md", "package.json"].sort());
  });

  it(
    "installs from the packed tarball with no network and an empty cache, and `fal-jobs estimate` runs the example as dist/cli.js does",
    async () => {
      const { dir, res: packed } = await pack();
      expect(packed.status, packed.stderr).toBe(0);
      const tarball = path.join(dir, (JSON.parse(packed.stdout) as Packed[])[0]!.filename);

      const project = path.join(dir, "other-repo");
      await mkdir(project);
      await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "other-repo", private: true }));
      // --offline with an empty cache: any package npm would have to fetch fails the install (ENOTCACHED).
      const install = run("npm", ["install", "--save-dev", "--offline", "--cache", path.join(dir, "empty-cache"), "--no-audit", "--no-fund", tarball], project);
      expect(install.status, install.stderr).toBe(0);
      expect((await readdir(path.join(project, "node_modules"))).filter((n) => !n.startsWith("."))).toEqual(["fal-jobs-action"]);

      await copyFile(path.join(ROOT, "examples/fal-jobs.yaml"), path.join(project, "fal-jobs.yaml"));
      const bin = path.join(project, "node_modules/.bin/fal-jobs");
      const args = ["estimate", "fal-jobs.yaml", "--price-source", "catalog"];
      const installed = run(bin, args, project);
      const local = run(process.execPath, [CLI, ...args], project);
      expect(installed.stderr).toBe("");
      expect(installed.status).toBe(0);
      // The same program: the same table, verdict and exit code as this repository's dist/cli.js.
      expect(installed.stdout).toBe(local.stdout);
      expect(installed.status).toBe(local.status);
      const example = parse(await readFile(path.join(ROOT, "examples/fal-jobs.yaml"), "utf8")) as { jobs: Array<{ id: string }> };
      const rows = installed.stdout.split("\n");
      for (const { id } of example.jobs) expect(rows.some((r) => r.startsWith(`${id} `)), id).toBe(true);
      expect(rows).toContainEqual(expect.stringMatching(/^WITHIN BUDGET: estimated \$[\d.]+, budget \$[\d.]+ \(from manifest\)$/));

      const version = run(bin, ["--version"], project);
      const pkg = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { version: string };
      expect(version.stdout).toBe(`${pkg.version}\n`);
    },
    120_000,
  );
});
