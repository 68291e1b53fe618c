import { mkdtemp, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadFile, DownloadError, type DownloadPolicy } from "../src/adapters/fal/cdn.js";
import { FakeFal, largeFileSha256 } from "./fakes/fal.js";

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

/** A resolver that answers every name with a loopback address: tests never ask real DNS. */
function loopbackDns(asked: string[] = [], address = "127.0.0.1", family = 4): DownloadPolicy["lookup"] {
  return ((host: string, _opts: unknown, cb: (e: null, a: Array<{ address: string; family: number }>) => void) => {
    asked.push(host);
    cb(null, [{ address, family }]);
  }) as unknown as DownloadPolicy["lookup"];
}

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

  // Only loopback spellings here, so that even a regression sends nothing past this machine; the other ranges are
  // the classifier's tests (address-policy.test.ts).
  it("refuses a loopback host in any spelling, before connecting", async () => {
    const d = await dir();
    for (const url of ["https://127.0.0.1/a.png", "https://2130706433/a.png", "https://0x7f.1/a.png", "https://127.1/a.png", "https://[::1]/a.png", "https://[::ffff:127.0.0.1]/a.png", "https://localhost/a.png"]) {
      const err = await downloadFile(url, path.join(d, "a.png"), { ...policy, lookup: loopbackDns() }).catch((e: unknown) => e);
      expect(err, url).toBeInstanceOf(DownloadError);
      expect((err as DownloadError).message, url).toMatch(/refusing to download.*a loopback address/);
      expect((err as DownloadError).retryable).toBe(false);
    }
    expect(await readdir(d)).toEqual([]);
  });

  it("checks what a host name resolves to at connect time: a name resolving to 127.0.0.1 is refused", async () => {
    const d = await dir();
    const asked: string[] = [];
    const err = await downloadFile("https://cdn.rebind.test/a.png", path.join(d, "a.png"), { ...policy, lookup: loopbackDns(asked) }).catch((e: unknown) => e);
    expect(asked).toEqual(["cdn.rebind.test"]);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as DownloadError).message).toMatch(/cdn\.rebind\.test resolves to 127\.0\.0\.1, a loopback address/);
    expect((err as DownloadError).retryable).toBe(false);
    expect(await readdir(d)).toEqual([]);
  });

  it("checks every redirect hop: to a loopback literal, or to a name resolving to a loopback address", async () => {
    const d = await dir();
    const toLiteral = fal.redirect("/cdn/hop1.png", "https://127.0.0.1:9/a.png");
    await expect(downloadFile(toLiteral, path.join(d, "a.png"), policy)).rejects.toThrow(/127\.0\.0\.1.*loopback address/);
    const toName = fal.redirect("/cdn/hop2.png", "https://internal.corp.test/a.png");
    await expect(downloadFile(toName, path.join(d, "a.png"), { ...policy, lookup: loopbackDns([], "::ffff:7f00:1", 6) })).rejects.toThrow(/internal\.corp\.test resolves to ::ffff:7f00:1, a loopback address/);
    expect(await readdir(d)).toEqual([]);
  });

  it("never writes through a symlink at the destination; the file it points at is unchanged", async () => {
    const d = await dir();
    await writeFile(path.join(d, "target"), "precious");
    await symlink(path.join(d, "target"), path.join(d, "a.png"));
    await expect(downloadFile(`${fal.url}/cdn/s.png`, path.join(d, "a.png"), policy)).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/a\.png.*symbolic link/) });
    expect(await readFile(path.join(d, "target"), "utf8")).toBe("precious");
    expect((await readdir(d)).sort()).toEqual(["a.png", "target"]);
  });

  it("stops a retry backoff as soon as the signal aborts", async () => {
    const d = await dir();
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(new Error("received SIGTERM")), 200);
    const started = Date.now();
    const err = await downloadFile(fal.deadPath("/cdn/busy.png", 503), path.join(d, "b.png"), { ...policy, retries: 3, retryBaseMs: 20_000 }, ctl.signal).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect((err as Error).message).toMatch(/cancelled.*received SIGTERM/);
  });

  it("takes its bytes from a shared budget and leaves nothing behind when the budget runs out", async () => {
    const d = await dir();
    const url = fal.addLargeFile("/cdn/budget.bin", 300_000);
    let left = 200_000;
    const budget = { take: (n: number) => (n <= left ? ((left -= n), true) : false), give: (n: number) => void (left += n) };
    await expect(downloadFile(url, path.join(d, "b.bin"), policy, undefined, budget)).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/cap/) });
    expect(left).toBe(200_000);
    expect(await readdir(d)).toEqual([]);
  });
});
