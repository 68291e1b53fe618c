import { lstat, mkdir, mkdtemp, readdir, readFile, realpath, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureDirUnder, findSymlinks, prepareOutputDir, writeFileNoFollow } from "../src/util/safe-fs.js";

/** Writing under output-dir never follows a symlink, wherever it sits. */

const temp = async () => realpath(await mkdtemp(path.join(tmpdir(), "fal-safe-")));

describe("prepareOutputDir", () => {
  it("creates a missing output-dir, and refuses a symlink at any component inside the working directory", async () => {
    const ws = await temp();
    expect(await prepareOutputDir("out/a/b", ws)).toBe(path.join(ws, "out/a/b"));
    expect((await lstat(path.join(ws, "out/a/b"))).isDirectory()).toBe(true);

    const outside = await temp();
    await mkdir(path.join(ws, "x"));
    await symlink(outside, path.join(ws, "x", "mid"));
    await expect(prepareOutputDir("x/mid/out", ws)).rejects.toThrow(/mid is a symbolic link/);
    await symlink(outside, path.join(ws, "linked"));
    await expect(prepareOutputDir("linked", ws)).rejects.toThrow(/linked is a symbolic link/);
    await writeFile(path.join(ws, "file"), "");
    await expect(prepareOutputDir("file/out", ws)).rejects.toThrow(/file is not a directory/);
    expect(await readdir(outside)).toEqual([]);
    // A directory whose name merely starts with two dots is inside.
    await mkdir(path.join(ws, "..dots"));
    await symlink(outside, path.join(ws, "..dots", "l"));
    await expect(prepareOutputDir("..dots/l", ws)).rejects.toThrow(/symbolic link/);
  });

  it("outside the working directory, trusts existing ancestors (macOS's /tmp is a symlink) but not output-dir itself", async () => {
    const ws = await temp();
    const real = await temp();
    const viaLink = path.join(await temp(), "tmp-link");
    await symlink(real, viaLink);
    expect(await prepareOutputDir(path.join(viaLink, "new", "out"), ws)).toBe(path.join(viaLink, "new", "out"));
    expect((await lstat(path.join(real, "new", "out"))).isDirectory()).toBe(true);
    await symlink(await temp(), path.join(real, "out-link"));
    await expect(prepareOutputDir(path.join(real, "out-link"), ws)).rejects.toThrow(/out-link is a symbolic link/);
  });
});

describe("writing files", () => {
  it("replaces a regular file, refuses a symlink (dangling ones too) and leaves its target alone", async () => {
    const root = await temp();
    const outside = await temp();
    await writeFile(path.join(root, "plain.json"), "old");
    await writeFileNoFollow(path.join(root, "plain.json"), "new");
    expect(await readFile(path.join(root, "plain.json"), "utf8")).toBe("new");

    await writeFile(path.join(outside, "target"), "precious");
    await symlink(path.join(outside, "target"), path.join(root, "live.json"));
    await symlink(path.join(outside, "would-be-created"), path.join(root, "dangling.json"));
    await expect(writeFileNoFollow(path.join(root, "live.json"), "x")).rejects.toThrow(/live\.json is a symbolic link/);
    await expect(writeFileNoFollow(path.join(root, "dangling.json"), "x")).rejects.toThrow(/dangling\.json is a symbolic link/);
    expect(await readdir(outside)).toEqual(["target"]);
    expect(await readFile(path.join(outside, "target"), "utf8")).toBe("precious");
  });

  it("creates run folders one checked component at a time, and lists symlinks without following them", async () => {
    const root = await temp();
    const outside = await temp();
    expect(await ensureDirUnder(root, "job/run-1")).toBe(path.join(root, "job", "run-1"));
    await symlink(outside, path.join(root, "job", "run-2"));
    await expect(ensureDirUnder(root, "job/run-2")).rejects.toThrow(/run-2 is a symbolic link/);
    await mkdir(path.join(outside, "deeper"));
    await symlink(outside, path.join(outside, "deeper", "loop"));
    expect(await findSymlinks(root)).toEqual([path.join(root, "job", "run-2")]);
    expect(await findSymlinks(path.join(root, "missing"))).toEqual([]);
  });
});
