import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { deflateRawSync, crc32 } from "node:zlib";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DefaultArtifactClient } from "@actions/artifact";
import {
  DEFAULT_JOB_BACKEND_ID,
  DEFAULT_RUN_BACKEND_ID,
  FakeArtifactServer,
  TWIRP_SERVICE,
  backendIdsFromToken,
  makeRuntimeToken,
  readZip,
} from "./artifact-server.js";
import { captureActionsLog } from "../helpers/actions-log.js";

captureActionsLog();

const ENV_KEYS = ["ACTIONS_RESULTS_URL", "ACTIONS_RUNTIME_TOKEN", "GITHUB_SERVER_URL", "GITHUB_RETENTION_DAYS"] as const;
const FAL_KEY = "fal-test-key-id:fal-test-key-secret-3f9a";

let fake: FakeArtifactServer;
let root: string;
let saved: Record<string, string | undefined>;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "fake-artifact-"));
  const files: Record<string, string> = {
    "report.json": JSON.stringify({ total: 1.25, jobs: ["a", "b"] }),
    "report.md": "# Report\n\n| job | cost |\n|---|---|\n| a | $1 |\n",
    "outputs/job-a/image-1.txt": "a".repeat(5000), // compressible -> deflate
    "outputs/job-a/meta/info.json": '{"seed":1}',
    "outputs/job-b/result.bin": "", // empty file
  };
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  // a binary file with every byte value
  await writeFile(path.join(root, "outputs/job-b/bytes.dat"), Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
  fake = await FakeArtifactServer.start();
  saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  delete process.env.GITHUB_SERVER_URL; // unset == github.com (not GHES)
  delete process.env.GITHUB_RETENTION_DAYS;
  Object.assign(process.env, fake.env());
});

afterEach(async () => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  await fake.close();
});

function treeFiles(): string[] {
  return [
    "report.json",
    "report.md",
    "outputs/job-a/image-1.txt",
    "outputs/job-a/meta/info.json",
    "outputs/job-b/result.bin",
    "outputs/job-b/bytes.dat",
  ].map((f) => path.join(root, f));
}

describe("makeRuntimeToken", () => {
  it("is an unsigned JWT carrying the Actions.Results scope", () => {
    const token = makeRuntimeToken({ runBackendId: "r-1", jobBackendId: "j-1" });
    expect(token.split(".")).toHaveLength(3);
    expect(token.endsWith(".")).toBe(true);
    expect(backendIdsFromToken(token)).toEqual({ runBackendId: "r-1", jobBackendId: "j-1" });
  });
});

describe("readZip", () => {
  it("reads a hand-built archive with stored and deflated entries", () => {
    const entries = [
      { name: "a.txt", data: Buffer.from("hello"), method: 0 },
      { name: "dir/b.txt", data: Buffer.from("x".repeat(1000)), method: 8 },
    ];
    const locals: Buffer[] = [];
    const centrals: Buffer[] = [];
    let offset = 0;
    for (const e of entries) {
      const comp = e.method === 8 ? deflateRawSync(e.data) : e.data;
      const name = Buffer.from(e.name);
      const crc = crc32(e.data);
      const lh = Buffer.alloc(30);
      lh.writeUInt32LE(0x04034b50, 0);
      lh.writeUInt16LE(20, 4);
      lh.writeUInt16LE(e.method, 8);
      lh.writeUInt32LE(crc, 14);
      lh.writeUInt32LE(comp.length, 18);
      lh.writeUInt32LE(e.data.length, 22);
      lh.writeUInt16LE(name.length, 26);
      const ch = Buffer.alloc(46);
      ch.writeUInt32LE(0x02014b50, 0);
      ch.writeUInt16LE(20, 6);
      ch.writeUInt16LE(e.method, 10);
      ch.writeUInt32LE(crc, 16);
      ch.writeUInt32LE(comp.length, 20);
      ch.writeUInt32LE(e.data.length, 24);
      ch.writeUInt16LE(name.length, 28);
      ch.writeUInt32LE(offset, 42);
      locals.push(lh, name, comp);
      centrals.push(ch, name);
      offset += lh.length + name.length + comp.length;
    }
    const cd = Buffer.concat(centrals);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(entries.length, 8);
    eocd.writeUInt16LE(entries.length, 10);
    eocd.writeUInt32LE(cd.length, 12);
    eocd.writeUInt32LE(offset, 16);
    const zip = Buffer.concat([...locals, cd, eocd]);
    const read = readZip(zip);
    expect(read.map((e) => [e.name, e.method, e.data.toString()])).toEqual([
      ["a.txt", 0, "hello"],
      ["dir/b.txt", 8, "x".repeat(1000)],
    ]);
    // corrupt one byte of the stored entry's data -> CRC check fails
    const bad = Buffer.from(zip);
    bad[30 + "a.txt".length] ^= 0xff;
    expect(() => readZip(bad)).toThrow(/CRC/);
  });
});

describe("FakeArtifactServer with the real @actions/artifact client", () => {
  it("accepts an upload of a nested tree and keeps the zip", async () => {
    const client = new DefaultArtifactClient();
    const result = await client.uploadArtifact("fal-outputs", treeFiles(), root);

    expect(result.id).toBe(1001);
    const stored = fake.artifact("fal-outputs");
    expect(stored).toBeDefined();
    expect(stored!.state).toBe("finalized");
    expect(stored!.runBackendId).toBe(DEFAULT_RUN_BACKEND_ID);
    expect(stored!.jobBackendId).toBe(DEFAULT_JOB_BACKEND_ID);
    expect(stored!.version).toBe(7);
    expect(stored!.mimeType).toBe("application/zip");
    expect(result.size).toBe(stored!.content!.length);
    expect(stored!.sha256).toBe(`sha256:${result.digest}`);
    expect(stored!.declaredHash).toBe(stored!.sha256);
    expect(stored!.content!.subarray(0, 2).toString()).toBe("PK");

    const entries = fake.zipEntries("fal-outputs");
    expect(entries.map((e) => e.name).sort()).toEqual([
      "outputs/job-a/image-1.txt",
      "outputs/job-a/meta/info.json",
      "outputs/job-b/bytes.dat",
      "outputs/job-b/result.bin",
      "report.json",
      "report.md",
    ]);
    const files = fake.zipFiles("fal-outputs");
    expect(files["outputs/job-a/image-1.txt"]).toBe("a".repeat(5000));
    expect(files["outputs/job-b/result.bin"]).toBe("");
    expect(JSON.parse(files["report.json"]!)).toEqual({ total: 1.25, jobs: ["a", "b"] });
    const bytes = entries.find((e) => e.name === "outputs/job-b/bytes.dat")!;
    expect([...bytes.data]).toEqual(Array.from({ length: 256 }, (_, i) => i));
    expect(entries.find((e) => e.name === "outputs/job-a/image-1.txt")!.method).toBe(8);

    // wire sequence the SDK used
    expect(fake.requests.map((r) => r.route)).toEqual(["CreateArtifact", "BlobBlock", "BlobBlockList", "FinalizeArtifact"]);
    const create = JSON.parse(fake.requestsFor("CreateArtifact")[0]!.body.toString());
    expect(create).toMatchObject({ workflow_run_backend_id: DEFAULT_RUN_BACKEND_ID, name: "fal-outputs", version: 7, mime_type: "application/zip" });
    expect(fake.requests.every((r) => r.status && r.status < 300)).toBe(true);

    // ListArtifacts through the real client
    const listed = await client.listArtifacts();
    expect(listed.artifacts.map((a) => [a.name, a.id, a.size])).toEqual([["fal-outputs", 1001, stored!.content!.length]]);

    // nothing secret was sent; the scan sees through deflate
    expect(fake.findSecret(FAL_KEY)).toEqual([]);
    expect(fake.findSecret("a".repeat(5000))).toEqual(expect.arrayContaining([expect.stringMatching(/entry outputs\/job-a\/image-1.txt$/)]));
  });

  it("rejects a second upload with the same name in the run (409 already_exists)", async () => {
    const client = new DefaultArtifactClient();
    await client.uploadArtifact("dup", [path.join(root, "report.md")], root);
    const t0 = Date.now();
    await expect(client.uploadArtifact("dup", [path.join(root, "report.json")], root)).rejects.toThrow(
      /Failed to CreateArtifact: Received non-retryable error: Failed request: \(409\) Conflict: an artifact with this name already exists on the workflow run/,
    );
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(fake.requestsFor("CreateArtifact").map((r) => r.status)).toEqual([200, 409]);
    expect(fake.zipFiles("dup")).toEqual({ "report.md": "# Report\n\n| job | cost |\n|---|---|\n| a | $1 |\n" });

    // a different run may reuse the name
    process.env.ACTIONS_RUNTIME_TOKEN = makeRuntimeToken({ runBackendId: "other-run", jobBackendId: "other-job" });
    const other = await client.uploadArtifact("dup", [path.join(root, "report.json")], root);
    expect(other.id).toBe(1002); // the refused CreateArtifact consumed no id
    expect(Object.keys(fake.zipFiles("dup", "other-run"))).toEqual(["report.json"]);
  });

  it("fails fast when CreateArtifact answers a non-retryable 403", async () => {
    fake.fail({ route: "CreateArtifact", status: 403, msg: "artifact storage quota exceeded for this account" });
    const t0 = Date.now();
    await expect(new DefaultArtifactClient().uploadArtifact("x", [path.join(root, "report.md")], root)).rejects.toThrow(
      /non-retryable error: Failed request: \(403\) Forbidden: artifact storage quota exceeded/,
    );
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(fake.requests.map((r) => [r.route, r.status, r.injected])).toEqual([["CreateArtifact", 403, true]]);
    expect(fake.artifacts()).toEqual([]);
  });

  it("fails fast when the blob PUT is refused (403), leaving nothing finalized", async () => {
    fake.fail({ route: "BlobBlock", status: 403 });
    const t0 = Date.now();
    await expect(new DefaultArtifactClient().uploadArtifact("blobfail", [path.join(root, "report.md")], root)).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(fake.requestsFor("FinalizeArtifact")).toEqual([]);
    expect(fake.artifact("blobfail")).toBeUndefined();
    expect(fake.allArtifacts().map((a) => [a.name, a.state])).toEqual([["blobfail", "created"]]);
  });

  it("rejects a token whose run id does not match the request", async () => {
    const res = await fetch(new URL(`/twirp/${TWIRP_SERVICE}/CreateArtifact`, fake.url), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${makeRuntimeToken({ runBackendId: "a", jobBackendId: "b" })}` },
      body: JSON.stringify({ workflow_run_backend_id: "not-a", workflow_job_run_backend_id: "b", name: "n", version: 7 }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "permission_denied" });
    const noAuth = await fetch(new URL(`/twirp/${TWIRP_SERVICE}/CreateArtifact`, fake.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(noAuth.status).toBe(401);
  });

  it("injected 5xx failures recover after N times (checked with plain HTTP: the SDK would back off 3 s)", async () => {
    fake.fail({ route: "CreateArtifact", status: 500, times: 2 });
    const call = () =>
      fetch(new URL(`/twirp/${TWIRP_SERVICE}/CreateArtifact`, fake.url), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${makeRuntimeToken()}` },
        body: JSON.stringify({ workflow_run_backend_id: DEFAULT_RUN_BACKEND_ID, workflow_job_run_backend_id: DEFAULT_JOB_BACKEND_ID, name: "n", version: 7 }),
      });
    const r1 = await call();
    expect(r1.status).toBe(500);
    expect(await r1.json()).toMatchObject({ code: "internal" });
    expect((await call()).status).toBe(500);
    const ok = await call();
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { ok: boolean; signed_upload_url: string };
    expect(body.ok).toBe(true);
    const signed = new URL(body.signed_upload_url);
    expect(signed.origin).toBe(new URL(fake.url).origin);
    expect(signed.searchParams.get("sig")).toBeTruthy();
    expect(signed.searchParams.get("se")).toBeTruthy();

    // single-shot BlockBlob PUT, then a wrong signature is refused
    const put = await fetch(signed, { method: "PUT", headers: { "x-ms-blob-type": "BlockBlob" }, body: "raw" });
    expect(put.status).toBe(201);
    expect(put.headers.get("etag")).toBeTruthy();
    expect(fake.allArtifacts()[0]!.content!.toString()).toBe("raw");
    signed.searchParams.set("sig", "forged");
    const forged = await fetch(signed, { method: "PUT", headers: { "x-ms-blob-type": "BlockBlob" }, body: "x" });
    expect(forged.status).toBe(403);
    expect(forged.headers.get("x-ms-error-code")).toBe("AuthenticationFailed");
  });
});
