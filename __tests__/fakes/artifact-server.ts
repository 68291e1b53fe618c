/**
 * Loopback fake of the GitHub Actions "results" artifact backend (the one
 * @actions/artifact v2+ / upload-artifact v4+ talk to), good enough for the
 * REAL `DefaultArtifactClient().uploadArtifact()` to succeed against it.
 *
 * Wire protocol (as driven by @actions/artifact 6.2.1 + @azure/storage-blob 12.34):
 *   1. POST /twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact
 *        {workflow_run_backend_id, workflow_job_run_backend_id, name, version: 7, mime_type, expires_at?}
 *        -> 200 {ok: true, signed_upload_url}
 *   2. PUT  <signed_upload_url>&comp=block&blockid=<b64>   (one per 8 MiB chunk)  -> 201
 *      PUT  <signed_upload_url>&comp=blocklist  <BlockList><Latest>…</Latest></BlockList> -> 201 + ETag
 *      (`BlockBlobClient.uploadStream` always stages blocks and commits a list, even for tiny
 *       or empty zips; a single-shot `PUT` with `x-ms-blob-type: BlockBlob` is accepted too.)
 *   3. POST …/FinalizeArtifact {…ids, name, size: "<n>", hash: "sha256:<hex>"} -> {ok: true, artifact_id: "<n>"}
 *   Also: ListArtifacts, GetSignedArtifactURL (+ blob GET), DeleteArtifact.
 *
 * ATTEMPTS of one workflow run (re-runs): each attempt's runtime token carries its own run backend id (GitHub
 * keeps each attempt's artifacts in its own container; names are unique per attempt). `attemptEnv(run, n)` hands
 * out such tokens and remembers which workflow run they belong to; ListArtifacts then lists the artifacts of
 * every attempt of the requester's workflow run, each with its own backend ids, and GetSignedArtifactURL serves
 * an earlier attempt's artifact to a later attempt's token. Whether GitHub's service does the latter is not
 * documented, and one public report (MeshInspector/MeshLib#6474) saw `(404) Not Found: workflow run not found`
 * there: `crossAttemptDownloads: false` answers that instead.
 *
 * GITHUB'S REST API for artifacts (what @actions/artifact's `findBy` uses; point GITHUB_API_URL here), run-scoped:
 *   GET /repos/{o}/{r}/actions/runs/{run_id}/artifacts     {total_count, artifacts: [{id, name, size_in_bytes, …}]}
 *   GET /repos/{o}/{r}/actions/artifacts/{id}/zip          302 to a signed blob URL
 *   Only ACTIONS_READ_TOKEN has `actions: read`; any other token gets 403 "Resource not accessible by integration".
 *
 * The SDK takes only the ORIGIN of ACTIONS_RESULTS_URL, reads run/job backend ids from the
 * unsigned JWT in ACTIONS_RUNTIME_TOKEN (`scp` claim), and refuses to run when
 * GITHUB_SERVER_URL names a GHES host (leave it unset or https://github.com in tests).
 *
 * RETRIES — keep failure tests fast:
 *   - The Twirp client retries 500/502/503/504/429 up to 5 attempts with 3 s base backoff
 *     (×1.5), i.e. ~20 s+ before giving up. A non-JSON error body is ALSO treated as retryable
 *     (JSON.parse throws), so this fake always answers Twirp errors with JSON.
 *   - The Azure blob pipeline retries 500/503 up to 4 tries (0 s, 4 s, 12 s backoff).
 *   So to test "artifact service fails" quickly, inject a NON-retryable status
 *   (400/401/403/404/409/412); 5xx modes exist but cost seconds per retry.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { closeNow, listenOnLoopback } from "./loopback.js";
import { createHash, randomBytes } from "node:crypto";
import { crc32, inflateRawSync } from "node:zlib";

export const TWIRP_SERVICE = "github.actions.results.api.v1.ArtifactService";
const REST_LIST = /^\/repos\/[^/]+\/[^/]+\/actions\/runs\/(\d+)\/artifacts$/;
const REST_DOWNLOAD = /^\/repos\/[^/]+\/[^/]+\/actions\/artifacts\/(\d+)\/zip$/;
const TWIRP_PREFIX = `/twirp/${TWIRP_SERVICE}/`;

// ---------------------------------------------------------------------------
// Runtime token
// ---------------------------------------------------------------------------

function b64url(value: string | Buffer): string {
  return Buffer.from(value).toString("base64url");
}

export interface RuntimeTokenOptions {
  runBackendId?: string;
  jobBackendId?: string;
  /** Extra space-separated scopes placed before the Actions.Results one (the SDK must skip them). */
  extraScopes?: string[];
}

/**
 * An unsigned JWT (`alg: none`, empty signature) whose `scp` claim carries
 * `Actions.Results:<runBackendId>:<jobBackendId>`, the shape the runner injects as
 * ACTIONS_RUNTIME_TOKEN. @actions/artifact decodes it with jwt-decode and never verifies it.
 */
export function makeRuntimeToken(opts: RuntimeTokenOptions = {}): string {
  const run = opts.runBackendId ?? DEFAULT_RUN_BACKEND_ID;
  const job = opts.jobBackendId ?? DEFAULT_JOB_BACKEND_ID;
  const scopes = [...(opts.extraScopes ?? ["Actions.GenericRead:00000000-0000-0000-0000-000000000000"]), `Actions.Results:${run}:${job}`];
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: "JWT", alg: "none" };
  const payload = { scp: scopes.join(" "), iat: now, nbf: now, exp: now + 6 * 3600, iss: "fake-artifact-server", aud: "vso:fake" };
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.`;
}

/** A GITHUB_TOKEN with `actions: read`, for the REST routes. */
export const ACTIONS_READ_TOKEN = "ghs_FakeActionsReadToken000000000000000";

export const DEFAULT_RUN_BACKEND_ID = "11111111-2222-4333-8444-555555555555";
export const DEFAULT_JOB_BACKEND_ID = "66666666-7777-4888-9999-aaaaaaaaaaaa";

/** Returns the Actions.Results ids from a runtime token, or undefined when absent/undecodable. */
export function backendIdsFromToken(token: string): { runBackendId: string; jobBackendId: string } | undefined {
  const parts = token.split(".");
  if (parts.length < 2) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  const scp = (payload as { scp?: unknown }).scp;
  if (typeof scp !== "string") return undefined;
  for (const scope of scp.split(" ")) {
    const bits = scope.split(":");
    if (bits[0] === "Actions.Results" && bits.length === 3) return { runBackendId: bits[1]!, jobBackendId: bits[2]! };
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Tiny zip reader (central directory; stored + deflate; zip64 sizes/offsets)
// ---------------------------------------------------------------------------

export interface ZipEntry {
  /** Path inside the archive, as stored (forward slashes). */
  name: string;
  /** Uncompressed bytes (empty for directories). */
  data: Buffer;
  /** 0 = stored, 8 = deflate. */
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  isDirectory: boolean;
}

function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) return i;
  }
  throw new Error("zip: end of central directory not found");
}

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("zip: 64-bit value too large");
  return Number(v);
}

/** Parses a zip archive fully in memory and verifies sizes and CRC-32 of every entry. */
export function readZip(buf: Buffer): ZipEntry[] {
  const eocd = findEocd(buf);
  let count = buf.readUInt16LE(eocd + 10);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== 0x07064b50) throw new Error("zip: zip64 locator missing");
    const z64 = u64(buf, loc + 8);
    if (buf.readUInt32LE(z64) !== 0x06064b50) throw new Error("zip: zip64 end record missing");
    count = u64(buf, z64 + 32);
    cdOffset = u64(buf, z64 + 48);
  }
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`zip: bad central directory header at ${p}`);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let localOffset = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString("utf8");
    // zip64 extended information extra field (0x0001): present values replace 0xFFFFFFFF ones, in order.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = buf.readUInt16LE(e);
      const len = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) {
          size = u64(buf, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(buf, q);
          q += 8;
        }
        if (localOffset === 0xffffffff) localOffset = u64(buf, q);
      }
      e += 4 + len;
    }
    p = extraEnd + commentLen;

    if (buf.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`zip: bad local header for ${name}`);
    const dataStart = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    const raw = buf.subarray(dataStart, dataStart + compressedSize);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = inflateRawSync(raw);
    else throw new Error(`zip: unsupported compression method ${method} for ${name}`);
    if (data.length !== size) throw new Error(`zip: size mismatch for ${name}: ${data.length} != ${size}`);
    if (crc32(data) >>> 0 !== crc >>> 0) throw new Error(`zip: CRC mismatch for ${name}`);
    entries.push({ name, data, method, compressedSize, size, crc32: crc, isDirectory: name.endsWith("/") });
  }
  return entries;
}

// ---------------------------------------------------------------------------
// Server state
// ---------------------------------------------------------------------------

export type ArtifactRoute =
  | "CreateArtifact"
  | "FinalizeArtifact"
  | "ListArtifacts"
  | "GetSignedArtifactURL"
  | "DeleteArtifact"
  | "BlobBlock"
  | "BlobBlockList"
  | "BlobPut"
  | "BlobGet"
  | "RestList"
  | "RestDownload"
  | "unknown";

export interface ArtifactFailure {
  route: Exclude<ArtifactRoute, "unknown">;
  /** Only requests for the artifact of this name (Twirp routes), e.g. fail one upload and not another. */
  name?: string;
  /** HTTP status to answer with. */
  status: number;
  /** How many matching requests fail before the route recovers (default: all of them). */
  times?: number;
  /** Twirp error code (default derived from status) or Azure error code for blob routes. */
  code?: string;
  /** Error message (Twirp `msg`, Azure `<Message>`). */
  msg?: string;
}

export interface RecordedArtifactRequest {
  seq: number;
  method: string;
  /** Path + query exactly as received. */
  url: string;
  route: ArtifactRoute;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Response status (set once answered). */
  status?: number;
  /** True when the answer came from an injected failure. */
  injected?: boolean;
}

type ArtifactState = "created" | "uploaded" | "finalized";

export interface StoredArtifact {
  id: number;
  name: string;
  runBackendId: string;
  jobBackendId: string;
  /** `version` sent in CreateArtifact (7 for @actions/artifact 6.x). */
  version: number | undefined;
  mimeType: string | undefined;
  expiresAt: string | undefined;
  state: ArtifactState;
  createdAt: Date;
  /** Path of the blob on this server (/<account>/<container>/…). */
  blobPath: string;
  /** Committed blob bytes (the zip, or the raw file when skipArchive was used). */
  content: Buffer | undefined;
  /** Content type sent with the blob (x-ms-blob-content-type / content-type). */
  contentType: string | undefined;
  /** "sha256:<hex>" of `content`, computed by the fake. */
  sha256: string | undefined;
  /** Values the client declared in FinalizeArtifact. */
  declaredSize: number | undefined;
  declaredHash: string | undefined;
}

interface BlobState {
  artifactKey: string;
  sigs: Set<string>;
  expires: Date;
  blocks: Map<string, Buffer>;
  committed: Buffer | undefined;
  etag: string | undefined;
  contentType: string | undefined;
}

export interface FakeArtifactServerOptions {
  /** Azure account name used as first path segment of signed URLs (path-style, as for IP hosts). */
  account?: string;
  container?: string;
  /** First artifact id handed out (default 1001). */
  firstArtifactId?: number;
  /** Enforce that the bearer token's Actions.Results ids match the request's ids (default true). */
  checkToken?: boolean;
  /** Serve an earlier attempt's artifact to a later attempt of the same workflow run (default true; see the header). */
  crossAttemptDownloads?: boolean;
}

const TWIRP_CODE_BY_STATUS: Record<number, string> = {
  400: "invalid_argument",
  401: "unauthenticated",
  403: "permission_denied",
  404: "not_found",
  408: "deadline_exceeded",
  409: "already_exists",
  412: "failed_precondition",
  429: "resource_exhausted",
  500: "internal",
  501: "unimplemented",
  502: "unavailable",
  503: "unavailable",
  504: "deadline_exceeded",
};

const AZURE_CODE_BY_STATUS: Record<number, string> = {
  400: "InvalidInput",
  403: "AuthenticationFailed",
  404: "BlobNotFound",
  409: "BlobAlreadyExists",
  412: "ConditionNotMet",
  500: "InternalError",
  503: "ServerBusy",
};

class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Reads a proto JSON field by its proto (snake_case) or JSON (camelCase) name. */
function field(obj: Record<string, unknown>, snake: string): unknown {
  if (snake in obj) return obj[snake];
  const camel = snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  return obj[camel];
}

function str(obj: Record<string, unknown>, snake: string): string | undefined {
  const v = field(obj, snake);
  if (v === undefined || v === null) return undefined;
  // google.protobuf.StringValue/Int64Value are plain JSON scalars; tolerate {value} too.
  if (typeof v === "object" && "value" in (v as object)) return String((v as { value: unknown }).value);
  return String(v);
}

/** The `name` of a Twirp request body, if it has one. */
function twirpName(body: Buffer): string | undefined {
  try {
    const msg = JSON.parse(body.toString("utf8")) as Record<string, unknown> | null;
    return msg && typeof msg === "object" ? str(msg, "name") : undefined;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export class FakeArtifactServer {
  /** Every request received, in order. */
  readonly requests: RecordedArtifactRequest[] = [];
  private readonly server: Server;
  private readonly failures: Array<ArtifactFailure & { remaining: number }> = [];
  private readonly artifactsByKey = new Map<string, StoredArtifact>();
  private readonly blobs = new Map<string, BlobState>();
  private readonly account: string;
  private readonly container: string;
  private readonly checkToken: boolean;
  private readonly crossAttemptDownloads: boolean;
  /** Run backend id → the workflow run whose attempt it is (attemptEnv). */
  private readonly workflowRuns = new Map<string, string>();
  private nextId: number;
  private port = 0;

  private constructor(opts: FakeArtifactServerOptions) {
    this.account = opts.account ?? "devstoreaccount1";
    this.container = opts.container ?? "actions-results";
    this.nextId = opts.firstArtifactId ?? 1001;
    this.checkToken = opts.checkToken ?? true;
    this.crossAttemptDownloads = opts.crossAttemptDownloads ?? true;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(err));
      });
    });
  }

  /** Starts a server on 127.0.0.1 with an ephemeral port. */
  static async start(opts: FakeArtifactServerOptions = {}): Promise<FakeArtifactServer> {
    const fake = new FakeArtifactServer(opts);
    fake.port = await listenOnLoopback(fake.server);
    return fake;
  }

  /** Base URL with trailing slash, the value for ACTIONS_RESULTS_URL. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /**
   * The env vars a node action receives from the runner for artifact uploads.
   * GITHUB_SERVER_URL is deliberately absent (unset counts as github.com, not GHES).
   */
  env(opts: RuntimeTokenOptions = {}): { ACTIONS_RESULTS_URL: string; ACTIONS_RUNTIME_TOKEN: string } {
    return { ACTIONS_RESULTS_URL: this.url, ACTIONS_RUNTIME_TOKEN: makeRuntimeToken(opts) };
  }

  /** The runner's env for attempt `attempt` of workflow run `workflowRunId`: a token with that attempt's backend ids. */
  attemptEnv(workflowRunId: string, attempt: number): { ACTIONS_RESULTS_URL: string; ACTIONS_RUNTIME_TOKEN: string } {
    const hex = createHash("sha256").update(`${workflowRunId}/${attempt}`).digest("hex");
    const uuid = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
    const runBackendId = uuid(hex);
    this.workflowRuns.set(runBackendId, workflowRunId);
    return this.env({ runBackendId, jobBackendId: uuid(hex.slice(32)) });
  }

  /** Two run backend ids of attempts of the same workflow run (or the same id). */
  private sameWorkflowRun(a: string, b: string): boolean {
    if (a === b) return true;
    const run = this.workflowRuns.get(a);
    return run !== undefined && run === this.workflowRuns.get(b);
  }

  async close(): Promise<void> {
    await closeNow(this.server);
  }

  // ---- failure injection --------------------------------------------------

  /** Makes `route` answer `status` for the next `times` requests (default: forever). */
  fail(failure: ArtifactFailure): void {
    this.failures.push({ ...failure, remaining: failure.times ?? Number.POSITIVE_INFINITY });
  }

  /** Removes all injected failures. */
  clearFailures(): void {
    this.failures.length = 0;
  }

  // ---- state for assertions ----------------------------------------------

  /** Finalized (committed) artifacts, in creation order. Optionally only one run's. */
  artifacts(runBackendId?: string): StoredArtifact[] {
    return [...this.artifactsByKey.values()].filter(
      (a) => a.state === "finalized" && (runBackendId === undefined || a.runBackendId === runBackendId),
    );
  }

  /** Every artifact record including ones created but never finalized (e.g. after a failed upload). */
  allArtifacts(): StoredArtifact[] {
    return [...this.artifactsByKey.values()];
  }

  /** A finalized artifact by name (default run), or undefined. */
  artifact(name: string, runBackendId: string = DEFAULT_RUN_BACKEND_ID): StoredArtifact | undefined {
    const a = this.artifactsByKey.get(`${runBackendId}/${name}`);
    return a?.state === "finalized" ? a : undefined;
  }

  /** Entries (names + uncompressed bytes) of a finalized artifact's zip. Throws if absent. */
  zipEntries(name: string, runBackendId: string = DEFAULT_RUN_BACKEND_ID): ZipEntry[] {
    const a = this.artifact(name, runBackendId);
    if (!a?.content) throw new Error(`no finalized artifact named ${JSON.stringify(name)} in run ${runBackendId}`);
    return readZip(a.content);
  }

  /** `{ "path/in/zip": "utf8 text" }` for a finalized artifact — handy for toEqual assertions. */
  zipFiles(name: string, runBackendId: string = DEFAULT_RUN_BACKEND_ID): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.zipEntries(name, runBackendId)) out[e.name] = e.data.toString("utf8");
    return out;
  }

  /**
   * Where `secret` (or its base64 / URL-encoded forms) occurs in anything the client sent:
   * request URLs, header values, raw bodies, and the DECOMPRESSED entry names and bytes of
   * every stored blob (deflate would otherwise hide it). Empty array = not found.
   */
  findSecret(secret: string): string[] {
    if (!secret) throw new Error("findSecret: empty secret");
    const needles = [...new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString("base64")])].map((s) => Buffer.from(s));
    const hit = (b: Buffer | string): boolean => {
      const buf = typeof b === "string" ? Buffer.from(b) : b;
      return needles.some((n) => buf.includes(n));
    };
    const found: string[] = [];
    for (const r of this.requests) {
      if (hit(r.url)) found.push(`request #${r.seq} url`);
      for (const [k, v] of Object.entries(r.headers)) {
        if (v !== undefined && hit(Array.isArray(v) ? v.join("\n") : v)) found.push(`request #${r.seq} header ${k}`);
      }
      if (hit(r.body)) found.push(`request #${r.seq} body`);
    }
    for (const [path, blob] of this.blobs) {
      const contents = [...blob.blocks.values()];
      if (blob.committed) contents.push(blob.committed);
      for (const c of contents) {
        let entries: ZipEntry[] | undefined;
        try {
          entries = readZip(c);
        } catch {
          entries = undefined; // not a (complete) zip: raw bytes were already checked above
        }
        for (const e of entries ?? []) {
          if (hit(e.name)) found.push(`blob ${path} entry name ${e.name}`);
          if (hit(e.data)) found.push(`blob ${path} entry ${e.name}`);
        }
      }
    }
    return found;
  }

  /** Requests for one route (e.g. "CreateArtifact"). */
  requestsFor(route: ArtifactRoute): RecordedArtifactRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  // ---- request handling ---------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", this.url);
    const route = this.routeOf(req.method ?? "GET", url, req.headers);
    const rec: RecordedArtifactRequest = {
      seq: this.requests.length + 1,
      method: req.method ?? "GET",
      url: req.url ?? "/",
      route,
      headers: req.headers,
      body,
    };
    this.requests.push(rec);
    const isTwirp = url.pathname.startsWith("/twirp/");
    try {
      const named = isTwirp ? twirpName(body) : undefined;
      const injected = this.failures.find((f) => f.route === route && f.remaining > 0 && (f.name === undefined || f.name === named));
      if (injected) {
        injected.remaining--;
        rec.injected = true;
        const code = injected.code ?? (isTwirp ? TWIRP_CODE_BY_STATUS[injected.status] : AZURE_CODE_BY_STATUS[injected.status]) ?? (isTwirp ? "unknown" : "InternalError");
        throw new HttpError(injected.status, code, injected.msg ?? `injected failure (${injected.status}) for ${route}`);
      }
      if (isTwirp) await this.handleTwirp(route, req, body, res);
      else if (route === "RestList" || route === "RestDownload") this.handleRest(route, req, url, res);
      else this.handleBlob(route, req, url, body, res);
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, isTwirp ? "internal" : "InternalError", String(err));
      if (isTwirp) this.twirpError(res, e);
      else this.azureError(res, e);
    }
    rec.status = res.statusCode;
  }

  private routeOf(method: string, url: URL, headers: IncomingHttpHeaders): ArtifactRoute {
    if (url.pathname.startsWith(TWIRP_PREFIX)) {
      const m = url.pathname.slice(TWIRP_PREFIX.length);
      if (["CreateArtifact", "FinalizeArtifact", "ListArtifacts", "GetSignedArtifactURL", "DeleteArtifact"].includes(m)) return m as ArtifactRoute;
      return "unknown";
    }
    if (method === "GET" && REST_LIST.test(url.pathname)) return "RestList";
    if (method === "GET" && REST_DOWNLOAD.test(url.pathname)) return "RestDownload";
    const comp = url.searchParams.get("comp");
    if (method === "PUT" && comp === "block") return "BlobBlock";
    if (method === "PUT" && comp === "blocklist") return "BlobBlockList";
    if (method === "PUT" && !comp && String(headers["x-ms-blob-type"] ?? "").toLowerCase() === "blockblob") return "BlobPut";
    if ((method === "GET" || method === "HEAD") && !comp) return "BlobGet";
    return "unknown";
  }

  // ---- GitHub REST (run-scoped, needs actions: read) -------------------------

  private handleRest(route: "RestList" | "RestDownload", req: IncomingMessage, url: URL, res: ServerResponse): void {
    const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(payload);
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
      res.end(text);
    };
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""))?.[1];
    if (!token) return json(401, { message: "Requires authentication", status: "401" });
    if (token !== ACTIONS_READ_TOKEN) return json(403, { message: "Resource not accessible by integration", status: "403" });
    if (route === "RestList") {
      const runId = REST_LIST.exec(url.pathname)![1]!;
      const all = this.artifacts().filter((a) => this.workflowRuns.get(a.runBackendId) === runId);
      const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30) || 30, 100);
      const page = Math.max(Number(url.searchParams.get("page") ?? 1) || 1, 1);
      const artifacts = all.slice((page - 1) * perPage, page * perPage).map((a) => ({
        id: a.id,
        name: a.name,
        size_in_bytes: a.content?.length ?? 0,
        expired: false,
        created_at: a.createdAt.toISOString(),
        digest: a.sha256,
        workflow_run: { id: Number(runId) },
      }));
      return json(200, { total_count: all.length, artifacts });
    }
    const id = Number(REST_DOWNLOAD.exec(url.pathname)![1]);
    const a = this.artifacts().find((x) => x.id === id);
    if (!a) return json(404, { message: "Not Found", status: "404" });
    json(302, {}, { location: this.signedUrl(a.blobPath, this.blobs.get(a.blobPath)!, "r") });
  }

  // ---- Twirp --------------------------------------------------------------

  private twirpJson(res: ServerResponse, status: number, payload: unknown): void {
    const text = JSON.stringify(payload);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  private twirpError(res: ServerResponse, e: HttpError): void {
    this.twirpJson(res, e.status, { code: e.code, msg: e.message });
  }

  private async handleTwirp(route: ArtifactRoute, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    if (req.method !== "POST") throw new HttpError(404, "bad_route", `unsupported method ${req.method} (only POST is allowed)`);
    if (route === "unknown") throw new HttpError(404, "bad_route", `no handler for path ${req.url}`);
    const ctype = String(req.headers["content-type"] ?? "");
    if (!ctype.startsWith("application/json")) throw new HttpError(404, "bad_route", `unexpected Content-Type: ${JSON.stringify(ctype)} (fake speaks JSON only)`);
    let msg: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(body.toString("utf8"));
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      msg = parsed as Record<string, unknown>;
    } catch (err) {
      throw new HttpError(400, "malformed", `the json request could not be decoded: ${String(err)}`);
    }
    const runId = str(msg, "workflow_run_backend_id");
    const jobId = str(msg, "workflow_job_run_backend_id");
    this.authorize(req, runId, jobId, route);
    if (!runId || !jobId) throw new HttpError(400, "invalid_argument", "workflow_run_backend_id and workflow_job_run_backend_id are required");

    switch (route) {
      case "CreateArtifact":
        return this.twirpJson(res, 200, this.createArtifact(msg, runId, jobId));
      case "FinalizeArtifact":
        return this.twirpJson(res, 200, this.finalizeArtifact(msg, runId));
      case "ListArtifacts":
        return this.twirpJson(res, 200, this.listArtifacts(msg, runId));
      case "GetSignedArtifactURL":
        return this.twirpJson(res, 200, this.getSignedUrl(msg, runId));
      case "DeleteArtifact":
        return this.twirpJson(res, 200, this.deleteArtifact(msg, runId));
      default:
        throw new HttpError(404, "bad_route", `no handler for ${route}`);
    }
  }

  private authorize(req: IncomingMessage, runId: string | undefined, jobId: string | undefined, route: ArtifactRoute): void {
    const auth = String(req.headers.authorization ?? "");
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw new HttpError(401, "unauthenticated", "missing bearer token");
    const ids = backendIdsFromToken(m[1]!);
    if (!ids) throw new HttpError(401, "unauthenticated", "token has no Actions.Results scope");
    // A later attempt reading an earlier attempt's artifact, by the ids ListArtifacts gave it.
    if (route === "GetSignedArtifactURL" && runId !== undefined && runId !== ids.runBackendId && this.sameWorkflowRun(runId, ids.runBackendId)) {
      if (!this.crossAttemptDownloads) throw new HttpError(404, "not_found", "workflow run not found");
      return;
    }
    if (this.checkToken && ((runId !== undefined && runId !== ids.runBackendId) || (jobId !== undefined && jobId !== ids.jobBackendId))) {
      throw new HttpError(403, "permission_denied", "token is not valid for this workflow run / job");
    }
  }

  private createArtifact(msg: Record<string, unknown>, runId: string, jobId: string): unknown {
    const name = str(msg, "name");
    if (!name) throw new HttpError(400, "invalid_argument", "name is required");
    const key = `${runId}/${name}`;
    if (this.artifactsByKey.has(key)) {
      // Wording of the real service; the SDK surfaces it as
      // "Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run"
      throw new HttpError(409, "already_exists", "an artifact with this name already exists on the workflow run");
    }
    const id = this.nextId++;
    const versionRaw = field(msg, "version");
    const blobPath = `/${this.account}/${this.container}/${runId}/${jobId}/artifacts/${id}.zip`;
    const artifact: StoredArtifact = {
      id,
      name,
      runBackendId: runId,
      jobBackendId: jobId,
      version: versionRaw === undefined ? undefined : Number(versionRaw),
      mimeType: str(msg, "mime_type"),
      expiresAt: str(msg, "expires_at"),
      state: "created",
      createdAt: new Date(),
      blobPath,
      content: undefined,
      contentType: undefined,
      sha256: undefined,
      declaredSize: undefined,
      declaredHash: undefined,
    };
    this.artifactsByKey.set(key, artifact);
    const blob: BlobState = {
      artifactKey: key,
      sigs: new Set(),
      expires: new Date(Date.now() + 3600_000),
      blocks: new Map(),
      committed: undefined,
      etag: undefined,
      contentType: undefined,
    };
    this.blobs.set(blobPath, blob);
    return { ok: true, signed_upload_url: this.signedUrl(blobPath, blob, "cw") };
  }

  private signedUrl(blobPath: string, blob: BlobState, permissions: string): string {
    const sig = randomBytes(32).toString("base64");
    blob.sigs.add(sig);
    const q = new URLSearchParams({
      sv: "2025-01-05",
      se: blob.expires.toISOString().replace(/\.\d{3}Z$/, "Z"),
      sr: "b",
      sp: permissions,
      sig,
    });
    return `http://127.0.0.1:${this.port}${blobPath}?${q.toString()}`;
  }

  private findArtifact(runId: string, name: string | undefined): StoredArtifact {
    if (!name) throw new HttpError(400, "invalid_argument", "name is required");
    const a = this.artifactsByKey.get(`${runId}/${name}`);
    if (!a) throw new HttpError(404, "not_found", `artifact ${JSON.stringify(name)} not found`);
    return a;
  }

  private finalizeArtifact(msg: Record<string, unknown>, runId: string): unknown {
    const a = this.findArtifact(runId, str(msg, "name"));
    if (a.state === "finalized") throw new HttpError(409, "already_exists", "artifact is already finalized");
    if (a.state !== "uploaded" || !a.content) throw new HttpError(412, "failed_precondition", "artifact content has not been uploaded");
    const size = str(msg, "size");
    const hash = str(msg, "hash");
    a.declaredSize = size === undefined ? undefined : Number(size);
    a.declaredHash = hash;
    if (a.declaredSize !== undefined && a.declaredSize !== a.content.length) {
      throw new HttpError(400, "invalid_argument", `size mismatch: declared ${a.declaredSize}, uploaded ${a.content.length}`);
    }
    if (hash !== undefined && hash !== a.sha256) throw new HttpError(400, "invalid_argument", `hash mismatch: declared ${hash}, uploaded ${a.sha256}`);
    a.state = "finalized";
    return { ok: true, artifact_id: String(a.id) };
  }

  private listArtifacts(msg: Record<string, unknown>, runId: string): unknown {
    const nameFilter = str(msg, "name_filter");
    const idFilter = str(msg, "id_filter");
    const artifacts = this.artifacts()
      .filter((a) => this.sameWorkflowRun(a.runBackendId, runId))
      .filter((a) => (nameFilter === undefined || a.name === nameFilter) && (idFilter === undefined || String(a.id) === idFilter))
      .map((a) => ({
        workflow_run_backend_id: a.runBackendId,
        workflow_job_run_backend_id: a.jobBackendId,
        database_id: String(a.id),
        name: a.name,
        size: String(a.content?.length ?? 0),
        created_at: a.createdAt.toISOString(),
        ...(a.sha256 ? { digest: a.sha256 } : {}),
      }));
    return { artifacts };
  }

  private getSignedUrl(msg: Record<string, unknown>, runId: string): unknown {
    const a = this.findArtifact(runId, str(msg, "name"));
    if (a.state !== "finalized") throw new HttpError(404, "not_found", `artifact ${JSON.stringify(a.name)} not found`);
    const blob = this.blobs.get(a.blobPath)!;
    return { signed_url: this.signedUrl(a.blobPath, blob, "r") };
  }

  private deleteArtifact(msg: Record<string, unknown>, runId: string): unknown {
    const a = this.findArtifact(runId, str(msg, "name"));
    if (a.state !== "finalized") throw new HttpError(404, "not_found", `artifact ${JSON.stringify(a.name)} not found`);
    this.artifactsByKey.delete(`${runId}/${a.name}`);
    this.blobs.delete(a.blobPath);
    return { ok: true, artifact_id: String(a.id) };
  }

  // ---- Azure Block Blob ---------------------------------------------------

  private azureError(res: ServerResponse, e: HttpError): void {
    const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${e.code}</Code><Message>${e.message.replace(/[<>&]/g, "")}\nRequestId:${randomBytes(8).toString("hex")}\nTime:${new Date().toISOString()}</Message></Error>`;
    res.writeHead(e.status, {
      "content-type": "application/xml",
      "content-length": Buffer.byteLength(xml),
      "x-ms-error-code": e.code,
      "x-ms-request-id": randomBytes(8).toString("hex"),
    });
    res.end(xml);
  }

  private azureHeaders(req: IncomingMessage, extra: Record<string, string> = {}): Record<string, string> {
    return {
      "x-ms-request-id": randomBytes(8).toString("hex"),
      "x-ms-version": String(req.headers["x-ms-version"] ?? "2025-01-05"),
      date: new Date().toUTCString(),
      ...extra,
    };
  }

  private handleBlob(route: ArtifactRoute, req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse): void {
    if (route === "unknown") throw new HttpError(400, "UnsupportedHttpVerb", `unsupported blob operation ${req.method} ${url.search}`);
    const blob = this.blobs.get(url.pathname);
    if (!blob) throw new HttpError(404, route === "BlobGet" ? "BlobNotFound" : "ContainerNotFound", "The specified resource does not exist.");
    const sig = url.searchParams.get("sig");
    if (!sig || !blob.sigs.has(sig)) throw new HttpError(403, "AuthenticationFailed", "Server failed to authenticate the request. Signature did not match.");
    const se = url.searchParams.get("se");
    if (se && Date.parse(se) < Date.now()) throw new HttpError(403, "AuthenticationFailed", "Signed expiry time has passed.");
    const artifact = this.artifactsByKey.get(blob.artifactKey);
    const sp = url.searchParams.get("sp") ?? "";

    if (route === "BlobGet") {
      if (!sp.includes("r")) throw new HttpError(403, "AuthorizationPermissionMismatch", "This request is not authorized to perform this operation using this permission.");
      if (!blob.committed) throw new HttpError(404, "BlobNotFound", "The specified blob does not exist.");
      res.writeHead(200, this.azureHeaders(req, {
        "content-type": blob.contentType ?? "application/octet-stream",
        "content-length": String(blob.committed.length),
        etag: blob.etag ?? '""',
        "x-ms-blob-type": "BlockBlob",
      }));
      res.end(req.method === "HEAD" ? undefined : blob.committed);
      return;
    }
    if (!sp.includes("w")) throw new HttpError(403, "AuthorizationPermissionMismatch", "This request is not authorized to perform this operation using this permission.");
    if (artifact?.state === "finalized") throw new HttpError(409, "BlobImmutableDueToPolicy", "artifact already finalized");

    if (route === "BlobBlock") {
      const blockId = url.searchParams.get("blockid");
      if (!blockId) throw new HttpError(400, "InvalidQueryParameterValue", "blockid is required");
      blob.blocks.set(blockId, body);
      res.writeHead(201, this.azureHeaders(req, { "x-ms-request-server-encrypted": "true", "content-length": "0" }));
      res.end();
      return;
    }

    let content: Buffer;
    if (route === "BlobBlockList") {
      const xml = body.toString("utf8");
      if (!/<BlockList>/.test(xml)) throw new HttpError(400, "InvalidXmlDocument", "XML specified is not syntactically valid.");
      const ids = [...xml.matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g)].map((m) => m[2]!);
      const parts: Buffer[] = [];
      for (const id of ids) {
        const part = blob.blocks.get(id);
        if (!part) throw new HttpError(400, "InvalidBlockList", "The specified block list is invalid.");
        parts.push(part);
      }
      content = Buffer.concat(parts);
      blob.blocks.clear();
    } else {
      content = body; // BlobPut: single-shot upload
    }
    blob.committed = content;
    blob.contentType = String(req.headers["x-ms-blob-content-type"] ?? (route === "BlobPut" ? req.headers["content-type"] ?? "" : "")) || undefined;
    blob.etag = `"0x${createHash("sha1").update(content).digest("hex").slice(0, 15).toUpperCase()}"`;
    if (artifact) {
      artifact.content = content;
      artifact.contentType = blob.contentType;
      artifact.sha256 = `sha256:${createHash("sha256").update(content).digest("hex")}`;
      artifact.state = "uploaded";
    }
    res.writeHead(201, this.azureHeaders(req, {
      etag: blob.etag,
      "last-modified": new Date().toUTCString(),
      "x-ms-request-server-encrypted": "true",
      "content-length": "0",
    }));
    res.end();
  }
}
