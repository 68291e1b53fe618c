// Prints the release notes of a version: its section of CHANGELOG.md (Keep a Changelog: `## [1.2.3] - 2026-12-24`).
// The release workflow runs it before anything is tagged or published, so it also refuses what would make a bad release:
// a version that is not MAJOR.MINOR.PATCH, a package.json of another version (`fal-jobs --version` would lie), and a
// CHANGELOG.md with no section for the version, or an empty one.
// Usage: node scripts/release-notes.mjs VERSION   (in the repository's root; VERSION with or without the leading v)
import { readFile } from "node:fs/promises";
import MarkdownIt from "markdown-it";

const fail = (message) => {
  console.error(`release-notes: ${message}`);
  process.exit(1);
};

const version = (process.argv[2] ?? "").replace(/^v/, "");
if (!/^\d+\.\d+\.\d+$/.test(version)) fail("give the version to release as MAJOR.MINOR.PATCH, e.g. 1.2.3");

const { version: packageVersion } = JSON.parse(await readFile("package.json", "utf8"));
if (packageVersion !== version) {
  fail(`package.json says ${packageVersion}, not ${version}: set "version" in package.json and src/version.ts to ${version}, commit, and release that commit`);
}

const changelog = await readFile("CHANGELOG.md", "utf8");
const lines = changelog.split("\n");
// Level-2 headings from a Markdown parser, so a "## " inside a code block is not taken for one.
const headings = new MarkdownIt()
  .parse(changelog, {})
  .flatMap((t, i, all) => (t.type === "heading_open" && t.tag === "h2" && t.map ? [{ line: t.map[0], text: all[i + 1].content }] : []));
const at = headings.findIndex((h) => new RegExp(`^\\[?v?${version.replaceAll(".", "\\.")}\\]?(\\s|$)`).test(h.text));
if (at === -1) fail(`CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section: rename its Unreleased section to that, commit, and release that commit`);

const end = headings[at + 1]?.line ?? lines.length;
const body = lines
  .slice(headings[at].line + 1, end)
  // Link definitions (`[1.2.3]: https://…`) close the file and belong to no section.
  .filter((l) => !/^\[[^\]]+\]:\s*\S+$/.test(l))
  .join("\n")
  .trim();
if (!body) fail(`CHANGELOG.md's section for ${version} is empty: say what changed`);
process.stdout.write(`${body}\n`);
