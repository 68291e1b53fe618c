/**
 * Loopback fake of the GitHub REST surface that saving the lock uses, driven
 * by the REAL Octokit from @actions/github:
 *   GET  /repos/{o}/{r}/contents/{path}?ref={branch}   200 {type, encoding: base64, content, sha} | 404
 *   PUT  /repos/{o}/{r}/contents/{path}                {message, content, branch, sha?}
 *        200/201 {content: {sha}, commit: {sha}}
 *        409 "is at X but expected Y" when `sha` is not the file's current blob sha
 *        422 "\"sha\" wasn't supplied" when the file exists and no sha was sent
 *        409 "Repository rule violations found … Changes must be made through a pull request." on a protected branch
 *   GET  /repos/{o}/{r}/git/ref/heads/{branch}         200 {object: {sha}} | 404
 *   POST /repos/{o}/{r}/git/refs                       {ref: refs/heads/x, sha} 201 | 422 when it exists
 *   GET  /repos/{o}/{r}/pulls?head=o:x&base=y&state=open
 *   POST /repos/{o}/{r}/pulls                          201 {number, html_url}
 * Blob shas are git's (sha1 of "blob <len>\0<bytes>"); commits are counted.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { closeNow, listenOnLoopback } from "./loopback.js";

interface Branch {
  head: string;
  files: Map<string, string>;
}

export interface RepoWrite {
  branch: string;
  path: string;
  status: number;
}

export class FakeGitHubRepo {
  readonly branches = new Map<string, Branch>();
  readonly protectedBranches = new Set<string>();
  readonly pulls: Array<{ number: number; head: string; base: string; title: string; html_url: string; state: "open" }> = [];
  readonly writes: RepoWrite[] = [];
  /** Called before a PUT is applied: a test changes the branch here to race the writer. */
  beforeWrite?: (branch: string, path: string) => void;
  private commits = 0;
  private port = 0;
  private readonly server: Server;

  private constructor(
    readonly owner: string,
    readonly repo: string,
  ) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => send(res, 500, { message: String(err) }));
    });
  }

  static async start(owner = "acme", repo = "widgets", defaultBranch = "main"): Promise<FakeGitHubRepo> {
    const fake = new FakeGitHubRepo(owner, repo);
    fake.branches.set(defaultBranch, { head: fake.nextCommit(), files: new Map() });
    fake.port = await listenOnLoopback(fake.server);
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    await closeNow(this.server);
  }

  file(branch: string, path: string): string | undefined {
    return this.branches.get(branch)?.files.get(path);
  }

  /** A commit on `branch` that sets `path` (another workflow run, a person). */
  commitFile(branch: string, path: string, text: string): void {
    const b = this.branches.get(branch)!;
    b.files.set(path, text);
    b.head = this.nextCommit();
  }

  private nextCommit(): string {
    return createHash("sha1").update(`commit ${++this.commits}`).digest("hex");
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const prefix = `/repos/${this.owner}/${this.repo}`;
    if (!url.pathname.startsWith(prefix)) return send(res, 404, { message: "Not Found" });
    const rest = url.pathname.slice(prefix.length);
    const body = req.method === "GET" ? {} : (JSON.parse((await readBody(req)) || "{}") as Record<string, string>);

    const contents = /^\/contents\/(.+)$/.exec(rest);
    if (contents) {
      const path = decodeURIComponent(contents[1]!);
      if (req.method === "GET") {
        const branch = this.branches.get(url.searchParams.get("ref") ?? "main");
        const text = branch?.files.get(path);
        if (text === undefined) return send(res, 404, { message: branch ? "Not Found" : `No commit found for the ref ${url.searchParams.get("ref")}` });
        return send(res, 200, { type: "file", encoding: "base64", path, sha: blobSha(text), content: Buffer.from(text).toString("base64") });
      }
      if (req.method === "PUT") return this.put(res, path, body);
    }
    // Octokit sends `heads/x` as one path segment (`heads%2Fx`), as GitHub accepts it.
    const ref = /^\/git\/ref\/heads\/(.+)$/.exec(decodeURIComponent(rest));
    if (ref && req.method === "GET") {
      const branch = this.branches.get(ref[1]!);
      return branch ? send(res, 200, { ref: `refs/heads/${ref[1]}`, object: { type: "commit", sha: branch.head } }) : send(res, 404, { message: "Not Found" });
    }
    if (rest === "/git/refs" && req.method === "POST") {
      const name = body.ref!.replace(/^refs\/heads\//, "");
      if (this.branches.has(name)) return send(res, 422, { message: "Reference already exists" });
      const from = [...this.branches.values()].find((b) => b.head === body.sha);
      if (!from) return send(res, 422, { message: "Object does not exist" });
      this.branches.set(name, { head: from.head, files: new Map(from.files) });
      return send(res, 201, { ref: body.ref, object: { sha: from.head } });
    }
    if (rest === "/pulls" && req.method === "GET") {
      const head = url.searchParams.get("head")?.replace(`${this.owner}:`, "");
      return send(res, 200, this.pulls.filter((p) => (!head || p.head === head) && (!url.searchParams.get("base") || p.base === url.searchParams.get("base"))));
    }
    if (rest === "/pulls" && req.method === "POST") {
      const pull = { number: this.pulls.length + 1, head: body.head!, base: body.base!, title: body.title!, html_url: `https://github.com/${this.owner}/${this.repo}/pull/${this.pulls.length + 1}`, state: "open" as const };
      this.pulls.push(pull);
      return send(res, 201, pull);
    }
    send(res, 404, { message: "Not Found" });
  }

  private put(res: ServerResponse, path: string, body: Record<string, string>): void {
    const branchName = body.branch ?? "main";
    this.beforeWrite?.(branchName, path);
    const branch = this.branches.get(branchName);
    const reply = (status: number, payload: unknown) => {
      this.writes.push({ branch: branchName, path, status });
      send(res, status, payload);
    };
    if (!branch) return reply(404, { message: "Branch not found" });
    if (this.protectedBranches.has(branchName)) return reply(409, { message: "Repository rule violations found\n\nChanges must be made through a pull request.\n\n" });
    const current = branch.files.get(path);
    if (current !== undefined && !body.sha) return reply(422, { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' });
    if (current !== undefined && body.sha !== blobSha(current)) return reply(409, { message: `${path} is at ${blobSha(current)} but expected ${body.sha}` });
    if (current === undefined && body.sha) return reply(409, { message: `${path} does not exist but expected ${body.sha}` });
    const text = Buffer.from(body.content!, "base64").toString("utf8");
    branch.files.set(path, text);
    branch.head = this.nextCommit();
    reply(current === undefined ? 201 : 200, { content: { path, sha: blobSha(text) }, commit: { sha: branch.head, message: body.message } });
  }
}

function blobSha(text: string): string {
  const bytes = Buffer.from(text);
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(payload));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return text;
}
