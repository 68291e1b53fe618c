/**
 * Loopback fake of the GitHub REST + GraphQL API surface a sticky PR comment needs,
 * driven by the REAL Octokit from @actions/github (`getOctokit(token, { baseUrl: fake.url })`).
 *
 * How @actions/github finds the API (9.1.1):
 *   - `GITHUB_API_URL` is read ONCE, when `@actions/github` (lib/utils.js) is first imported, to
 *     build the Octokit defaults (baseUrl + a proxy-aware undici fetch for that URL). Setting it
 *     later has no effect on `getOctokit`; pass `{ baseUrl }` explicitly, or set the env before
 *     the first import (true for a spawned `node dist/index.js`).
 *   - `GITHUB_GRAPHQL_URL` is only copied into `context.graphqlUrl`; Octokit ignores it and posts
 *     GraphQL to `${baseUrl}/graphql` (or `/api/graphql` when baseUrl ends in `/api/v3`).
 *   - Octokit sends `authorization: token <TOKEN>`.
 *
 * REST:
 *   GET    /user                                        (installation tokens get 403, like GITHUB_TOKEN)
 *   GET    /repos/{o}/{r}/issues/{n}/comments           (?per_page ≤100, default 30; ?page; Link header)
 *   POST   /repos/{o}/{r}/issues/{n}/comments           201
 *   GET    /repos/{o}/{r}/issues/comments/{id}          200
 *   PATCH  /repos/{o}/{r}/issues/comments/{id}          200
 *   DELETE /repos/{o}/{r}/issues/comments/{id}          204
 *   GET    /repos/{o}/{r}/pulls/{n}                     200 (number, head.sha from `pullRequestHeads`)
 *   GET    /repos/{o}/{r}/contents/{path}?ref={sha}     files at a commit (`commits`, `addCommit`): the raw text for an
 *                                                       Accept of `application/vnd.github[.v3].raw`, as GitHub sends it
 *                                                       (text/plain; charset=utf-8), else the JSON object with base64
 *                                                       content; a folder is a JSON list; 404 "No commit found for the
 *                                                       ref" for an unknown commit, 404 "Not Found" for a missing path
 *   GET    /repos/{o}/{r}/git/commits/{sha}             200 for a commit in `commits`, else 404
 * GraphQL (POST /graphql), matched by content, not parsed:
 *   query  { viewer { login } }
 *   query  repository(owner,name){ pullRequest(number){ comments(first|last, after|before){ nodes|edges … pageInfo … } } }
 *   mutation minimizeComment / unminimizeComment / updateIssueComment / deleteIssueComment
 *
 * Modelled quirks:
 *   - `viewer.login` of the Actions token is "github-actions[bot]" but a bot's `author.login` in
 *     GraphQL is "github-actions" (no "[bot]"); REST `user.login` keeps "[bot]".
 *   - Body limit → 422 "body is too long (maximum is 65536 characters)", two modes:
 *       "strict" (default): > 65,536 UTF-16 code units (JS .length) OR > 262,144 UTF-8 bytes — the
 *         error text taken literally plus the byte cap; a body that passes this passes GitHub.
 *       "measured": > 262,144 UTF-8 bytes only — what public bisections observed on issue comments
 *         (dead-claudia/github-limits#13: 262,144 ASCII chars accepted, 262,145 refused; 65,536 🌈
 *         accepted; objectstack-ai/objectstack#18826: same boundary for POST and PATCH).
 *   - Read-only tokens (fork PRs): REST writes → 403 "Resource not accessible by integration";
 *     GraphQL mutations → 200 with a FORBIDDEN error and null data.
 *   - GraphQL `databaseId` is a 32-bit Int. Ids above 2^31-1 (set `firstCommentId` high) resolve to
 *     null plus an error; `fullDatabaseId` (BigInt, a string) always works. Real-service
 *     behaviour for that overflow is unverified — the default ids stay below 2^31.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { closeNow, listenOnLoopback } from "./loopback.js";

export const ACTIONS_BOT_LOGIN = "github-actions[bot]";
/** Default tokens: write-capable GITHUB_TOKEN, read-only (fork PR) GITHUB_TOKEN, another user's PAT. */
export const GITHUB_TOKEN = "ghs_FakeWriteToken0000000000000000000000";
export const READONLY_TOKEN = "ghs_FakeReadOnlyToken00000000000000000000";
export const OTHER_USER_TOKEN = "ghp_FakeSomeoneElse000000000000000000000";
export const OTHER_USER_LOGIN = "someone-else";
/** Repository that seeded comments belong to unless `owner`/`repo` are given. */
export const DEFAULT_OWNER = "octo-org";
export const DEFAULT_REPO = "octo-repo";

const DOCS = "https://docs.github.com/rest";
const MAX_CHARS = 65_536;
const MAX_BYTES = 262_144;
const INT32_MAX = 2_147_483_647;

export interface TokenIdentity {
  login: string;
  type: "Bot" | "User";
  /** False for read-only tokens (fork PRs, `permissions: read-all`). */
  canWrite: boolean;
  /** Numeric user id (defaults: 41898282 for github-actions[bot], otherwise derived). */
  id?: number;
}

export interface FakeGitHubOptions {
  /** Extra/override tokens → identity. The three default tokens are always added unless overridden. */
  tokens?: Record<string, TokenIdentity>;
  /** When set, only these PR numbers exist (others → 404 / GraphQL NOT_FOUND). Default: any number exists. */
  pullRequests?: number[];
  /** First comment id handed out (default 2_000_000_001; keep below 2^31 unless testing the overflow). */
  firstCommentId?: number;
  /** Clock for created_at/updated_at (default: 2026-01-01T00:00:00Z + 1 s per call, deterministic). */
  now?: () => Date;
  /** Host used in html_url (default https://github.com). */
  webUrl?: string;
  /** Comment body size rule, see the file header (default "strict"). */
  bodyLimit?: "strict" | "measured";
  /** Head commit SHA per PR number, served by GET /repos/{o}/{r}/pulls/{n} (default: a SHA derived from the number). */
  pullRequestHeads?: Record<number, string>;
  /** A commit's pull requests, served by GET /repos/{o}/{r}/commits/{sha}/pulls (default: none); `merged` is the merge commit's SHA. */
  commitPullRequests?: Record<string, Array<{ number: number; merged?: string }>>;
  /** Commits of the default repository and the files at each (path → text), served by the contents API. */
  commits?: Record<string, Record<string, string>>;
}

export interface FakeComment {
  id: number;
  nodeId: string;
  owner: string;
  repo: string;
  issueNumber: number;
  authorLogin: string;
  authorType: "Bot" | "User";
  body: string;
  createdAt: string;
  updatedAt: string;
  isMinimized: boolean;
  /** GraphQL minimizedReason, lowercase classifier ("outdated", …) or null. */
  minimizedReason: string | null;
  deleted: boolean;
  /** Logins that edited / minimized / deleted it, in order (for "never touched someone else's comment" checks). */
  history: Array<{ action: "created" | "updated" | "minimized" | "unminimized" | "deleted"; by: string; at: string }>;
}

export interface RecordedGitHubRequest {
  seq: number;
  method: string;
  /** Path + query as received. */
  url: string;
  /** Whether an Authorization header was sent (its value is never recorded). */
  hasAuth: boolean;
  /** Identity the token resolved to, if any. */
  login: string | undefined;
  /** Headers minus `authorization`. */
  headers: IncomingHttpHeaders;
  body: string;
  /** Parsed GraphQL payload for POST /graphql. */
  graphql?: { query: string; variables: Record<string, unknown> };
  status?: number;
}

export interface SeedCommentInput {
  number: number;
  body: string;
  /** Login of the author (default github-actions[bot]). Type is Bot for "*[bot]" logins unless given. */
  author?: string;
  authorType?: "Bot" | "User";
  owner?: string;
  repo?: string;
  /** Seed as minimized; a string is the classifier (default OUTDATED). */
  minimized?: boolean | string;
}

export interface InjectedGitHubFailure {
  method?: string;
  /** Substring or regex matched against the request path. */
  path: string | RegExp;
  status: number;
  times?: number;
  body?: unknown;
}

class ApiError extends Error {
  readonly status: number;
  readonly payload: Record<string, unknown>;
  constructor(status: number, payload: Record<string, unknown>) {
    super(String(payload.message));
    this.status = status;
    this.payload = payload;
  }
}

const CLASSIFIERS = ["SPAM", "ABUSE", "OFF_TOPIC", "OUTDATED", "DUPLICATE", "RESOLVED", "LOW_QUALITY"];

function graphqlLogin(login: string, type: "Bot" | "User"): string {
  return type === "Bot" ? login.replace(/\[bot\]$/, "") : login;
}

function userId(login: string): number {
  if (login === ACTIONS_BOT_LOGIN) return 41898282;
  let h = 7;
  for (const c of login) h = (h * 31 + c.charCodeAt(0)) % 90_000_000;
  return 10_000_000 + h;
}

function restTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

// ---- mini GraphQL helpers (content matching, not parsing) -------------------

type GqlValue = string | number | boolean | null | undefined;

/** Arguments of the first `fieldName(…)` in the query, with $variables resolved. */
function gqlArgs(query: string, fieldName: string, variables: Record<string, unknown>): Record<string, GqlValue> | undefined {
  const m = new RegExp(`\\b${fieldName}\\s*\\(([^)]*)\\)`).exec(query);
  if (!m) return undefined;
  const out: Record<string, GqlValue> = {};
  const re = /(\w+)\s*:\s*(\$\w+|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|\w+)/g;
  const inner = m[1]!.replace(/^\s*input\s*:\s*\{/, "").replace(/\}\s*$/, "");
  for (const a of inner.matchAll(re)) {
    const [, key, raw] = a as unknown as [string, string, string];
    let v: GqlValue;
    if (raw.startsWith("$")) {
      const vv = variables[raw.slice(1)];
      v = vv === undefined || vv === null ? (vv as null | undefined) : typeof vv === "object" ? undefined : (vv as GqlValue);
    } else if (raw.startsWith('"')) v = JSON.parse(raw) as string;
    else if (/^-?\d/.test(raw)) v = Number(raw);
    else if (raw === "true" || raw === "false") v = raw === "true";
    else if (raw === "null") v = null;
    else v = raw; // enum
    out[key] = v;
  }
  // `input: $input` — a variable holding the whole input object
  const whole = /\binput\s*:\s*\$(\w+)/.exec(m[1]!);
  if (whole) {
    const obj = variables[whole[1]!];
    if (obj && typeof obj === "object") Object.assign(out, obj as Record<string, GqlValue>);
  }
  return out;
}

function mentions(query: string, field: string): boolean {
  return new RegExp(`\\b${field}\\b`).test(query);
}

function encodeCursor(id: number): string {
  return Buffer.from(`cursor:v2:${id}`).toString("base64");
}

function decodeCursor(cursor: string): number | undefined {
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
  return m ? Number(m[1]) : undefined;
}

export class FakeGitHub {
  readonly requests: RecordedGitHubRequest[] = [];
  private readonly server: Server;
  private readonly tokens = new Map<string, TokenIdentity>();
  private readonly comments = new Map<number, FakeComment>();
  private readonly failures: Array<InjectedGitHubFailure & { remaining: number }> = [];
  private readonly pullRequests: Set<number> | undefined;
  private readonly commitPullRequests: NonNullable<FakeGitHubOptions["commitPullRequests"]>;
  private readonly webUrl: string;
  private readonly now: () => Date;
  private readonly bodyLimit: "strict" | "measured";
  private readonly pullRequestHeads: Record<number, string>;
  /** `owner/repo` → commit → path → text. */
  private readonly commits = new Map<string, Map<string, Record<string, string>>>();
  private nextId: number;
  private port = 0;

  private constructor(opts: FakeGitHubOptions) {
    this.tokens.set(GITHUB_TOKEN, { login: ACTIONS_BOT_LOGIN, type: "Bot", canWrite: true });
    this.tokens.set(READONLY_TOKEN, { login: ACTIONS_BOT_LOGIN, type: "Bot", canWrite: false });
    this.tokens.set(OTHER_USER_TOKEN, { login: OTHER_USER_LOGIN, type: "User", canWrite: true });
    for (const [t, id] of Object.entries(opts.tokens ?? {})) this.tokens.set(t, id);
    this.pullRequests = opts.pullRequests ? new Set(opts.pullRequests) : undefined;
    this.commitPullRequests = opts.commitPullRequests ?? {};
    this.webUrl = opts.webUrl ?? "https://github.com";
    this.bodyLimit = opts.bodyLimit ?? "strict";
    this.pullRequestHeads = { ...opts.pullRequestHeads };
    for (const [sha, files] of Object.entries(opts.commits ?? {})) this.addCommit(sha, files);
    this.nextId = opts.firstCommentId ?? 2_000_000_001;
    let tick = Date.parse("2026-01-01T00:00:00Z");
    this.now = opts.now ?? (() => new Date((tick += 1000)));
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: `fake github crashed: ${String(err)}` }));
      });
    });
  }

  static async start(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const fake = new FakeGitHub(opts);
    fake.port = await listenOnLoopback(fake.server);
    return fake;
  }

  /** REST base URL (no trailing slash): pass as `getOctokit(token, { baseUrl: fake.url })`, or GITHUB_API_URL. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get graphqlUrl(): string {
    return `${this.url}/graphql`;
  }

  /** Env for a spawned action process (read by @actions/github at import time). */
  env(): { GITHUB_API_URL: string; GITHUB_GRAPHQL_URL: string; GITHUB_SERVER_URL: string } {
    return { GITHUB_API_URL: this.url, GITHUB_GRAPHQL_URL: this.graphqlUrl, GITHUB_SERVER_URL: this.webUrl };
  }

  async close(): Promise<void> {
    await closeNow(this.server);
  }

  // ---- configuration ------------------------------------------------------

  addToken(token: string, identity: TokenIdentity): void {
    this.tokens.set(token, identity);
  }

  /** Makes matching requests answer `status` (default body: a GitHub-style message) `times` times (default forever). */
  fail(failure: InjectedGitHubFailure): void {
    this.failures.push({ ...failure, remaining: failure.times ?? Number.POSITIVE_INFINITY });
  }

  clearFailures(): void {
    this.failures.length = 0;
  }

  /** A commit and the files at it (path relative to the repository root → text), for the contents API. */
  addCommit(sha: string, files: Record<string, string>, repo: { owner?: string; repo?: string } = {}): void {
    const key = `${repo.owner ?? DEFAULT_OWNER}/${repo.repo ?? DEFAULT_REPO}`;
    const commits = this.commits.get(key) ?? this.commits.set(key, new Map()).get(key)!;
    commits.set(sha, { ...files });
  }

  seedComment(input: SeedCommentInput): FakeComment {
    const login = input.author ?? ACTIONS_BOT_LOGIN;
    const type = input.authorType ?? this.typeOf(login);
    const c = this.insertComment(input.owner ?? DEFAULT_OWNER, input.repo ?? DEFAULT_REPO, input.number, login, type, input.body);
    if (input.minimized) {
      c.isMinimized = true;
      c.minimizedReason = (typeof input.minimized === "string" ? input.minimized : "OUTDATED").toLowerCase();
    }
    return c;
  }

  /** Seeds `count` comments; `make(i)` may override any field (default body "seed comment i"). */
  seedComments(number: number, count: number, make?: (i: number) => Partial<SeedCommentInput>): FakeComment[] {
    return Array.from({ length: count }, (_, i) => this.seedComment({ number, body: `seed comment ${i}`, ...make?.(i) }));
  }

  // ---- state for assertions ----------------------------------------------

  /** Comments on a PR in creation order; deleted ones only with includeDeleted. */
  commentsOn(number: number, opts: { owner?: string; repo?: string; includeDeleted?: boolean } = {}): FakeComment[] {
    return [...this.comments.values()].filter(
      (c) =>
        c.issueNumber === number &&
        (opts.owner === undefined || c.owner === opts.owner) &&
        (opts.repo === undefined || c.repo === opts.repo) &&
        (opts.includeDeleted || !c.deleted),
    );
  }

  /** Every comment ever created (including deleted). */
  allComments(): FakeComment[] {
    return [...this.comments.values()];
  }

  comment(id: number): FakeComment | undefined {
    return this.comments.get(id);
  }

  /** Requests whose path+query, headers or body contain `secret` (auth header values are never stored). */
  findSecret(secret: string): RecordedGitHubRequest[] {
    if (!secret) throw new Error("findSecret: empty secret");
    return this.requests.filter((r) => r.url.includes(secret) || r.body.includes(secret) || JSON.stringify(r.headers).includes(secret));
  }

  /** Write requests (POST/PATCH/DELETE and GraphQL mutations). */
  writes(): RecordedGitHubRequest[] {
    return this.requests.filter((r) => (r.graphql ? /^\s*mutation\b/.test(r.graphql.query) : r.method !== "GET" && r.method !== "HEAD"));
  }

  // ---- internals ------------------------------------------------------------

  private typeOf(login: string): "Bot" | "User" {
    for (const id of this.tokens.values()) if (id.login === login) return id.type;
    return login.endsWith("[bot]") ? "Bot" : "User";
  }

  private insertComment(owner: string, repo: string, number: number, login: string, type: "Bot" | "User", body: string): FakeComment {
    const id = this.nextId++;
    const at = restTime(this.now());
    const c: FakeComment = {
      id,
      nodeId: `IC_kwDO${Buffer.from(`fake:${id}`).toString("base64url")}`,
      owner,
      repo,
      issueNumber: number,
      authorLogin: login,
      authorType: type,
      body,
      createdAt: at,
      updatedAt: at,
      isMinimized: false,
      minimizedReason: null,
      deleted: false,
      history: [{ action: "created", by: login, at }],
    };
    this.comments.set(id, c);
    return c;
  }

  private restComment(c: FakeComment): Record<string, unknown> {
    const api = this.url;
    return {
      url: `${api}/repos/${c.owner}/${c.repo}/issues/comments/${c.id}`,
      html_url: `${this.webUrl}/${c.owner}/${c.repo}/pull/${c.issueNumber}#issuecomment-${c.id}`,
      issue_url: `${api}/repos/${c.owner}/${c.repo}/issues/${c.issueNumber}`,
      id: c.id,
      node_id: c.nodeId,
      user: this.restUser(c.authorLogin, c.authorType),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: c.authorType === "Bot" ? "NONE" : "CONTRIBUTOR",
      body: c.body,
      reactions: { url: `${api}/repos/${c.owner}/${c.repo}/issues/comments/${c.id}/reactions`, total_count: 0 },
      performed_via_github_app: c.authorLogin === ACTIONS_BOT_LOGIN ? { id: 15368, slug: "github-actions", name: "GitHub Actions" } : null,
    };
  }

  private restUser(login: string, type: "Bot" | "User"): Record<string, unknown> {
    const id = userId(login);
    return {
      login,
      id,
      node_id: `${type === "Bot" ? "BOT" : "U"}_kgDO${Buffer.from(String(id)).toString("base64url")}`,
      type,
      site_admin: false,
      html_url: `${this.webUrl}/${type === "Bot" ? "apps/" + login.replace(/\[bot\]$/, "") : login}`,
    };
  }

  private send(res: ServerResponse, status: number, payload?: unknown, headers: Record<string, string> = {}): void {
    const text = payload === undefined ? "" : JSON.stringify(payload);
    res.writeHead(status, {
      ...(text ? { "content-type": "application/json; charset=utf-8" } : {}),
      "content-length": String(Buffer.byteLength(text)),
      "x-github-request-id": `FAKE:${this.requests.length}`,
      "x-github-api-version-selected": "2022-11-28",
      ...headers,
    });
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", this.url);
    const authHeader = req.headers.authorization;
    const token = authHeader ? /^(?:token|bearer)\s+(\S+)$/i.exec(authHeader)?.[1] : undefined;
    const identity = token ? this.tokens.get(token) : undefined;
    const { authorization: _omit, ...headers } = req.headers;
    const rec: RecordedGitHubRequest = {
      seq: this.requests.length + 1,
      method: req.method ?? "GET",
      url: req.url ?? "/",
      hasAuth: authHeader !== undefined,
      login: identity?.login,
      headers,
      body,
    };
    this.requests.push(rec);
    try {
      const injected = this.failures.find(
        (f) =>
          f.remaining > 0 &&
          (f.method === undefined || f.method.toUpperCase() === rec.method) &&
          (typeof f.path === "string" ? url.pathname.includes(f.path) : f.path.test(url.pathname)),
      );
      if (injected) {
        injected.remaining--;
        throw new ApiError(injected.status, (injected.body as Record<string, unknown>) ?? { message: `injected failure ${injected.status}`, documentation_url: DOCS, status: String(injected.status) });
      }
      if (!authHeader) {
        throw new ApiError(401, url.pathname === "/graphql"
          ? { message: "This endpoint requires you to be authenticated.", documentation_url: "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql" }
          : { message: "Requires authentication", documentation_url: DOCS, status: "401" });
      }
      if (!identity) throw new ApiError(401, { message: "Bad credentials", documentation_url: DOCS, status: "401" });
      if (url.pathname === "/graphql" && req.method === "POST") return this.handleGraphql(rec, identity, body, res);
      return this.handleRest(req.method ?? "GET", url, identity, body, res, req.headers);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      this.send(res, err.status, err.payload);
    } finally {
      rec.status = res.statusCode;
    }
  }

  // ---- REST -----------------------------------------------------------------

  private forbidden(docPath: string): ApiError {
    return new ApiError(403, { message: "Resource not accessible by integration", documentation_url: `https://docs.github.com/rest/${docPath}`, status: "403" });
  }

  private notFound(): ApiError {
    return new ApiError(404, { message: "Not Found", documentation_url: DOCS, status: "404" });
  }

  private parseJson(body: string): Record<string, unknown> {
    try {
      const v: unknown = JSON.parse(body || "{}");
      if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* fallthrough */
    }
    throw new ApiError(400, { message: "Problems parsing JSON", documentation_url: DOCS, status: "400" });
  }

  private validateBody(v: unknown): string {
    if (typeof v !== "string") {
      throw new ApiError(422, { message: 'Invalid request.\n\n"body" wasn\'t supplied.', documentation_url: DOCS, status: "422" });
    }
    const tooLong = Buffer.byteLength(v, "utf8") > MAX_BYTES || (this.bodyLimit === "strict" && v.length > MAX_CHARS);
    if (tooLong) {
      throw new ApiError(422, {
        message: "Validation Failed",
        errors: [{ resource: "IssueComment", code: "custom", field: "body", message: "body is too long (maximum is 65536 characters)" }],
        documentation_url: "https://docs.github.com/rest/issues/comments#create-an-issue-comment",
        status: "422",
      });
    }
    return v;
  }

  private prExists(number: number): boolean {
    return this.pullRequests === undefined || this.pullRequests.has(number);
  }

  private liveComment(owner: string, repo: string, id: number): FakeComment {
    const c = this.comments.get(id);
    if (!c || c.deleted || c.owner !== owner || c.repo !== repo) throw this.notFound();
    return c;
  }

  private handleRest(method: string, url: URL, who: TokenIdentity, body: string, res: ServerResponse, headers: IncomingHttpHeaders): void {
    const p = url.pathname;
    if (p === "/user" && method === "GET") {
      if (who.type === "Bot") throw this.forbidden("users/users#get-the-authenticated-user");
      return this.send(res, 200, this.restUser(who.login, who.type));
    }
    let m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(p);
    if (m) {
      const [owner, repo, number] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), Number(m[3])];
      if (!this.prExists(number)) throw this.notFound();
      if (method === "GET") return this.listRest(url, owner, repo, number, res);
      if (method === "POST") {
        if (!who.canWrite) throw this.forbidden("issues/comments#create-an-issue-comment");
        const text = this.validateBody(this.parseJson(body).body);
        const c = this.insertComment(owner, repo, number, who.login, who.type, text);
        return this.send(res, 201, this.restComment(c), { location: `${this.url}/repos/${owner}/${repo}/issues/comments/${c.id}` });
      }
      throw this.notFound();
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]{40})\/pulls$/.exec(p);
    if (m && method === "GET") {
      const [owner, repo, sha] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), m[3]!];
      const prs = (this.commitPullRequests[sha] ?? []).map((pr) => ({
        number: pr.number,
        state: pr.merged ? "closed" : "open",
        html_url: `${this.webUrl}/${owner}/${repo}/pull/${pr.number}`,
        merged_at: pr.merged ? "2026-12-01T12:00:00Z" : null,
        merge_commit_sha: pr.merged ?? null,
      }));
      return this.send(res, 200, prs);
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(p);
    if (m && method === "GET") {
      const [owner, repo, number] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), Number(m[3])];
      if (!this.prExists(number)) throw this.notFound();
      const sha = this.pullRequestHeads[number] ?? number.toString(16).padStart(40, "0");
      return this.send(res, 200, {
        number,
        state: "open",
        html_url: `${this.webUrl}/${owner}/${repo}/pull/${number}`,
        head: { sha, ref: `feature-${number}`, repo: { full_name: `${owner}/${repo}` } },
        base: { ref: "main", repo: { full_name: `${owner}/${repo}` } },
      });
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.*)$/.exec(p);
    if (m && method === "GET") return this.getContent(`${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`, decodeURIComponent(m[3]!), url.searchParams.get("ref") ?? "", headers.accept ?? "", res);
    m = /^\/repos\/([^/]+)\/([^/]+)\/git\/commits\/([^/]+)$/.exec(p);
    if (m && method === "GET") {
      const sha = decodeURIComponent(m[3]!);
      if (!this.commits.get(`${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`)?.has(sha)) throw this.notFound();
      return this.send(res, 200, { sha, node_id: `C_${sha.slice(0, 12)}`, message: `commit ${sha.slice(0, 7)}`, tree: { sha: createHash("sha1").update(`tree:${sha}`).digest("hex") }, parents: [] });
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(p);
    if (m) {
      const [owner, repo, id] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), Number(m[3])];
      if (method === "GET") return this.send(res, 200, this.restComment(this.liveComment(owner, repo, id)));
      if (method === "PATCH") {
        const c = this.liveComment(owner, repo, id);
        if (!who.canWrite) throw this.forbidden("issues/comments#update-an-issue-comment");
        c.body = this.validateBody(this.parseJson(body).body);
        c.updatedAt = restTime(this.now());
        c.history.push({ action: "updated", by: who.login, at: c.updatedAt });
        return this.send(res, 200, this.restComment(c));
      }
      if (method === "DELETE") {
        const c = this.liveComment(owner, repo, id);
        if (!who.canWrite) throw this.forbidden("issues/comments#delete-an-issue-comment");
        c.deleted = true;
        c.history.push({ action: "deleted", by: who.login, at: restTime(this.now()) });
        return this.send(res, 204);
      }
    }
    throw this.notFound();
  }

  private getContent(repo: string, rawPath: string, ref: string, accept: string, res: ServerResponse): void {
    const files = this.commits.get(repo)?.get(ref);
    if (!files) throw new ApiError(404, { message: `No commit found for the ref ${ref}`, documentation_url: `${DOCS}/repos/contents#get-repository-content`, status: "404" });
    const path = rawPath.replace(/^\/+|\/+$/g, "");
    const text = files[path];
    const blobSha = (t: string) => createHash("sha1").update(`blob ${Buffer.byteLength(t)}\0${t}`).digest("hex");
    if (text === undefined) {
      const prefix = path ? `${path}/` : "";
      const names = [...new Set(Object.keys(files).filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length).split("/")[0]!))];
      if (names.length === 0) throw this.notFound();
      return this.send(res, 200, names.map((name) => ({ name, path: prefix + name, type: files[prefix + name] === undefined ? "dir" : "file" })));
    }
    if (/application\/vnd\.github(\.v3)?\.raw/.test(accept)) {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": String(Buffer.byteLength(text)), "x-github-request-id": `FAKE:${this.requests.length}` });
      res.end(text);
      return;
    }
    const base64 = Buffer.from(text).toString("base64").replace(/.{60}/g, "$&\n");
    this.send(res, 200, { type: "file", encoding: "base64", size: Buffer.byteLength(text), name: path.split("/").pop(), path, sha: blobSha(text), content: base64 });
  }

  private listRest(url: URL, owner: string, repo: string, number: number, res: ServerResponse): void {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page") ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
    const all = this.commentsOn(number, { owner, repo });
    const lastPage = Math.max(1, Math.ceil(all.length / perPage));
    const slice = all.slice((page - 1) * perPage, page * perPage);
    const link = (n: number) => {
      const u = new URL(`${this.url}/repos/${owner}/${repo}/issues/${number}/comments`);
      u.searchParams.set("per_page", String(perPage));
      u.searchParams.set("page", String(n));
      return u.toString();
    };
    const rels: string[] = [];
    if (page > 1) rels.push(`<${link(page - 1)}>; rel="prev"`);
    if (page < lastPage) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(lastPage)}>; rel="last"`);
    if (page > 1) rels.push(`<${link(1)}>; rel="first"`);
    this.send(res, 200, slice.map((c) => this.restComment(c)), rels.length ? { link: rels.join(", ") } : {});
  }

  // ---- GraphQL --------------------------------------------------------------

  private handleGraphql(rec: RecordedGitHubRequest, who: TokenIdentity, body: string, res: ServerResponse): void {
    let payload: { query?: unknown; variables?: unknown };
    try {
      payload = JSON.parse(body) as typeof payload;
    } catch {
      throw new ApiError(400, { message: "Problems parsing JSON", documentation_url: "https://docs.github.com/graphql" });
    }
    const query = typeof payload.query === "string" ? payload.query : "";
    const variables = payload.variables && typeof payload.variables === "object" ? (payload.variables as Record<string, unknown>) : {};
    rec.graphql = { query, variables };
    if (!query.trim()) return this.send(res, 200, { errors: [{ message: "A query attribute must be specified and must be a string." }] });

    const data: Record<string, unknown> = {};
    const errors: Array<Record<string, unknown>> = [];
    let handled = false;

    if (/^\s*mutation\b/.test(query)) {
      for (const op of ["minimizeComment", "unminimizeComment", "updateIssueComment", "deleteIssueComment"]) {
        const args = gqlArgs(query, op, variables);
        if (!args) continue;
        handled = true;
        if (!who.canWrite) {
          data[op] = null;
          errors.push({ type: "FORBIDDEN", path: [op], extensions: { saml_failure: false }, locations: [{ line: 2, column: 3 }], message: "Resource not accessible by integration" });
          continue;
        }
        try {
          data[op] = this.mutate(op, args, who, query);
        } catch (err) {
          if (!(err instanceof GqlError)) throw err;
          data[op] = null;
          errors.push({ type: err.type, path: [op], locations: [{ line: 2, column: 3 }], message: err.message });
        }
      }
    } else {
      if (/\bviewer\s*\{/.test(query)) {
        handled = true;
        const viewer: Record<string, unknown> = { login: who.login };
        if (mentions(query, "databaseId")) viewer.databaseId = who.id ?? userId(who.login);
        if (mentions(query, "__typename")) viewer.__typename = who.type;
        data.viewer = viewer;
      }
      const repoArgs = gqlArgs(query, "repository", variables);
      if (repoArgs) {
        handled = true;
        this.queryRepository(query, variables, repoArgs, who, data, errors);
      }
    }

    if (!handled) {
      return this.send(res, 200, {
        errors: [{ message: "fake GitHub: unsupported GraphQL operation (supported: viewer, repository.pullRequest.comments, minimizeComment, unminimizeComment, updateIssueComment, deleteIssueComment)", locations: [{ line: 1, column: 1 }] }],
      });
    }
    this.send(res, 200, errors.length ? { data, errors } : { data });
  }

  private commentNode(c: FakeComment, query: string, who: TokenIdentity, path: Array<string | number>, errors: Array<Record<string, unknown>>): Record<string, unknown> {
    const node: Record<string, unknown> = {};
    const want = (f: string) => mentions(query, f);
    if (want("id")) node.id = c.nodeId;
    if (want("databaseId")) {
      if (c.id > INT32_MAX) {
        node.databaseId = null;
        errors.push({ message: `Int cannot represent non 32-bit signed integer value: ${c.id}`, path: [...path, "databaseId"] });
      } else node.databaseId = c.id;
    }
    if (want("fullDatabaseId")) node.fullDatabaseId = String(c.id);
    if (want("body")) node.body = c.body;
    if (want("isMinimized")) node.isMinimized = c.isMinimized;
    if (want("minimizedReason")) node.minimizedReason = c.minimizedReason;
    if (want("createdAt")) node.createdAt = c.createdAt;
    if (want("updatedAt")) node.updatedAt = c.updatedAt;
    if (want("url")) node.url = `${this.webUrl}/${c.owner}/${c.repo}/pull/${c.issueNumber}#issuecomment-${c.id}`;
    if (want("viewerDidAuthor")) node.viewerDidAuthor = c.authorLogin === who.login;
    if (want("author")) {
      const author: Record<string, unknown> = { login: graphqlLogin(c.authorLogin, c.authorType) };
      if (want("__typename")) author.__typename = c.authorType;
      node.author = author;
    }
    if (want("__typename")) node.__typename = "IssueComment";
    return node;
  }

  private queryRepository(
    query: string,
    variables: Record<string, unknown>,
    repoArgs: Record<string, GqlValue>,
    who: TokenIdentity,
    data: Record<string, unknown>,
    errors: Array<Record<string, unknown>>,
  ): void {
    const owner = String(repoArgs.owner ?? "");
    const repo = String(repoArgs.name ?? "");
    const prArgs = gqlArgs(query, "pullRequest", variables);
    if (!prArgs) {
      data.repository = {};
      return;
    }
    const number = Number(prArgs.number);
    if (!this.prExists(number)) {
      data.repository = { pullRequest: null };
      errors.push({ type: "NOT_FOUND", path: ["repository", "pullRequest"], locations: [{ line: 1, column: 1 }], message: `Could not resolve to a PullRequest with the number of ${number}.` });
      return;
    }
    const cArgs = gqlArgs(query, "comments", variables);
    if (!cArgs) {
      data.repository = { pullRequest: {} };
      return;
    }
    const first = cArgs.first === undefined || cArgs.first === null ? undefined : Number(cArgs.first);
    const last = cArgs.last === undefined || cArgs.last === null ? undefined : Number(cArgs.last);
    const fail = (message: string) => {
      data.repository = { pullRequest: { comments: null } };
      errors.push({ type: "MAX_NODE_LIMIT_EXCEEDED", path: ["repository", "pullRequest", "comments"], message });
    };
    if (first === undefined && last === undefined) return fail("You must provide a `first` or `last` value to properly paginate the `comments` connection.");
    const n = (first ?? last)!;
    if (n > 100) return fail(`Requesting ${n} records on the \`comments\` connection exceeds the \`${first !== undefined ? "first" : "last"}\` limit of 100 records.`);

    let list = this.commentsOn(number, { owner, repo });
    const after = typeof cArgs.after === "string" ? decodeCursor(cArgs.after) : undefined;
    const before = typeof cArgs.before === "string" ? decodeCursor(cArgs.before) : undefined;
    if (after !== undefined) list = list.filter((c) => c.id > after);
    if (before !== undefined) list = list.filter((c) => c.id < before);
    const total = list.length;
    const page = first !== undefined ? list.slice(0, n) : list.slice(Math.max(0, total - n));
    const hasNextPage = first !== undefined ? total > n : before !== undefined;
    const hasPreviousPage = last !== undefined ? total > n : after !== undefined;

    const connection: Record<string, unknown> = {};
    const basePath = ["repository", "pullRequest", "comments"];
    if (mentions(query, "nodes")) connection.nodes = page.map((c, i) => this.commentNode(c, query, who, [...basePath, "nodes", i], errors));
    if (mentions(query, "edges")) connection.edges = page.map((c, i) => ({ cursor: encodeCursor(c.id), node: this.commentNode(c, query, who, [...basePath, "edges", i, "node"], errors) }));
    if (mentions(query, "totalCount")) connection.totalCount = this.commentsOn(number, { owner, repo }).length;
    if (mentions(query, "pageInfo")) {
      const pi: Record<string, unknown> = {};
      if (mentions(query, "hasNextPage")) pi.hasNextPage = hasNextPage;
      if (mentions(query, "hasPreviousPage")) pi.hasPreviousPage = hasPreviousPage;
      if (mentions(query, "endCursor")) pi.endCursor = page.length ? encodeCursor(page[page.length - 1]!.id) : null;
      if (mentions(query, "startCursor")) pi.startCursor = page.length ? encodeCursor(page[0]!.id) : null;
      connection.pageInfo = pi;
    }
    data.repository = { pullRequest: { comments: connection } };
  }

  private byNodeId(id: GqlValue): FakeComment {
    const c = typeof id === "string" ? [...this.comments.values()].find((x) => x.nodeId === id && !x.deleted) : undefined;
    if (!c) throw new GqlError("NOT_FOUND", `Could not resolve to a node with the global id of '${String(id)}'`);
    return c;
  }

  private mutate(op: string, args: Record<string, GqlValue>, who: TokenIdentity, query: string): unknown {
    const at = restTime(this.now());
    switch (op) {
      case "minimizeComment":
      case "unminimizeComment": {
        const c = this.byNodeId(args.subjectId);
        if (op === "minimizeComment") {
          const classifier = String(args.classifier ?? "");
          if (!CLASSIFIERS.includes(classifier)) throw new GqlError("INVALID_ARGUMENT", `Argument 'classifier' on InputObject 'MinimizeCommentInput' has an invalid value (${classifier}).`);
          c.isMinimized = true;
          c.minimizedReason = classifier.toLowerCase();
          c.history.push({ action: "minimized", by: who.login, at });
        } else {
          c.isMinimized = false;
          c.minimizedReason = null;
          c.history.push({ action: "unminimized", by: who.login, at });
        }
        const mc: Record<string, unknown> = { isMinimized: c.isMinimized };
        if (mentions(query, "minimizedReason")) mc.minimizedReason = c.minimizedReason;
        if (mentions(query, "__typename")) mc.__typename = "IssueComment";
        return { [op === "minimizeComment" ? "minimizedComment" : "unminimizedComment"]: mc };
      }
      case "updateIssueComment": {
        const c = this.byNodeId(args.id);
        let text: string;
        try {
          text = this.validateBody(args.body);
        } catch (err) {
          if (err instanceof ApiError) throw new GqlError("UNPROCESSABLE", err.status === 422 && String(err.payload.message) === "Validation Failed" ? "Body is too long (maximum is 65536 characters)" : "body is required");
          throw err;
        }
        c.body = text;
        c.updatedAt = at;
        c.history.push({ action: "updated", by: who.login, at });
        return { issueComment: { id: c.nodeId, body: c.body, ...(mentions(query, "databaseId") ? { databaseId: c.id } : {}) } };
      }
      case "deleteIssueComment": {
        const c = this.byNodeId(args.id);
        c.deleted = true;
        c.history.push({ action: "deleted", by: who.login, at });
        return { clientMutationId: null };
      }
      default:
        throw new GqlError("UNSUPPORTED", `unsupported mutation ${op}`);
    }
  }
}

class GqlError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}
