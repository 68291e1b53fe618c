import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadFile, DownloadError, type DownloadPolicy } from "../src/adapters/download.js";
import { FakeFal, largeFileSha256 } from "../test/fakes/fal.js";

/** The streaming downloader against the fake CDN. */

let fal: FakeFal;
let policy: DownloadPolicy;
beforeAll(async () => {
  fal = await FakeFal.start();
  policy = { extraOrigins: new Set([new URL(fal.url).origin]), maxBytes: 50 * 1024 * 1024, retries: 1, timeoutMs: 10_000, retryBaseMs: 1 };
});
afterAll(async () => {
  await fal.close();
});

const dir = () => mkdtemp(path.join(tmpdir(), "fal-dl-"));

describe("downloadFile", () => {
  it("streams to disk with the exact bytes, size and sha256", async () => {
    const dest = path.join(await dir(), "out.mp4");
    const size = 12 * 1024 * 1024 + 7;
    const d = await downloadFile(fal.addLargeFile("/cdn/v.mp4", size), dest, policy);
    expect(d).toEqual({ bytes: size, sha256: largeFileSha256(size), contentType: "video/mp4" });
    expect(createHash("sha256").update(await readFile(dest)).digest("hex")).toBe(d.sha256);
  });

  it("a connection cut halfway leaves no file, partial or whole, and is worth a retry", async () => {
    const d = await dir();
    const err = await downloadFile(fal.deadPath("/cdn/cut.bin", 0), path.join(d, "cut.bin"), policy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as DownloadError).retryable).toBe(true);
    expect(await readdir(d)).toEqual([]);
    expect(fal.requests.filter((r) => r.url === "/cdn/cut.bin")).toHaveLength(2);
  });

  it("refuses files over the size cap without retrying, and 404s without retrying", async () => {
    const d = await dir();
    const big = fal.addLargeFile("/cdn/huge.bin", policy.maxBytes + 1);
    await expect(downloadFile(big, path.join(d, "huge.bin"), policy)).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/limit/) });
    await expect(downloadFile(fal.deadPath("/cdn/missing.png"), path.join(d, "m.png"), policy)).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/404/) });
    expect(fal.requests.filter((r) => r.url === "/cdn/missing.png")).toHaveLength(1);
    expect(await readdir(d)).toEqual([]);
  });

  it("fetches only https or a configured fal origin", async () => {
    const d = await dir();
    await expect(downloadFile("http://example.com/x.png", path.join(d, "x.png"), policy)).rejects.toThrow(/only https/);
    await expect(downloadFile(`${fal.url}/cdn/a.png`, path.join(d, "a.png"), { ...policy, extraOrigins: new Set() })).rejects.toThrow(/only https/);
    await expect(downloadFile("file:///etc/passwd", path.join(d, "p"), policy)).rejects.toThrow(/only https/);
  });
});
