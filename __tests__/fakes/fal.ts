/**
 * Loopback fake of fal.ai that speaks the real protocols to the real
 * `@fal-ai/client` and to our Platform API adapters. One node:http server:
 *
 * Queue (point FAL_QUEUE_URL and FAL_REST_URL at `url`):
 *   POST /{owner}/{alias}[/{path}]                      submit → {request_id, status_url, …, queue_position}
 *   GET  /{owner}/{alias}/requests/{id}/status          202 while queued/running, 200 when COMPLETED
 *   GET  /{owner}/{alias}/requests/{id}/status/stream   SSE `data: {status…}` per change, closed after COMPLETED
 *   GET  /{owner}/{alias}/requests/{id}                 result (x-fal-request-id, x-fal-billable-units)
 *   PUT  /{owner}/{alias}/requests/{id}/cancel          202 CANCELLATION_REQUESTED | 400 ALREADY_COMPLETED
 *   Status/result/cancel URLs drop the model's subpath, as fal's do.
 * CDN: GET /cdn/… serves generated outputs (deterministic bytes), large files
 *   streamed in chunks (never held in memory), slow (trickling) files,
 *   redirects, and dead paths.
 * Platform API (point FAL_API_URL at `${url}/v1`):
 *   GET /v1/models/pricing?endpoint_id=…          API or ADMIN key; ≤ 50 ids; prices may be numbers or numeric strings
 *   GET /v1/models?endpoint_id=…&expand=openapi-3.0   model search, find mode: key optional; ≤ 50 ids; each model's
 *                                                 metadata (status active|deprecated) and, expanded, an OpenAPI 3.0
 *                                                 document whose submit body is the model's input schema; ids it
 *                                                 does not know are left out
 *   GET /v1/models/billing-events?request_id=…    ADMIN key only (403 otherwise); lag and pagination
 *   GET /v1/account/billing?expand=credits        ADMIN key only (403 otherwise); `credits.current_balance`
 *
 * A failed model run still reaches COMPLETED with `error`/`error_type`, and its
 * result answers with the error. Submit faults are injectable (`failSubmits`):
 * a 429 or 503 that creates nothing, or a request that is created (and billed)
 * while its answer is lost — a gateway 504, a reset connection, no answer.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { closeNow, listenOnLoopback } from "./loopback.js";
import { Readable } from "node:stream";

type QueueState = "IN_QUEUE" | "IN_PROGRESS" | "COMPLETED";

/** What a model run ends with. */
export interface Outcome {
  /** The result JSON (default: images on the fake CDN, one per `num_images`). */
  output?: unknown;
  /** The result answers this HTTP error (fal: 422 with a `detail` array for validation and content errors). */
  httpError?: { status: number; body: unknown };
  /** COMPLETED with `error` and `error_type`; the result answers 500 with `{detail, error_type}`. */
  completedError?: { message: string; type?: string };
  /** `x-fal-billable-units` on the result response, and the units of its billing event. */
  billableUnits?: number;
  /** Bill `billableUnits` in the billing event only: no header on the result. */
  noUnitsHeader?: boolean;
}

export interface ModelBehaviour {
  /** Model time in IN_PROGRESS (default 20 ms). */
  latencyMs?: number;
  /** Time in IN_QUEUE before starting (default 0). */
  queueMs?: number;
  /** When a request of this model leaves the queue, tell each one still queued its new position, as fal's status stream does. */
  announceQueueMoves?: boolean;
  /** Extra time the result endpoint takes to answer once COMPLETED (default 0): fetching a stored result is not model time. */
  resultDelayMs?: number;
  outcome?: (ctx: { model: string; input: Record<string, unknown>; index: number; requestId: string; fake: FakeFal }) => Outcome;
}

export interface FakeFalOptions {
  /** API-scope keys accepted by the queue and the pricing API (default: "fal-test-key"). */
  keys?: string[];
  /** ADMIN-scope keys: everything, plus billing events (default: "fal-admin-key"). */
  adminKeys?: string[];
  /** Price table for GET /v1/models/pricing (a string price is sent as a string, as some captures of fal's show). */
  prices?: Record<string, FakePrice>;
  /** The account's discount in percent: billing events carry it (`percent_discount`, null when none) and their cost is after it. */
  percentDiscount?: number;
  /** The prepaid credit balance GET /v1/account/billing?expand=credits reports (default 1000 USD). */
  credits?: { current_balance: number | string; currency?: string };
  /** Models GET /v1/models knows. */
  models?: Record<string, FakeModel>;
}

export interface FakePrice {
  unit_price: number | string;
  unit: string;
  currency?: string;
}

/** A model as fal's model search API describes it. */
export interface FakeModel {
  display_name?: string;
  category?: string;
  status?: "active" | "deprecated";
  /** The input schema, OpenAPI 3.0 style (`nullable`, `$ref: #/components/schemas/…`). */
  input?: Record<string, unknown>;
  /** Further component schemas the input references. */
  components?: Record<string, unknown>;
}

export interface FakeRequest {
  requestId: string;
  model: string;
  app: string;
  input: Record<string, unknown>;
  index: number;
  state: QueueState;
  submittedAt: number;
  completedAt?: number;
  cancelled: boolean;
  outcome?: Outcome;
  billedUnits?: number;
}

export interface RecordedFalRequest {
  method: string;
  url: string;
  status?: number;
  /** Request body as text (the Authorization header is never recorded). */
  body: string;
}

/** What the next submit meets: refused before anything is created, or created with its answer lost. */
export type SubmitFault = "429" | "503" | "accept-then-504" | "accept-then-reset" | "accept-then-hang";

export const FAL_KEY = "fal-test-key";
export const FAL_ADMIN_KEY = "fal-admin-key";

const REQUEST_PATH = /^\/([^/]+)\/([^/]+)\/requests\/([^/]+)(\/status(?:\/stream)?|\/cancel)?\/?$/;

export class FakeFal {
  readonly requests: RecordedFalRequest[] = [];
  /** Request headers as received, Authorization left out. */
  readonly headersSeen: Array<Record<string, string | string[] | undefined>> = [];
  readonly runs = new Map<string, FakeRequest>();
  readonly cancels: string[] = [];
  readonly billingQueries: string[][] = [];
  /** The ids of each model-search call, and whether it carried a key. */
  readonly modelQueries: Array<{ ids: string[]; expand: string | null; keyed: boolean }> = [];
  private readonly server: Server;
  private readonly keys: Set<string>;
  private readonly adminKeys: Set<string>;
  private readonly prices: NonNullable<FakeFalOptions["prices"]>;
  private percentDiscount: number;
  private credits: NonNullable<FakeFalOptions["credits"]>;
  /** Faults the account API answers with, one per call, before it answers normally. */
  private accountFaults: Array<{ status: number } | "hang" | "no-credits"> = [];
  /** Calls to the account API that got an answer or hung, with the `expand` they asked for. */
  readonly accountQueries: string[] = [];
  private readonly models: NonNullable<FakeFalOptions["models"]>;
  private readonly behaviours = new Map<string, ModelBehaviour>();
  private readonly watchers = new Map<string, Set<() => void>>();
  private readonly largeFiles = new Map<string, number>();
  private readonly deadPaths = new Map<string, number>();
  private readonly slowFiles = new Map<string, { size: number; chunkBytes: number; intervalMs: number }>();
  private readonly redirects = new Map<string, { location: string; status: number }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** How each running request completes, by id, for finish(). */
  private readonly finishers = new Map<string, () => void>();
  /** Requests still IN_QUEUE, in submit order: queue positions cost O(queue), not O(every request ever made). */
  private readonly queued = new Set<FakeRequest>();
  /** Requests fal no longer has (still counted as submitted). */
  private readonly forgotten = new Set<string>();
  private statusFaults: { remaining: number; status: number } | undefined;
  private resultFaults: { remaining: number; status: number } | undefined;
  private submitFaults: SubmitFault[] = [];
  private streamDisabled = false;
  private pricingFault: { status: number } | "hang" | undefined;
  private billingLagMs = 0;
  private billingNever = false;
  private billingPageSize = 1000;
  private seq = 0;
  private port = 0;

  private constructor(opts: FakeFalOptions) {
    this.keys = new Set(opts.keys ?? [FAL_KEY]);
    this.adminKeys = new Set(opts.adminKeys ?? [FAL_ADMIN_KEY]);
    this.prices = { ...opts.prices };
    this.percentDiscount = opts.percentDiscount ?? 0;
    this.credits = opts.credits ?? { current_balance: 1000, currency: "USD" };
    this.models = { ...opts.models };
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ detail: `fake fal crashed: ${String(err)}` }));
      });
    });
    this.server.keepAliveTimeout = 30_000;
  }

  static async start(opts: FakeFalOptions = {}): Promise<FakeFal> {
    const fake = new FakeFal(opts);
    fake.port = await listenOnLoopback(fake.server);
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  env(): { FAL_QUEUE_URL: string; FAL_REST_URL: string; FAL_API_URL: string } {
    return { FAL_QUEUE_URL: this.url, FAL_REST_URL: this.url, FAL_API_URL: `${this.url}/v1` };
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await closeNow(this.server);
  }

  // ---- configuration ----------------------------------------------------------

  setModel(model: string, behaviour: ModelBehaviour): void {
    this.behaviours.set(model, behaviour);
  }

  /** The next `count` status polls answer `status` (e.g. 503, 429, 500). */
  failStatus(count: number, status = 503): void {
    this.statusFaults = { remaining: count, status };
  }

  /** The next `count` result fetches answer `status` (a gateway's, with no units header), whatever the run's outcome. */
  failResults(count: number, status = 503): void {
    this.resultFaults = { remaining: count, status };
  }

  /** The next submits meet these faults, one each, in order. */
  failSubmits(...faults: SubmitFault[]): void {
    this.submitFaults.push(...faults);
  }

  /** fal no longer has the request (its retention passed): its status, result and cancel answer 404. */
  forget(requestId: string): void {
    this.forgotten.add(requestId);
  }

  /**
   * fal finishes a running request now, with the outcome its latency would have ended in: a test that needs a request
   * to outlive one attempt and be done before the next need not wait out a latency long enough for a loaded machine.
   */
  finish(requestId: string): void {
    const finish = this.finishers.get(requestId);
    if (!finish) throw new Error(`fake fal: request ${requestId} is not running (${this.runs.get(requestId)?.state ?? "unknown"})`);
    finish();
  }

  /** The status stream answers 500, so callers must fall back to polling. */
  disableStream(disabled = true): void {
    this.streamDisabled = disabled;
  }

  /** The pricing API answers `status`, or never answers ("hang"). */
  failPricing(fault: { status: number } | "hang" | undefined): void {
    this.pricingFault = fault;
  }

  /** The account's discount in percent from now on: billing events carry it and their cost is after it. */
  setPercentDiscount(percent: number): void {
    this.percentDiscount = percent;
  }

  /** What the account API reports as the prepaid credit balance from now on. */
  setCredits(credits: { current_balance: number | string; currency?: string }): void {
    this.credits = credits;
  }

  /** The next calls to the account API meet these, in order: an error status, no answer ("hang"), or a 200 without `credits`. */
  failAccount(...faults: Array<{ status: number } | "hang" | "no-credits">): void {
    this.accountFaults.push(...faults);
  }

  setPrice(endpointId: string, price: FakePrice): void {
    this.prices[endpointId] = price;
  }

  /** What the model search API says of an endpoint. */
  describeModel(endpointId: string, model: FakeModel): void {
    this.models[endpointId] = model;
  }

  /** Billing events appear `lagMs` after completion, or never. */
  setBillingLag(lagMs: number, never = false): void {
    this.billingLagMs = lagMs;
    this.billingNever = never;
  }

  setBillingPageSize(n: number): void {
    this.billingPageSize = n;
  }

  /** A file of `size` bytes served at `path` (under /cdn/), streamed from a generator. Returns its URL. */
  addLargeFile(path: string, size: number): string {
    this.largeFiles.set(path, size);
    return `${this.url}${path}`;
  }

  /** `path` answers `status` (default 404); status 0 drops the connection halfway through the body. */
  deadPath(path: string, status = 404): string {
    this.deadPaths.set(path, status);
    return `${this.url}${path}`;
  }

  /** A file of `size` bytes that trickles out `chunkBytes` every `intervalMs` (a slow CDN). Returns its URL. */
  addSlowFile(path: string, size: number, chunkBytes = 1024, intervalMs = 100): string {
    this.slowFiles.set(path, { size, chunkBytes, intervalMs });
    return `${this.url}${path}`;
  }

  /** `path` answers a redirect to `location` (any URL: nothing follows it but the client under test). */
  redirect(path: string, location: string, status = 302): string {
    this.redirects.set(path, { location, status });
    return `${this.url}${path}`;
  }

  // ---- introspection ------------------------------------------------------------

  get submissions(): FakeRequest[] {
    return [...this.runs.values()];
  }

  submitCount(model?: string): number {
    return this.submissions.filter((r) => model === undefined || r.model === model).length;
  }

  /** Bytes served for a generated CDN path: deterministic, so tests can hash what they expect. */
  static cdnBytes(path: string): Buffer {
    return Buffer.from(`fake fal output ${path}\n`.repeat(8));
  }

  static sha256(path: string): string {
    return createHash("sha256").update(FakeFal.cdnBytes(path)).digest("hex");
  }

  /** Whether `secret` was sent anywhere but an Authorization header (URLs, bodies). */
  leaked(secret: string): RecordedFalRequest[] {
    return this.requests.filter((r) => r.url.includes(secret) || r.body.includes(secret));
  }

  // ---- HTTP --------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const rec: RecordedFalRequest = { method: req.method ?? "GET", url: req.url ?? "/", body };
    this.requests.push(rec);
    const { authorization: _auth, ...headers } = req.headers;
    this.headersSeen.push(headers);
    res.on("finish", () => (rec.status = res.statusCode));
    const url = new URL(req.url ?? "/", this.url);
    const p = url.pathname;

    if (p.startsWith("/cdn/")) return this.cdn(p, res);
    const key = /^Key (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (p.startsWith("/v1/")) return this.platform(req.method ?? "GET", url, key, res);

    if (!key || (!this.keys.has(key) && !this.adminKeys.has(key))) return json(res, 401, { detail: "No user found for Key ID and Secret" });
    const m = REQUEST_PATH.exec(p);
    if (m) {
      const [, owner, alias, id, tail] = m;
      const requestId = decodeURIComponent(id!);
      const run = this.forgotten.has(requestId) ? undefined : this.runs.get(requestId);
      if (!run || run.app !== `${owner}/${alias}`) return json(res, 404, { detail: "Request not found" });
      if (tail === "/status" && req.method === "GET") return this.status(run, res);
      if (tail === "/status/stream" && req.method === "GET") return this.stream(run, req, res);
      if (tail === "/cancel" && req.method === "PUT") return this.cancel(run, res);
      if (!tail && req.method === "GET") {
        const delay = this.behaviours.get(run.model)?.resultDelayMs ?? 0;
        if (delay > 0) return this.later(delay, () => this.result(run, res));
        return this.result(run, res);
      }
      return json(res, 405, { detail: "Method not allowed" });
    }
    if (req.method === "POST" && /^\/[^/]+\/[^/]+(\/.+)?$/.test(p)) return this.submit(p.slice(1), body, res);
    return json(res, 404, { detail: `fake fal: no route for ${req.method} ${p}` });
  }

  private submit(model: string, body: string, res: ServerResponse): void {
    const fault = this.submitFaults.shift();
    if (fault === "429") return json(res, 429, { detail: "Too many concurrent requests" });
    if (fault === "503") return json(res, 503, { detail: "Service temporarily unavailable" });
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body || "{}") as Record<string, unknown>;
      if (input === null || typeof input !== "object" || Array.isArray(input)) throw new Error("not an object");
    } catch {
      return json(res, 422, { detail: [{ loc: ["body"], msg: "Input should be a valid JSON object", type: "json_invalid" }] });
    }
    const app = model.split("/").slice(0, 2).join("/");
    const requestId = `req-${String(++this.seq).padStart(6, "0")}-${Math.random().toString(16).slice(2, 10)}`;
    const run: FakeRequest = { requestId, model, app, input, index: this.seq - 1, state: "IN_QUEUE", submittedAt: Date.now(), cancelled: false };
    this.runs.set(requestId, run);
    this.queued.add(run);
    const b = this.behaviours.get(model) ?? {};
    this.later(b.queueMs ?? 0, () => {
      if (run.state !== "IN_QUEUE") return;
      run.state = "IN_PROGRESS";
      this.queued.delete(run);
      this.notify(run);
      if (b.announceQueueMoves) for (const other of this.queued) if (other.model === model) this.notify(other);
      const finish = () => this.complete(run, (b.outcome ?? defaultOutcome)({ model, input, index: run.index, requestId, fake: this }));
      this.finishers.set(requestId, finish);
      this.later(b.latencyMs ?? 20, finish);
    });
    // The request exists (and will be billed) whatever happens to its answer now.
    if (fault === "accept-then-504") return json(res, 504, { detail: "Gateway Timeout" });
    if (fault === "accept-then-reset") return void res.socket?.destroy();
    if (fault === "accept-then-hang") return;
    const base = `${this.url}/${app}/requests/${requestId}`;
    json(res, 200, { status: "IN_QUEUE", request_id: requestId, response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel`, queue_position: this.queuePosition(run) });
  }

  private complete(run: FakeRequest, outcome: Outcome): void {
    if (run.state === "COMPLETED") return;
    this.finishers.delete(run.requestId);
    run.state = "COMPLETED";
    this.queued.delete(run);
    run.completedAt = Date.now();
    run.outcome = outcome;
    run.billedUnits = outcome.billableUnits;
    this.notify(run);
  }

  private statusBody(run: FakeRequest): Record<string, unknown> {
    const base = `${this.url}/${run.app}/requests/${run.requestId}`;
    const s: Record<string, unknown> = { status: run.state, request_id: run.requestId, response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` };
    if (run.state === "IN_QUEUE") s.queue_position = this.queuePosition(run);
    if (run.state !== "IN_QUEUE") s.logs = [];
    if (run.state === "COMPLETED") {
      s.metrics = { inference_time: run.completedAt! - run.submittedAt };
      const err = run.outcome?.completedError;
      if (err) Object.assign(s, { error: err.message, error_type: err.type ?? "runner_server_error" });
    }
    return s;
  }

  private status(run: FakeRequest, res: ServerResponse): void {
    if (this.statusFaults && this.statusFaults.remaining > 0) {
      this.statusFaults.remaining--;
      return json(res, this.statusFaults.status, { detail: "Service temporarily unavailable", error_type: "runner_scheduling_failure" });
    }
    json(res, run.state === "COMPLETED" ? 200 : 202, this.statusBody(run), { "x-fal-request-id": run.requestId });
  }

  private stream(run: FakeRequest, req: IncomingMessage, res: ServerResponse): void {
    if (this.streamDisabled) return json(res, 500, { detail: "stream unavailable" });
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "x-fal-request-id": run.requestId });
    let last = "";
    const push = () => {
      const body = this.statusBody(run);
      const text = JSON.stringify(body);
      if (text !== last) res.write(`data: ${text}\n\n`);
      last = text;
      if (run.state === "COMPLETED") {
        this.unwatch(run.requestId, push);
        res.end();
      }
    };
    this.watch(run.requestId, push);
    req.on("close", () => this.unwatch(run.requestId, push));
    push();
  }

  private result(run: FakeRequest, res: ServerResponse): void {
    if (this.resultFaults && this.resultFaults.remaining > 0) {
      this.resultFaults.remaining--;
      return json(res, this.resultFaults.status, { detail: "Service temporarily unavailable", error_type: "runner_scheduling_failure" });
    }
    if (run.state !== "COMPLETED") return json(res, 400, { detail: "Request is still in progress" });
    const o = run.outcome!;
    const headers: Record<string, string> = { "x-fal-request-id": run.requestId };
    if (o.billableUnits !== undefined && !o.noUnitsHeader) headers["x-fal-billable-units"] = String(o.billableUnits);
    if (run.cancelled && !o.output) return json(res, 400, { detail: "Request was cancelled", error_type: "client_cancelled" }, headers);
    if (o.httpError) return json(res, o.httpError.status, o.httpError.body, headers);
    if (o.completedError) {
      const type = o.completedError.type ?? "runner_server_error";
      return json(res, 500, { detail: o.completedError.message, error_type: type }, { ...headers, "x-fal-error-type": type });
    }
    json(res, 200, o.output ?? {}, headers);
  }

  private cancel(run: FakeRequest, res: ServerResponse): void {
    this.cancels.push(run.requestId);
    if (run.state === "COMPLETED") return json(res, 400, { status: "ALREADY_COMPLETED" });
    run.cancelled = true;
    // Queued requests are removed; running ones honour the signal: both end as COMPLETED with an error, unbilled.
    this.complete(run, { completedError: { message: "Request cancelled", type: "client_cancelled" }, billableUnits: 0 });
    json(res, 202, { status: "CANCELLATION_REQUESTED" });
  }

  private cdn(path: string, res: ServerResponse): void {
    const dead = this.deadPaths.get(path);
    if (dead === 0) {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": "1000000" });
      res.write(Buffer.alloc(1000));
      setImmediate(() => res.destroy());
      return;
    }
    if (dead !== undefined) return json(res, dead, { detail: "Not Found" });
    const redirect = this.redirects.get(path);
    if (redirect) {
      res.writeHead(redirect.status, { location: redirect.location, "content-length": "0" });
      res.end();
      return;
    }
    const slow = this.slowFiles.get(path);
    if (slow) {
      res.writeHead(200, { "content-type": contentType(path), "content-length": String(slow.size) });
      let sent = 0;
      const tick = setInterval(() => {
        const n = Math.min(slow.chunkBytes, slow.size - sent);
        sent += n;
        if (n > 0) res.write(Buffer.alloc(n, 7));
        if (sent >= slow.size) stop(true);
      }, slow.intervalMs);
      const stop = (end: boolean) => {
        clearInterval(tick);
        this.timers.delete(tick);
        if (end) res.end();
      };
      this.timers.add(tick);
      res.on("close", () => stop(false));
      return;
    }
    const size = this.largeFiles.get(path);
    const type = contentType(path);
    if (size !== undefined) {
      res.writeHead(200, { "content-type": type, "content-length": String(size) });
      Readable.from(generate(size)).pipe(res);
      return;
    }
    const bytes = FakeFal.cdnBytes(path);
    res.writeHead(200, { "content-type": type, "content-length": String(bytes.length) });
    res.end(bytes);
  }

  private platform(method: string, url: URL, key: string | undefined, res: ServerResponse): void {
    const apiError = (status: number, type: string, message: string) => json(res, status, { error: { type, message } });
    if (method !== "GET") return apiError(405, "validation_error", "method not allowed");
    const isAdmin = key !== undefined && this.adminKeys.has(key);
    // Model search takes a key only for higher rate limits; a wrong key is still refused.
    if (url.pathname === "/v1/models" && key === undefined) return this.modelSearch(url, false, res);
    if (!key || (!isAdmin && !this.keys.has(key))) return apiError(401, "authorization_error", "Invalid or missing API key");
    if (url.pathname === "/v1/models") return this.modelSearch(url, true, res);
    if (url.pathname === "/v1/models/pricing") {
      if (this.pricingFault === "hang") return; // never answers; the caller's timeout must fire
      if (this.pricingFault) return apiError(this.pricingFault.status, "server_error", "pricing unavailable");
      const ids = multi(url, "endpoint_id");
      if (ids.length < 1 || ids.length > 50) return apiError(400, "validation_error", "endpoint_id must list 1 to 50 ids");
      const prices = ids.filter((id) => this.prices[id]).map((id) => ({ endpoint_id: id, unit_price: this.prices[id]!.unit_price, unit: this.prices[id]!.unit, currency: this.prices[id]!.currency ?? "USD" }));
      return json(res, 200, { prices, next_cursor: null, has_more: false });
    }
    if (url.pathname === "/v1/models/billing-events") {
      if (!isAdmin) return apiError(403, "authorization_error", "Access denied");
      const ids = multi(url, "request_id");
      if (ids.length > 50) return apiError(400, "validation_error", "request_id must list 1 to 50 ids");
      this.billingQueries.push(ids);
      const now = Date.now();
      const visible = ids
        .map((id) => this.runs.get(id))
        .filter((r): r is FakeRequest => !!r && r.state === "COMPLETED" && !this.billingNever && now - r.completedAt! >= this.billingLagMs);
      const events = visible.map((r) => {
        const units = r.billedUnits ?? 1;
        const price = Number(this.prices[r.model]?.unit_price ?? 0.01);
        const subtotal = units * price;
        const discount = (subtotal * this.percentDiscount) / 100;
        const cost = subtotal - discount;
        return { request_id: r.requestId, endpoint_id: r.model, timestamp: new Date(r.completedAt!).toISOString(), output_units: units, unit_price: price, percent_discount: this.percentDiscount || null, cost_subtotal: subtotal, cost_discount: discount, cost_total: cost, cost_estimate_nano_usd: Math.round(cost * 1e9) };
      });
      const offset = Number(Buffer.from(url.searchParams.get("cursor") ?? "", "base64").toString() || "0");
      const limit = Math.min(Number(url.searchParams.get("limit") ?? 1000) || 1000, this.billingPageSize);
      const page = events.slice(offset, offset + limit);
      const more = offset + limit < events.length;
      return json(res, 200, { billing_events: page, next_cursor: more ? Buffer.from(String(offset + limit)).toString("base64") : null, has_more: more });
    }
    if (url.pathname === "/v1/account/billing") {
      if (!isAdmin) return apiError(403, "authorization_error", "Access denied: this endpoint needs an ADMIN key");
      const expand = multi(url, "expand");
      this.accountQueries.push(expand.join(","));
      const fault = this.accountFaults.shift();
      if (fault === "hang") return; // never answers; the caller's timeout must fire
      if (fault && fault !== "no-credits") return apiError(fault.status, fault.status >= 500 ? "server_error" : "validation_error", "account billing unavailable");
      const credits = fault === "no-credits" || !expand.includes("credits") ? {} : { credits: { current_balance: this.credits.current_balance, currency: this.credits.currency ?? "USD" } };
      return json(res, 200, { username: "fake-team", ...credits });
    }
    return apiError(404, "not_found", `no route ${url.pathname}`);
  }

  private modelSearch(url: URL, keyed: boolean, res: ServerResponse): void {
    const ids = multi(url, "endpoint_id");
    const expand = url.searchParams.get("expand");
    this.modelQueries.push({ ids, expand, keyed });
    if (ids.length < 1 || ids.length > 50) return json(res, 400, { error: { type: "validation_error", message: "endpoint_id must list 1 to 50 ids (list mode is not faked)" } });
    const models = ids
      .filter((id) => this.models[id])
      .map((id) => {
        const m = this.models[id]!;
        const metadata = { display_name: m.display_name ?? id, category: m.category ?? "text-to-image", description: "", status: m.status ?? "active", tags: [], updated_at: "2026-11-30T00:00:00Z" };
        return { endpoint_id: id, metadata, ...(expand?.split(",").includes("openapi-3.0") ? { openapi: openApiDoc(id, m) } : {}) };
      });
    return json(res, 200, { models, next_cursor: null, has_more: false });
  }

  // ---- internals ------------------------------------------------------------------

  private queuePosition(run: FakeRequest): number {
    let ahead = 0;
    for (const r of this.queued) {
      if (r === run) break;
      if (r.model === run.model) ahead++;
    }
    return ahead;
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private watch(id: string, fn: () => void): void {
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    set.add(fn);
  }

  private unwatch(id: string, fn: () => void): void {
    this.watchers.get(id)?.delete(fn);
  }

  private notify(run: FakeRequest): void {
    for (const fn of [...(this.watchers.get(run.requestId) ?? [])]) fn();
  }
}

/** Images on the fake CDN, one per `num_images`, sized from `image_size` when it is {width, height}. */
function defaultOutcome({ input, requestId, fake }: { input: Record<string, unknown>; requestId: string; fake: FakeFal }): Outcome {
  const n = typeof input.num_images === "number" ? input.num_images : 1;
  const size = input.image_size as { width?: number; height?: number } | undefined;
  const [width, height] = typeof size === "object" && size ? [size.width ?? 1024, size.height ?? 1024] : [1024, 1024];
  const images = Array.from({ length: n }, (_, i) => ({ url: `${fake.url}/cdn/${requestId}/${i}.png`, content_type: "image/png", file_name: `${i}.png`, width, height }));
  return { output: { images, seed: 42, has_nsfw_concepts: images.map(() => false) } };
}

function json(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** A model's OpenAPI 3.0 document as fal shapes it: the submit path's body references the input component. */
function openApiDoc(id: string, m: FakeModel): Record<string, unknown> {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  return {
    openapi: "3.0.4",
    info: { title: "Queue OpenAPI for " + id, version: "1.0.0", "x-fal-metadata": { endpointId: id } },
    paths: {
      [`/${id}/requests/{request_id}/status`]: { get: { responses: { "200": { description: "status" } } } },
      [`/${id}`]: { post: { requestBody: { required: true, content: { "application/json": { schema: ref("Input") } } }, responses: { "200": { description: "queued" } } } },
    },
    components: { schemas: { Input: m.input ?? { type: "object", properties: {} }, ...m.components } },
  };
}

function multi(url: URL, name: string): string[] {
  return url.searchParams.getAll(name).flatMap((v) => v.split(",")).map((s) => s.trim()).filter(Boolean);
}

function contentType(path: string): string {
  const ext = path.split(".").pop()?.toLowerCase();
  return { png: "image/png", jpg: "image/jpeg", mp4: "video/mp4", mp3: "audio/mpeg", wav: "audio/wav", txt: "text/plain" }[ext ?? ""] ?? "application/octet-stream";
}

/** A deterministic byte pattern in 64 KiB chunks: the fake never holds a large file in memory. */
function* generate(size: number): Generator<Buffer> {
  const chunk = Buffer.alloc(64 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = i % 251;
  for (let sent = 0; sent < size; sent += chunk.length) yield size - sent >= chunk.length ? chunk : chunk.subarray(0, size - sent);
}

/** sha256 of the large-file pattern, for assertions. */
export function largeFileSha256(size: number): string {
  const h = createHash("sha256");
  for (const c of generate(size)) h.update(c);
  return h.digest("hex");
}
