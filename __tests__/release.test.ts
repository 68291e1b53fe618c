import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "./helpers/action.js";

/**
 * The release process: scripts/release-notes.mjs (run by .github/workflows/release.yml before anything is published)
 * and the order of the workflow's steps, which is what makes a release safe: verify first, publish after.
 */

const SCRIPT = path.join(ROOT, "scripts/release-notes.mjs");

async function releaseNotes(version: string, files: { changelog: string; packageVersion: string }) {
  const dir = await mkdtemp(path.join(tmpdir(), "release-"));
  await writeFile(path.join(dir, "CHANGELOG.md"), files.changelog);
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "x", version: files.packageVersion }));
  return spawnSync(process.execPath, [SCRIPT, version], { cwd: dir, encoding: "utf8" });
}

const CHANGELOG = `# Changelog

Intro text.

## [Unreleased]

### Added

- Something not yet released.

## [1.2.0] - 2026-12-24

### Added

- Budget per job.

\`\`\`yaml
## not a heading: inside a code block
\`\`\`

### Fixed

- A fix.

## [1.1.0] - 2026-11-01

- Older.

## [1.0.0] - 2026-10-01

[1.2.0]: https://example.com/compare/v1.1.0...v1.2.0
[1.1.0]: https://example.com/compare/v1.0.0...v1.1.0
`;

describe("scripts/release-notes.mjs", () => {
  it("prints the version's section of CHANGELOG.md, whole (a ## inside a code block is no heading), for 1.2.0 or v1.2.0", async () => {
    const expected = ["### Added", "", "- Budget per job.", "", "```yaml", "## not a heading: inside a code block", "```", "", "### Fixed", "", "- A fix.", ""].join("\n");
    for (const version of ["1.2.0", "v1.2.0"]) {
      const res = await releaseNotes(version, { changelog: CHANGELOG, packageVersion: "1.2.0" });
      expect(res.stderr).toBe("");
      expect(res.stdout).toBe(expected);
      expect(res.status).toBe(0);
    }
    const older = await releaseNotes("1.1.0", { changelog: CHANGELOG, packageVersion: "1.1.0" });
    expect(older.stdout).toBe("- Older.\n");
  });

  it("refuses a version that is not MAJOR.MINOR.PATCH, a package.json of another version, a missing or empty section", async () => {
    const cases: Array<[string, string, RegExp]> = [
      ["1.2", "1.2", /give the version to release as MAJOR\.MINOR\.PATCH/],
      ["1.2.0-rc.1", "1.2.0-rc.1", /give the version to release as MAJOR\.MINOR\.PATCH/],
      ["1.2.0", "1.1.0", /package\.json says 1\.1\.0, not 1\.2\.0: set "version" in package\.json and src\/version\.ts to 1\.2\.0/],
      ["1.3.0", "1.3.0", /CHANGELOG\.md has no "## \[1\.3\.0\] - YYYY-MM-DD" section: rename its Unreleased section/],
      // The last section holds only link definitions, which belong to no section.
      ["1.0.0", "1.0.0", /CHANGELOG\.md's section for 1\.0\.0 is empty/],
    ];
    for (const [version, packageVersion, message] of cases) {
      const res = await releaseNotes(version, { changelog: CHANGELOG, packageVersion });
      expect(res.stderr, version).toMatch(new RegExp(`^release-notes: ${message.source}`));
      expect(res.stdout, version).toBe("");
      expect(res.status, version).toBe(1);
    }
  });
});

describe("CHANGELOG.md", () => {
  it("opens with an Unreleased section (which says what exists while nothing is released) and dates every version", async () => {
    const changelog = await readFile(path.join(ROOT, "CHANGELOG.md"), "utf8");
    const sections = changelog.split(/^(?=## )/m).slice(1);
    expect(sections[0]).toMatch(/^## \[Unreleased\]\n/);
    for (const s of sections.slice(1)) expect(s).toMatch(/^## \[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}\n/);
    if (sections.length === 1) expect(sections[0]).toMatch(/^- \S/m);
  });
});

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Workflow {
  on: { push: { tags: string[] }; workflow_dispatch: { inputs: { version: { required: boolean } } } };
  permissions: Record<string, string>;
  concurrency: { "cancel-in-progress": boolean };
  jobs: Record<string, { permissions: Record<string, string>; steps: Step[] }>;
}

describe(".github/workflows/release.yml", () => {
  const load = async () => parse(await readFile(path.join(ROOT, ".github/workflows/release.yml"), "utf8")) as Workflow;

  it("runs on a pushed v1.2.3 tag or by hand with a version, one at a time, never cancelled", async () => {
    const wf = await load();
    expect(wf.on.push.tags).toEqual(["v[0-9]+.[0-9]+.[0-9]+"]);
    expect(wf.on.workflow_dispatch.inputs.version.required).toBe(true);
    expect(wf.concurrency["cancel-in-progress"]).toBe(false);
  });

  it("reads by default and writes contents only in the release job; the checkout keeps no credentials", async () => {
    const wf = await load();
    expect(wf.permissions).toEqual({ contents: "read" });
    const jobs = Object.values(wf.jobs);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.permissions).toEqual({ contents: "write" });
    const checkout = jobs[0]!.steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout).toMatchObject({ with: { "persist-credentials": false } });
  });

  it("checks the version and the notes, then runs .ci/run, and only then creates the release and moves the major tag", async () => {
    const steps = Object.values((await load()).jobs)[0]!.steps;
    const index = (what: RegExp) => {
      const i = steps.findIndex((s) => what.test(s.run ?? ""));
      expect(i, String(what)).toBeGreaterThan(-1);
      return i;
    };
    const notes = index(/node scripts\/release-notes\.mjs "\$version"/);
    const verify = index(/^bash \.ci\/run$/);
    const release = index(/gh release create "\$TAG" .*--notes-file "\$RUNNER_TEMP\/notes\.md"/);
    const major = index(/git\/refs\/tags\/\$MAJOR" -f sha="\$GITHUB_SHA" -F force=true/);
    expect(notes).toBeLessThan(verify);
    expect(verify).toBeLessThan(release);
    expect(release).toBeLessThan(major);
    // Untrusted text (the dispatched version) reaches shell only through the environment, never spliced into a script.
    for (const step of steps) expect(step.run ?? "").not.toMatch(/\$\{\{\s*(inputs|github\.event)\./);
  });
});
