export const id = 732;
export const ids = [732];
export const modules = {

/***/ 17732:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runManifest: () => (/* binding */ runManifest)
});

// UNUSED EXPORTS: refuseUnboundedRun

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./node_modules/@fal-ai/client/src/index.js
var src = __webpack_require__(40734);
// EXTERNAL MODULE: ./src/run/fal-queue.ts
var fal_queue = __webpack_require__(22956);
// EXTERNAL MODULE: ./src/util/retry.ts + 1 modules
var retry = __webpack_require__(9821);
// EXTERNAL MODULE: ./src/util/secret.ts
var secret = __webpack_require__(47394);
;// CONCATENATED MODULE: ./src/adapters/fal/client.ts





/**
 * The one place that talks to fal's queue. `@fal-ai/client` has fixed hosts,
 * so its `fetch` option is the seam: it redirects the hosts to the configured
 * base URLs (proxies, loopback fakes) and sees every response, which is how
 * the billed units in `x-fal-billable-units` are captured per request.
 *
 * The seam is also why this project is the only one retrying fal calls:
 * `@fal-ai/client` retries submit, status and result on its own (status 5
 * times, 1–30 s apart) and its per-call settings override any config. So each
 * call goes out once here, and whatever the client would retry comes back as
 * an error it does not (no network code, not a TypeError, no retryable
 * `cause`, not an ApiError): SubmitFailed for a submit, QueueError otherwise.
 * The executor then retries with the manifest's `retries`, and nothing else does.
 */
const FAL_HOSTS = [
    [/^https:\/\/queue\.fal\.run(?=\/|$)/, "queueUrl"],
    [/^https:\/\/rest\.(alpha\.)?fal\.ai(?=\/|$)/, "restUrl"],
];
function rewriteFalUrl(url, endpoints) {
    for (const [re, key] of FAL_HOSTS)
        if (re.test(url))
            return url.replace(re, endpoints[key]);
    return url;
}
const RESULT_PATH = /\/requests\/([^/?#]+)\/?(?:[?#]|$)/;
/** Tags each submit's HTTP attempts (stripped before sending), so the seam can let exactly one through. */
const SUBMIT_MARK = "x-fal-jobs-submit";
function createFalQueue(opts) {
    const baseFetch = opts.fetch ?? fetch;
    const units = new Map();
    /** Submit marks whose single attempt has been sent. */
    const sentSubmits = new Set();
    const seam = async (input, init) => {
        const url = rewriteFalUrl(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, opts.endpoints);
        const mark = takeHeader(init, SUBMIT_MARK);
        if (mark !== undefined)
            return submitOnce(url, mark, init);
        return callOnce(url, init);
    };
    /**
     * Status, result, stream and cancel: one attempt. The body is read here, not
     * by the client (a connection lost mid-body is an error it would retry),
     * except a status stream's, which is read as it comes and falls back to
     * polling when it breaks. A transient answer leaves as a QueueError.
     */
    async function callOnce(url, init) {
        const path = new URL(url).pathname;
        let res;
        let body = null;
        try {
            res = await baseFetch(url, init);
            noteUnits(path, res);
            if (!res.ok || !STREAM_PATH.test(path))
                body = await res.text();
        }
        catch (err) {
            // The caller's own abort: the client never retries one.
            if (init?.signal?.aborted)
                throw err;
            throw new fal_queue/* QueueError */.W3(`fal unreachable (${errorCode(err)})`, true);
        }
        if (!res.ok && transientStatus(res.status, res.headers.get(TIMEOUT_TYPE))) {
            const d = falError(res.status, parseJson(body), res.statusText);
            throw new fal_queue/* QueueError */.W3(d.message, true, res.status, d.type ?? res.headers.get("x-fal-error-type") ?? undefined);
        }
        if (body === null)
            return res;
        // Definite 4xx answers go back to the client, which makes them (non-retried) ApiErrors with fal's detail.
        return new Response(NULL_BODY.has(res.status) ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
    }
    function noteUnits(path, res) {
        const m = RESULT_PATH.exec(path);
        const header = res.headers.get("x-fal-billable-units");
        if (m && header !== null && header.trim() !== "") {
            const n = Number(header);
            if (Number.isFinite(n) && n >= 0)
                units.set(decodeURIComponent(m[1]), n);
        }
    }
    /**
     * `@fal-ai/client` retries a submit on 429/5xx and network errors, and a
     * submit whose answer was lost may already be a billed request: sending it
     * again would pay twice. So one attempt goes out, its whole answer is read
     * here, and anything but a definite answer becomes an error the client does
     * not retry (no network code, not a TypeError, nothing retryable in `cause`).
     */
    async function submitOnce(url, mark, init) {
        if (sentSubmits.has(mark))
            throw new fal_queue/* SubmitFailed */.eC("fal-jobs never sends a submit twice", "unknown");
        if (init?.signal?.aborted)
            throw new fal_queue/* SubmitFailed */.eC("cancelled before the submit was sent", "not-sent");
        sentSubmits.add(mark);
        let res;
        let body;
        try {
            res = await baseFetch(url, init);
            body = await res.text();
        }
        catch (err) {
            const why = init?.signal?.aborted ? "the submit was cancelled in flight" : `the connection failed (${errorCode(err)})`;
            throw new fal_queue/* SubmitFailed */.eC(`${why}; fal may have accepted the request`, "unknown");
        }
        const copy = () => new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
        if (res.ok)
            return copy();
        const d = falError(res.status, parseJson(body), res.statusText);
        if (res.status === 429)
            throw new fal_queue/* SubmitFailed */.eC(d.message, "rejected", 429, d.type);
        // Other 4xx: fal refused it; the client turns it into a (non-retried) ApiError with fal's detail.
        if (res.status >= 400 && res.status < 500 && res.status !== 408)
            return copy();
        throw new fal_queue/* SubmitFailed */.eC(`${d.message}; fal may have accepted the request`, "unknown", res.status, d.type);
    }
    const client = (0,src.createFalClient)({
        credentials: opts.key,
        fetch: seam,
        // Only the stream and cancel read this (submit/status/result carry their own settings); the seam gives the
        // client nothing to retry anyway.
        retry: { maxRetries: 0 },
    });
    /** Polls until COMPLETED: each status request is one call for `retryCall`; the waits between them are not retries. */
    async function poll(model, requestId, signal, onUpdate, retryCall) {
        for (let n = 0;; n++) {
            signal.throwIfAborted();
            const s = await retryCall(() => domain(() => client.queue.status(model, { requestId, abortSignal: signal })));
            onUpdate?.(s);
            if (s.status === "COMPLETED")
                return s;
            // Starts fast (short jobs finish in a few hundred ms) and backs off for long ones.
            await (0,retry/* delay */.cb)((0,retry/* backoffDelay */.EY)(n, { baseMs: 50, factor: 1.5, maxMs: opts.pollMaxMs ?? 2000 }), signal);
        }
    }
    // Errors leave as domain errors, with no piece of the key in their text (HTTP clients quote header values they refuse).
    const domain = async (call) => {
        try {
            return await call();
        }
        catch (err) {
            throw (0,secret/* redactError */.ki)(toQueueError(err), [opts.key]);
        }
    };
    const scrubbed = (fn) => (...args) => domain(() => fn(...args));
    const queue = {
        async submit(model, input, signal) {
            const mark = (0,external_node_crypto_.randomUUID)();
            try {
                const res = await client.queue.submit(model, { input, abortSignal: signal, headers: { [SUBMIT_MARK]: mark } });
                if (typeof res?.request_id !== "string" || res.request_id === "")
                    throw new fal_queue/* SubmitFailed */.eC("fal's answer had no request id; fal may have accepted the request", "unknown");
                return res.request_id;
            }
            catch (err) {
                if (err instanceof fal_queue/* SubmitFailed */.eC)
                    throw err;
                const sent = sentSubmits.has(mark);
                const d = describeFalError(err);
                if (err instanceof src.ApiError && err.status >= 400 && err.status < 500)
                    throw new fal_queue/* SubmitFailed */.eC(d.message, "rejected", err.status, d.type);
                throw new fal_queue/* SubmitFailed */.eC(sent ? `${d.message}; fal may have accepted the request` : d.message, sent ? "unknown" : "not-sent", d.status, d.type);
            }
            finally {
                sentSubmits.delete(mark);
            }
        },
        async waitForCompletion(model, requestId, signal, onUpdate, retryCall = (call) => call()) {
            signal.throwIfAborted();
            // The status stream pushes COMPLETED the moment it happens; a fixed poll interval would add up to its length to every run.
            try {
                const stream = await client.queue.streamStatus(model, { requestId, logs: false });
                const onAbort = () => stream.abort();
                signal.addEventListener("abort", onAbort, { once: true });
                try {
                    stream.on("data", (d) => onUpdate?.(d));
                    const last = (await stream.done());
                    if (last?.status === "COMPLETED")
                        return last;
                }
                finally {
                    signal.removeEventListener("abort", onAbort);
                }
            }
            catch (err) {
                if (signal.aborted)
                    throw signal.reason;
                const e = toQueueError(err);
                if (!(e instanceof fal_queue/* QueueError */.W3 && e.transient))
                    throw e;
            }
            // The stream ended early or failed: fall back to polling (a different call, not a retry of this one).
            return poll(model, requestId, signal, onUpdate, retryCall);
        },
        // One attempt each: the executor owns their retries.
        async result(model, requestId, signal) {
            const r = await client.queue.result(model, { requestId, abortSignal: signal });
            return { data: r.data, requestId: r.requestId || requestId };
        },
        async cancel(model, requestId, signal) {
            await client.queue.cancel(model, { requestId, abortSignal: signal ?? AbortSignal.timeout(5000) });
        },
        billableUnits(requestId) {
            return units.get(requestId);
        },
    };
    return {
        ...queue,
        submit: scrubbed(queue.submit),
        waitForCompletion: scrubbed(queue.waitForCompletion),
        result: scrubbed(queue.result),
        cancel: scrubbed(queue.cancel),
    };
}
/** Removes our own marker header from a request's init (it is never sent) and returns its value. */
function takeHeader(init, name) {
    const h = init?.headers;
    if (!h)
        return undefined;
    if (h instanceof Headers) {
        const v = h.get(name) ?? undefined;
        h.delete(name);
        return v;
    }
    if (Array.isArray(h)) {
        const i = h.findIndex(([k]) => k.toLowerCase() === name);
        if (i < 0)
            return undefined;
        const v = h[i][1];
        h.splice(i, 1);
        return v;
    }
    const rec = h;
    const key = Object.keys(rec).find((k) => k.toLowerCase() === name);
    if (key === undefined)
        return undefined;
    const v = rec[key];
    delete rec[key];
    return v;
}
function errorCode(err) {
    const e = err;
    return e?.cause?.code ?? e?.code ?? e?.name ?? "error";
}
function parseJson(text) {
    try {
        return text === null ? undefined : JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
const TIMEOUT_TYPE = "x-fal-request-timeout-type";
const STREAM_PATH = /\/status\/stream\/?$/;
const NULL_BODY = new Set([101, 204, 205, 304]);
/**
 * Worth another try: 408, 429 and 5xx, but not a 504 for the request's own
 * start timeout (`x-fal-request-timeout-type: user`), which is final.
 */
function transientStatus(status, timeoutType) {
    if (status === 504 && timeoutType === "user")
        return false;
    return status === 408 || status === 429 || status >= 500;
}
/** The client's ApiError as a domain error; anything else (an abort's reason, our own bug) as it is. */
function toQueueError(err) {
    if (!(err instanceof src.ApiError))
        return err;
    const d = falError(err.status, err.body, err.message);
    return new fal_queue/* QueueError */.W3(d.message, transientStatus(err.status, err.timeoutType), err.status, d.type);
}
/** fal's error detail, formatted for a person: `detail` may be a string or a list of {loc, msg, type}. */
function falError(status, bodyValue, fallback) {
    const body = bodyValue;
    const detail = body?.detail;
    let message;
    if (Array.isArray(detail)) {
        message = detail
            .map((d) => {
            const loc = Array.isArray(d.loc) ? d.loc.filter((p) => p !== "body").join(".") : "";
            return `${loc ? `${loc}: ` : ""}${d.msg ?? JSON.stringify(d)}${d.type ? ` (${d.type})` : ""}`;
        })
            .join("; ");
    }
    else if (typeof detail === "string") {
        message = detail;
    }
    else {
        message = body?.error?.message ?? fallback;
    }
    const type = body?.error_type ?? (Array.isArray(detail) ? detail[0]?.type : undefined);
    return { message: (0,secret/* redactSecrets */.fp)(`HTTP ${status}: ${message}`), type };
}
/** fal's error detail, formatted for a person (for errors straight from `@fal-ai/client`). */
function describeFalError(err) {
    if (err instanceof src.ApiError)
        return { ...falError(err.status, err.body, err.message), status: err.status };
    return { message: (0,secret/* redactSecrets */.fp)(err instanceof Error ? err.message : String(err)) };
}

// EXTERNAL MODULE: ./src/adapters/fal/endpoints.ts
var endpoints = __webpack_require__(20474);
// EXTERNAL MODULE: ./src/adapters/fal/platform-api.ts
var platform_api = __webpack_require__(55492);
;// CONCATENATED MODULE: ./src/adapters/fal/billing-api.ts



async function fetchBillingEvents(requestIds, opts) {
    const events = new Map();
    const doFetch = opts.fetch ?? fetch;
    try {
        await (0,platform_api/* forEachPage */.o)(requestIds, async (batch, cursor) => {
            const url = new URL(`${opts.apiUrl}/models/billing-events`);
            url.searchParams.set("request_id", batch.join(","));
            // Requests of this run are recent; the default window (24 h) covers them, but a long run may not.
            url.searchParams.set("start", new Date(Date.now() - 7 * 24 * 3600_000).toISOString());
            url.searchParams.set("limit", "1000");
            if (cursor)
                url.searchParams.set("cursor", cursor);
            let res;
            try {
                res = await doFetch(url, { headers: { Authorization: `Key ${opts.adminKey}`, Accept: "application/json" }, signal: anySignal(opts.signal, 15_000) });
            }
            catch (err) {
                throw new LookupEnded({ status: "failed", message: `billing API unreachable: ${(0,secret/* redactSecrets */.fp)(err.message, [opts.adminKey])}` });
            }
            if (res.status === 401 || res.status === 403) {
                const msg = (0,secret/* redactSecrets */.fp)(await (0,platform_api/* errorText */.k)(res), [opts.adminKey]);
                throw new LookupEnded({ status: "refused", message: `billing API answered ${res.status}${msg ? `: ${msg}` : ""} (billing events need an ADMIN-scope key)` });
            }
            if (!res.ok) {
                const msg = (0,secret/* redactSecrets */.fp)(await (0,platform_api/* errorText */.k)(res), [opts.adminKey]);
                throw new LookupEnded({ status: "failed", message: `billing API answered ${res.status}${msg ? `: ${msg}` : ""}` });
            }
            const body = (await res.json());
            for (const e of body.billing_events ?? []) {
                const ev = parseEvent(e);
                if (ev)
                    events.set(ev.request_id, mergeEvent(events.get(ev.request_id), ev));
            }
            return body.has_more && typeof body.next_cursor === "string" ? body.next_cursor : null;
        });
    }
    catch (err) {
        if (err instanceof LookupEnded)
            return err.lookup;
        throw err;
    }
    return { status: "ok", events };
}
/** A page that ends the whole look-up (no retry here: the callers poll again later, or fall back). */
class LookupEnded extends Error {
    lookup;
    constructor(lookup) {
        super(lookup.message);
        this.lookup = lookup;
    }
}
/** One request can have more than one event (e.g. split by discount); sum them. */
function mergeEvent(prev, next) {
    if (!prev)
        return next;
    const add = (a, b) => (a === null || b === null ? null : a + b);
    return {
        ...next,
        output_units: add(prev.output_units, next.output_units),
        cost_total: add(prev.cost_total, next.cost_total),
        cost_estimate_nano_usd: add(prev.cost_estimate_nano_usd, next.cost_estimate_nano_usd),
    };
}
function parseEvent(e) {
    const o = e;
    if (typeof o?.request_id !== "string")
        return undefined;
    const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);
    return {
        request_id: o.request_id,
        endpoint_id: typeof o.endpoint_id === "string" ? o.endpoint_id : "",
        output_units: num(o.output_units),
        unit_price: num(o.unit_price),
        cost_total: num(o.cost_total),
        cost_estimate_nano_usd: num(o.cost_estimate_nano_usd),
        percent_discount: num(o.percent_discount),
    };
}
/** A record that says what was billed (it may first appear without its figures). */
function hasFigures(ev) {
    return ev.output_units !== null || ev.cost_total !== null;
}
function anySignal(signal, ms) {
    return signal ? AbortSignal.any([signal, AbortSignal.timeout(ms)]) : AbortSignal.timeout(ms);
}
/**
 * Polls until every request has an event with its units, or the deadline
 * passes. Returns what it has; missing requests stay pending for the report.
 */
async function pollBillingEvents(requestIds, opts) {
    const deadline = Date.now() + opts.deadlineMs;
    const found = new Map();
    // Waiting for records to appear, not retrying a failure (a failed look-up ends the poll).
    const backoff = { baseMs: opts.initialDelayMs ?? 1000, maxMs: opts.maxDelayMs ?? 15_000 };
    let waiting = [...requestIds];
    let lastRound = new Set();
    for (let n = 0;; n++) {
        const r = await fetchBillingEvents(waiting, opts);
        if (r.status !== "ok")
            return found.size ? { status: "ok", events: found } : r;
        lastRound = new Set(r.events.keys());
        for (const [id, ev] of r.events)
            if (hasFigures(ev))
                found.set(id, ev);
        waiting = waiting.filter((id) => !found.has(id));
        const ms = (0,retry/* backoffDelay */.EY)(n, backoff);
        if (waiting.length === 0 || Date.now() + ms > deadline || opts.signal?.aborted)
            break;
        opts.log?.(`billing: ${found.size}/${requestIds.length} request(s) billed so far; checking again in ${Math.round(ms / 1000)} s`);
        try {
            await (0,retry/* delay */.cb)(ms, opts.signal);
        }
        catch {
            break;
        }
    }
    // A request may be billed in several records that appear at different times: requests found in an earlier round
    // are read once more at the end, so a record that came later is summed in rather than missed.
    const early = requestIds.filter((id) => found.has(id) && !lastRound.has(id));
    if (early.length > 0 && !opts.signal?.aborted) {
        const again = await fetchBillingEvents(early, opts);
        if (again.status === "ok")
            for (const [id, ev] of again.events)
                if (hasFigures(ev))
                    found.set(id, ev);
    }
    return { status: "ok", events: found };
}
/**
 * Billing events for requests as they finish, during the run: each waiting
 * request joins the next batched look-up, so a run with no billable-units
 * header is settled from fal's own record without one call per request.
 * A key that may not read billing ends the watch for everyone at once.
 */
function watchBillingEvents(opts) {
    const waiting = new Map();
    let timer;
    let disabled = false;
    let busy = false;
    const settle = (id, cost) => {
        waiting.get(id)?.resolve(cost);
        waiting.delete(id);
    };
    async function tick() {
        timer = undefined;
        if (busy || waiting.size === 0)
            return;
        busy = true;
        try {
            const r = await fetchBillingEvents([...waiting.keys()], opts);
            if (r.status === "refused") {
                disabled = true;
                opts.log?.(`billing: ${r.message}; runs without billable units stay committed at their estimate`);
                for (const id of [...waiting.keys()])
                    settle(id, null);
            }
            else if (r.status === "ok") {
                for (const [id, ev] of r.events) {
                    const cost = opts.costOf(ev);
                    if (cost !== null)
                        settle(id, cost);
                }
            }
            const now = Date.now();
            for (const [id, w] of [...waiting])
                if (w.deadline <= now)
                    settle(id, null);
        }
        finally {
            busy = false;
            schedule();
        }
    }
    // Runs hold their concurrency slot while they wait, so look soon (fal's record often follows within a second),
    // then less often: the wait doubles from a quarter second up to pollMs, and starts over when nothing was waiting.
    let wait = 0;
    function schedule() {
        if (waiting.size === 0)
            wait = 0;
        if (timer || waiting.size === 0 || disabled)
            return;
        wait = Math.min(opts.pollMs, wait === 0 ? Math.min(250, opts.pollMs) : wait * 2);
        timer = setTimeout(() => void tick(), wait);
    }
    return {
        costOf(requestId, signal) {
            if (disabled || signal.aborted)
                return Promise.resolve(null);
            return new Promise((resolve) => {
                const onAbort = () => settle(requestId, null);
                signal.addEventListener("abort", onAbort, { once: true });
                waiting.set(requestId, {
                    deadline: Date.now() + opts.waitMs,
                    resolve: (cost) => {
                        signal.removeEventListener("abort", onAbort);
                        resolve(cost);
                    },
                });
                schedule();
            });
        },
        stop() {
            clearTimeout(timer);
            timer = undefined;
            for (const id of [...waiting.keys()])
                settle(id, null);
        },
    };
}

// EXTERNAL MODULE: ./src/pricing/measure.ts
var measure = __webpack_require__(52714);
;// CONCATENATED MODULE: ./src/billing/observe.ts

/**
 * Billing units counted in what fal actually returned: the last-resort billed
 * figure when neither fal's billing records nor its billable-units header is
 * available. Only facts in the result count; a missing width or duration
 * gives no observation rather than a guess.
 */
function observeUnits(kind, data) {
    if (data === null || typeof data !== "object")
        return null;
    const d = data;
    const images = Array.isArray(d.images) ? d.images : d.image && typeof d.image === "object" ? [d.image] : [];
    switch (kind) {
        case "images":
            return images.length > 0 ? images.length : null;
        case "megapixels": {
            if (images.length === 0)
                return null;
            let mp = 0;
            for (const img of images) {
                // Anything but a sane pixel size (a null entry, a string, 1e308) is no observation.
                if (!img || typeof img !== "object" || !isPixels(img.width) || !isPixels(img.height))
                    return null;
                mp += (0,measure/* megapixelsPerImage */.Wn)(img.width, img.height);
            }
            return mp;
        }
        case "videos":
            return d.video && typeof d.video === "object" ? 1 : Array.isArray(d.videos) ? d.videos.length : null;
        case "seconds":
        case "five_seconds":
        case "minutes": {
            const media = (d.video ?? d.audio ?? d.audio_file ?? d.audio_url);
            const secs = typeof media?.duration === "number" ? media.duration : typeof d.duration === "number" ? d.duration : null;
            if (secs === null || !Number.isFinite(secs) || secs <= 0)
                return null;
            return kind === "seconds" ? secs : kind === "minutes" ? secs / 60 : Math.ceil(secs / 5);
        }
        default:
            return null;
    }
}
function isPixels(v) {
    return typeof v === "number" && Number.isFinite(v) && v > 0 && v <= 1_000_000;
}
/**
 * The units a run's outputs prove: what they show, but never fewer than the
 * input set (`inputUnits`, when measured). Outputs can prove a model made more
 * than it was asked for; a shorter clip or missing metadata does not show that
 * fal billed less.
 */
function provenUnits(observed, inputUnits) {
    return observed === null ? null : Math.max(observed, inputUnits ?? 0);
}

// EXTERNAL MODULE: ./src/plan/expand.ts
var expand = __webpack_require__(53279);
// EXTERNAL MODULE: ./src/util/money.ts
var money = __webpack_require__(91296);
;// CONCATENATED MODULE: ./src/run/limiter.ts
/** A counting semaphore: at most `size` holders at once, served in arrival order. */
class Limiter {
    size;
    active = 0;
    waiting = [];
    constructor(size) {
        this.size = size;
    }
    async acquire() {
        if (this.active < this.size) {
            this.active++;
            return;
        }
        await new Promise((resolve) => this.waiting.push(resolve));
    }
    release() {
        const next = this.waiting.shift();
        if (next)
            next();
        else
            this.active--;
    }
}

// EXTERNAL MODULE: ./src/run/resume.ts
var resume = __webpack_require__(25294);
// EXTERNAL MODULE: ./src/util/shell.ts
var shell = __webpack_require__(95462);
;// CONCATENATED MODULE: ./src/run/executor.ts







/** What cancels a batch, as the reader knows it. */
const CANCELLED_BY = () => (0,shell/* inShell */.wp)({ action: "workflow cancelled or deadline reached", cli: "Ctrl-C or --deadline" });
class RunTimeout extends Error {
    constructor(ms) {
        super(`run timed out after ${Math.round(ms / 1000)} s`);
        this.name = "RunTimeout";
    }
}
async function executePlan(opts) {
    // Jobs run side by side, each under its own concurrency limit; records keep plan order.
    const perJob = await Promise.all(opts.plan.jobs.map(async (job) => {
        const records = [];
        const limiter = new Limiter(job.settings.concurrency);
        const tasks = [];
        for (const run of (0,expand/* iterateRuns */.pB)({ jobs: [job], totalRuns: job.runCount })) {
            const record = newRecord(run, opts.estimate);
            records.push(record);
            if (opts.signal.aborted) {
                cancelBeforeStart(run, record, opts);
                continue;
            }
            await limiter.acquire();
            // The slot frees once the run's result (and with it its billed units) is in, before its downloads. Not at
            // COMPLETED: then more than `concurrency` runs could be unsettled, and each may overrun its estimate.
            let released = false;
            const release = () => {
                if (!released)
                    limiter.release();
                released = true;
            };
            tasks.push(runOne(run, record, opts, release)
                .catch((err) => {
                // A bug in our own code must still leave the run in a defined state.
                if (!record.timings.finished_at) {
                    record.error = { message: `internal error: ${err.message}`, stage: "result" };
                    finish(record, "failed", opts);
                }
            })
                .finally(release));
        }
        await Promise.all(tasks);
        return records;
    }));
    return perJob.flat();
}
function newRecord(run, estimate) {
    const variant = estimate.jobs[run.job.index].variants[run.variantIndex];
    return {
        id: run.id,
        job: run.job.id,
        model: run.job.model,
        variant: run.variant.label,
        repeat: run.repeat,
        status: "cancelled",
        submitted: false,
        submit_outcome: "not-attempted",
        request_id: null,
        error: null,
        timings: { started_at: null, submitted_at: null, completed_at: null, finished_at: null, total_ms: null },
        estimate_nano: variant.costPerRunNano ?? 0,
        // Billed units are priced at fal's own price whenever one is known, never at a lower manifest override.
        unit_price: variant.billingUnitPrice ?? variant.unitPrice ?? null,
        header_units: null,
        observed_units: null,
        input_units: variant.billingUnitsPerRun ?? null,
        dir: null,
        outputs: [],
    };
}
async function runOne(run, record, opts, releaseSlot) {
    const { queue, ledger, signal } = opts;
    const log = opts.log ?? (() => { });
    if (signal.aborted)
        return cancelBeforeStart(run, record, opts);
    const earlier = opts.earlierRequest?.(run);
    if (!earlier && !startWithinBudget(run, record, ledger, log))
        return finish(record, "skipped-budget", opts);
    const timeoutMs = run.job.settings.timeoutMs;
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(new RunTimeout(timeoutMs)), timeoutMs);
    const runSignal = AbortSignal.any([signal, timer.signal]);
    const started = Date.now();
    record.timings.started_at = new Date(started).toISOString();
    let data;
    let stage = "submit";
    // What fal last said of the request: on cancellation, a queued one is cancelled and a running one left to finish.
    let falState = "";
    // One log line per stage (in queue, running), not per status event: fal reports every move in the queue.
    let lastStatus = "";
    const onUpdate = (s) => {
        falState = s.status;
        if (s.status === lastStatus || (s.status !== "IN_QUEUE" && s.status !== "IN_PROGRESS"))
            return;
        lastStatus = s.status;
        log(`${run.id}: ${s.status === "IN_QUEUE" ? `in queue${s.queue_position !== undefined ? ` (position ${s.queue_position})` : ""}` : "running"}`);
        opts.onRunEvent?.(record, s.status === "IN_QUEUE" ? "queued" : "running");
    };
    const policy = retryPolicy(run, opts, runSignal);
    const retryCall = (call) => (0,retry/* retry */.L5)(call, policy);
    try {
        let status;
        if (earlier) {
            // Paid for by an earlier attempt: fetch its result rather than paying again.
            record.request_id = earlier.requestId;
            record.submitted = true;
            record.submit_outcome = "accepted";
            record.timings.submitted_at = new Date().toISOString();
            log(`${run.id}: collecting request ${earlier.requestId}, submitted by attempt ${earlier.attempt}`);
            stage = "status";
            const got = await (0,resume/* fetchEarlier */.l)(queue, run.job.model, earlier.requestId, runSignal, onUpdate, retryCall, retryCall);
            record.resumed = { attempt: earlier.attempt, request_id: earlier.requestId, outcome: got.kind, ...(got.kind !== "collected" && { detail: got.detail }) };
            if (got.kind === "collected") {
                status = got.status;
                data = got.data;
                opts.onSubmitted?.(run, record);
            }
            else {
                // Gone or failed: a new run after all, which must fit the budget like any other. (The earlier attempt's
                // journal still holds the old request; this attempt's line for the new one supersedes it.)
                log(`${run.id}: ${got.detail}; submitting it again`);
                Object.assign(record, { request_id: null, submitted: false, submit_outcome: "not-attempted" });
                ledger.release(run.id);
                stage = "submit";
                if (!startWithinBudget(run, record, ledger, log))
                    return finish(record, "skipped-budget", opts);
            }
        }
        if (!status) {
            record.request_id = await submitRun(run, record, opts, runSignal);
            record.submitted = true;
            record.submit_outcome = "accepted";
            record.timings.submitted_at = new Date().toISOString();
            opts.onSubmitted?.(run, record);
            log(`${run.id}: submitted (request ${record.request_id})`);
            opts.onRunEvent?.(record, "submitted");
            stage = "status";
            status = await queue.waitForCompletion(run.job.model, record.request_id, runSignal, onUpdate, retryCall);
        }
        record.timings.completed_at = new Date().toISOString();
        stage = "result";
        try {
            // fal already said the run failed: a 5xx on its result is that failure, not a blip.
            if (data === undefined) {
                const failed = status.error;
                const result = await (0,retry/* retry */.L5)(() => queue.result(run.job.model, record.request_id, runSignal), { ...policy, isRetryable: (e) => (0,fal_queue/* isTransient */.dg)(e) && !failed });
                data = result.data;
            }
        }
        finally {
            record.header_units = queue.billableUnits(record.request_id) ?? null;
        }
        if (status.error) {
            // fal reported the failure on the status; a result without it would be misleading.
            record.error = { message: status.error, type: status.error_type, stage: "result" };
            record.status = "failed";
        }
        else {
            record.status = "succeeded";
        }
    }
    catch (err) {
        if (record.request_id)
            record.header_units = queue.billableUnits(record.request_id) ?? null;
        if (err instanceof fal_queue/* SubmitFailed */.eC)
            record.submit_outcome = err.outcome === "unknown" ? "unknown" : err.outcome === "rejected" ? "rejected" : "not-attempted";
        const unknownSubmit = record.submit_outcome === "unknown" ? "; the submit's outcome is unknown: fal may have accepted and billed it (it was not sent again)" : "";
        if (timer.signal.aborted && !signal.aborted) {
            record.error = { message: `${timer.signal.reason.message}${unknownSubmit}`, stage: "timeout" };
            record.status = "timed-out";
            await cancelQuietly(queue, run, record, opts, log);
        }
        else if (signal.aborted) {
            record.status = "cancelled";
            // fal removes a queued request, but one it is running runs on and is billed (fal only signals the model app,
            // which may ignore it). So a running (or finished) request is left to finish and recorded as uncollected: a
            // re-run of the workflow collects its result by request id instead of paying for the run again.
            const running = Boolean(record.request_id) && (stage === "result" || falState === "IN_PROGRESS" || falState === "COMPLETED");
            if (running && !opts.cancelRunning) {
                record.uncollected = true;
                record.error = { message: `cancelled (${CANCELLED_BY()}) while fal was running request ${record.request_id}: left to finish (fal bills it either way) so that a re-run of this workflow collects it`, stage: "cancel" };
                log(`${run.id}: fal request ${record.request_id} left running for a re-run to collect`);
            }
            else {
                const at = running ? ` while fal was running request ${record.request_id} (fal bills what it ran)` : "";
                record.error = { message: `cancelled (${CANCELLED_BY()})${at}${unknownSubmit}`, stage: "cancel" };
                // A cancel that did not go through leaves the request alive: a re-run should look for its result.
                if (!(await cancelQuietly(queue, run, record, opts, log)) && record.request_id)
                    record.uncollected = true;
            }
        }
        else {
            record.error = { ...(0,fal_queue/* describeError */.Uc)(err), stage };
            record.status = "failed";
            // fal accepted it but we lost track of it before it finished: left alone it would run, and bill, with nobody
            // waiting for it and its slot already free. Cancel it as a timeout would.
            if (stage === "status")
                await cancelQuietly(queue, run, record, opts, log);
        }
        // Only a submit that provably created nothing frees its money; an unknown one keeps its estimate committed.
        if (record.submit_outcome === "rejected" || (stage === "submit" && record.submit_outcome === "not-attempted"))
            ledger.release(run.id);
    }
    finally {
        clearTimeout(timeout);
    }
    record.timings.total_ms = Date.now() - started;
    // Settle as soon as the units are known, before the slot frees: fal's header first, else what the outputs prove.
    if (record.status === "succeeded" && data !== undefined && opts.observeUnits)
        record.observed_units = observeSafely(opts.observeUnits, run, record, data);
    const units = record.header_units ?? (record.status === "succeeded" ? record.observed_units : null);
    if (units !== null && record.unit_price !== null)
        ledger.settle(run.id, (0,money/* costNano */.E6)(units, record.unit_price));
    else if (record.submitted && opts.awaitBilledCost) {
        // Neither fal's header nor the outputs told: hold the slot until fal's own billing record does, so that no more
        // than `concurrency` runs are ever unsettled. Without one in time the run stays committed at its estimate.
        const billed = await opts.awaitBilledCost(record, signal).catch(() => null);
        if (billed !== null)
            ledger.settle(run.id, billed);
    }
    releaseSlot();
    if (opts.onFinished)
        await opts.onFinished(run, record, data);
    finish(record, record.status, opts);
}
/**
 * One submit per run. A 429 is fal refusing to create the request, so it is
 * the only answer worth another try; anything whose outcome is unknown is
 * never sent again (see SubmitFailed).
 */
async function submitRun(run, record, opts, signal) {
    return (0,retry/* retry */.L5)(() => {
        record.submit_outcome = "unknown";
        return opts.queue.submit(run.job.model, run.variant.input, signal);
    }, {
        ...retryPolicy(run, opts, signal),
        isRetryable: (err) => err instanceof fal_queue/* SubmitFailed */.eC && err.outcome === "rejected" && err.status === 429,
        // Refused, so nothing was created: if the wait is cancelled, the run's money is free.
        onRetry: () => (record.submit_outcome = "rejected"),
    });
}
/** The job's `retries`, with backoff from `retryBaseMs` (1 s, doubling; jittered, so runs refused together do not return together). */
function retryPolicy(run, opts, signal) {
    return { retries: run.job.settings.retries, baseMs: opts.retryBaseMs ?? 1000, jitter: true, isRetryable: fal_queue/* isTransient */.dg, signal };
}
/** A malformed result is no observation: it must not stop the run from being settled and its outputs kept. */
function observeSafely(observe, run, record, data) {
    try {
        return observe(run, record, data);
    }
    catch {
        return null;
    }
}
function finish(record, status, opts) {
    record.status = status;
    record.timings.finished_at = new Date().toISOString();
    const log = opts.log ?? (() => { });
    if (status === "succeeded")
        log(`${record.id}: succeeded in ${((record.timings.total_ms ?? 0) / 1000).toFixed(1)} s, ${record.outputs.filter((o) => o.path).length} file(s)`);
    else if (status !== "skipped-budget")
        log(`${record.id}: ${status}${record.error ? ` — ${record.error.message}` : ""}`);
    opts.onRunEvent?.(record, "finished");
}
/**
 * A run cancelled before it started. One whose request an earlier attempt submitted still has that request at
 * fal, paid for and uncollected: the report says so, and the next attempt collects it.
 */
function cancelBeforeStart(run, record, opts) {
    const earlier = opts.earlierRequest?.(run);
    if (earlier)
        Object.assign(record, { request_id: earlier.requestId, submitted: true, submit_outcome: "accepted", uncollected: true });
    finish(record, "cancelled", opts);
}
/** Cancels the run's fal request; false when there was none or the cancel did not go through. */
async function cancelQuietly(queue, run, record, opts, log) {
    if (!record.request_id)
        return false;
    try {
        // A run left going may still bill: retry a cancel that met a blip, within 5 s in all.
        const signal = AbortSignal.timeout(5000);
        await (0,retry/* retry */.L5)(() => queue.cancel(run.job.model, record.request_id, signal), retryPolicy(run, opts, signal));
        log(`${run.id}: fal request ${record.request_id} cancelled`);
        return true;
    }
    catch (err) {
        // Already finished, or fal unreachable: say so; the report shows the request id for follow-up.
        log(`${run.id}: cancel of ${record.request_id} failed: ${(0,fal_queue/* describeError */.Uc)(err).message}`);
        return false;
    }
}
/** The ledger's start rule; a run it refuses is skipped, and the log says which limit it would pass. */
function startWithinBudget(run, record, ledger, log) {
    if (ledger.tryStart(run.id, record.estimate_nano, run.job.id))
        return true;
    record.error = null;
    const limit = ledger.jobLimitNano(run.job.id);
    const jobLimit = limit !== undefined && ledger.jobCommittedNano(run.job.id) + record.estimate_nano > limit;
    log(`${run.id}: skipped — starting it would pass the ${jobLimit ? `per-job limit (job ${run.job.id} has ${usd(ledger.jobCommittedNano(run.job.id))} committed)` : `budget (committed so far ${usd(ledger.committedNano)})`}`);
    return false;
}
function usd(nano) {
    return `$${(nano / 1e9).toFixed(4)}`;
}

;// CONCATENATED MODULE: ./src/run/ledger.ts
/**
 * The hard budget cap while running. Every started run commits money: its
 * billed cost once known, its estimate until then. A run may start only if
 * what is committed plus its own estimate stays within the limit, and within
 * the per-job limit for its job when there is one. JavaScript runs this
 * single-threaded, so check-and-commit is atomic.
 */
class BudgetLedger {
    limitNano;
    perJobLimitNano;
    commitments = new Map();
    byJob = new Map();
    committed = 0;
    /** Every start decision, for the report and for tests of the invariant. */
    decisions = [];
    /** `perJobLimitNano`: one limit for every job, or each job's own (a shard's share of each job's limit). */
    constructor(limitNano, perJobLimitNano) {
        this.limitNano = limitNano;
        this.perJobLimitNano = perJobLimitNano;
    }
    /** The job's limit, when there is one. */
    jobLimitNano(job) {
        return typeof this.perJobLimitNano === "function" ? this.perJobLimitNano(job) : this.perJobLimitNano;
    }
    get committedNano() {
        return this.committed;
    }
    jobCommittedNano(job) {
        return this.byJob.get(job) ?? 0;
    }
    tryStart(runId, estimateNano, job = "") {
        const jobLimit = this.jobLimitNano(job);
        const jobOk = jobLimit === undefined || this.jobCommittedNano(job) + estimateNano <= jobLimit;
        const started = jobOk && this.committed + estimateNano <= this.limitNano;
        this.decisions.push({ runId, committedBefore: this.committed, estimateNano, started });
        if (started)
            this.set(runId, estimateNano, job);
        return started;
    }
    /**
     * A run paid for already (an earlier attempt of this workflow run submitted it; this one collects it): its
     * money is committed whatever the limit says, so that runs started after it see it.
     */
    commitPaid(runId, estimateNano, job = "") {
        this.set(runId, estimateNano, job);
    }
    /** The run's billed cost is known: it replaces the estimate (up or down). */
    settle(runId, billedNano) {
        const c = this.commitments.get(runId);
        if (!c)
            return;
        this.set(runId, billedNano, c.job);
    }
    /** The run was never accepted by fal (rejected submit): nothing can be billed for it. */
    release(runId) {
        const c = this.commitments.get(runId);
        if (!c)
            return;
        this.committed -= c.nano;
        this.byJob.set(c.job, this.jobCommittedNano(c.job) - c.nano);
        this.commitments.delete(runId);
    }
    set(runId, nano, job) {
        const delta = nano - (this.commitments.get(runId)?.nano ?? 0);
        this.committed += delta;
        this.byJob.set(job, this.jobCommittedNano(job) + delta);
        this.commitments.set(runId, { nano, job });
    }
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(37067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(44708);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: ./src/util/safe-fs.ts
var safe_fs = __webpack_require__(12267);
// EXTERNAL MODULE: external "node:dns"
var external_node_dns_ = __webpack_require__(40610);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(77030);
;// CONCATENATED MODULE: ./src/adapters/address-policy.ts


/**
 * Which addresses an output download may connect to: public unicast only. A
 * result URL is data from a model run; on a self-hosted runner, fetching an
 * internal host (cloud metadata, an admin page) would copy it into the
 * artifact. The check runs on the address actually connected to (a DNS
 * lookup hook), so a name that resolves differently later cannot slip past.
 */
/** The kind of a non-public address (`"loopback"`, `"private"`, …), or null for a public one. Text that is not an IP address is refused. */
function blockedAddressKind(ip) {
    const text = ip.replace(/%.*$/, ""); // an IPv6 zone id says which interface, not which address
    if ((0,external_node_net_.isIP)(text) === 4)
        return ipv4Kind(parseIpv4(text));
    if ((0,external_node_net_.isIP)(text) === 6)
        return ipv6Kind(parseIpv6(text));
    return "not an IP address";
}
/** [first, prefix length, kind], most specific first where ranges nest. */
const V4_RANGES = [
    [v4("0.0.0.0"), 8, "unspecified"],
    [v4("10.0.0.0"), 8, "private"],
    [v4("100.64.0.0"), 10, "CGNAT"],
    [v4("127.0.0.0"), 8, "loopback"],
    [v4("169.254.0.0"), 16, "link-local"],
    [v4("172.16.0.0"), 12, "private"],
    [v4("192.0.0.0"), 24, "reserved"], // IETF protocol assignments
    [v4("192.0.2.0"), 24, "reserved"], // documentation
    [v4("192.168.0.0"), 16, "private"],
    [v4("198.18.0.0"), 15, "reserved"], // benchmarking
    [v4("198.51.100.0"), 24, "reserved"],
    [v4("203.0.113.0"), 24, "reserved"],
    [v4("224.0.0.0"), 4, "multicast"],
    [v4("240.0.0.0"), 4, "reserved"], // includes 255.255.255.255
];
function ipv4Kind(n) {
    for (const [first, bits, kind] of V4_RANGES) {
        const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
        if ((n & mask) >>> 0 === first)
            return kind;
    }
    return null;
}
function ipv6Kind(g) {
    const zeroTo = (end) => g.slice(0, end).every((x) => x === 0);
    const low32 = ((g[6] << 16) | g[7]) >>> 0;
    if (zeroTo(8))
        return "unspecified";
    if (zeroTo(7) && g[7] === 1)
        return "loopback";
    // Forms that carry an IPv4 address: judged by that address, since that is where the packets go.
    if (zeroTo(5) && g[5] === 0xffff)
        return ipv4Kind(low32); // ::ffff:a.b.c.d, IPv4-mapped
    if (zeroTo(6))
        return ipv4Kind(low32); // ::a.b.c.d, IPv4-compatible (deprecated)
    if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
        return ipv4Kind(low32); // NAT64 well-known prefix
    if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1)
        return "private"; // local-use NAT64
    if (g[0] === 0x2002)
        return ipv4Kind(((g[1] << 16) | g[2]) >>> 0); // 6to4
    if (g[0] === 0x2001 && g[1] === 0)
        return "reserved"; // Teredo: the IPv4 inside is obfuscated; no CDN needs it
    if (g[0] === 0x2001 && g[1] === 0xdb8)
        return "reserved"; // documentation
    if (g[0] === 0x100 && zeroTo(4))
        return "reserved"; // discard-only
    if ((g[0] & 0xfe00) === 0xfc00)
        return "unique-local";
    if ((g[0] & 0xffc0) === 0xfe80)
        return "link-local";
    if ((g[0] & 0xffc0) === 0xfec0)
        return "reserved"; // site-local (deprecated)
    if ((g[0] & 0xff00) === 0xff00)
        return "multicast";
    return null;
}
function v4(text) {
    return parseIpv4(text);
}
function parseIpv4(text) {
    return text.split(".").reduce((n, part) => ((n << 8) | Number(part)) >>> 0, 0);
}
/** Eight 16-bit groups; `text` is already known to be valid IPv6 (net.isIP). */
function parseIpv6(text) {
    let s = text.toLowerCase();
    const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
    if (dotted) {
        const n = parseIpv4(dotted[1]);
        s = `${s.slice(0, -dotted[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
    }
    const [head, tail] = s.split("::");
    const groups = (part) => (part ? part.split(":").map((x) => parseInt(x, 16)) : []);
    const h = groups(head);
    if (tail === undefined)
        return h;
    const t = groups(tail);
    return [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
}
/** Thrown from the lookup hook; the download reports it as is and does not retry. */
class AddressRefused extends Error {
    constructor(message) {
        super(message);
        this.name = "AddressRefused";
    }
}
/**
 * A `lookup` for http(s).request that refuses a host name when any address it
 * resolves to is not public (one bad answer is enough: a rebinding name may
 * mix them). Node calls it when it connects, so the address checked is the
 * one used.
 */
function guardLookup(base = external_node_dns_.lookup) {
    return (hostname, options, callback) => {
        base(hostname, { ...options, all: true }, (err, addresses) => {
            if (err)
                return callback(err, "", 0);
            const list = (Array.isArray(addresses) ? addresses : [{ address: addresses, family: (0,external_node_net_.isIP)(addresses) }]);
            for (const a of list) {
                const kind = blockedAddressKind(a.address);
                if (kind)
                    return callback(new AddressRefused(`refusing to download from ${hostname}: ${hostname} resolves to ${a.address}, ${article(kind)} ${kind} address`), "", 0);
            }
            if (list.length === 0)
                return callback(Object.assign(new Error(`${hostname}: no addresses`), { code: "ENOTFOUND" }), "", 0);
            if (options.all)
                callback(null, list);
            else
                callback(null, list[0].address, list[0].family);
        });
    };
}
/** Why a URL host that is an IP literal may not be fetched, or null (a name is checked when it resolves). */
function literalHostRefusal(hostname) {
    const host = hostname.replace(/^\[|\]$/g, "");
    if (!(0,external_node_net_.isIP)(host))
        return null;
    const kind = blockedAddressKind(host);
    return kind ? `refusing to download from ${hostname}: ${article(kind)} ${kind} address` : null;
}
function article(kind) {
    return kind === "unspecified" ? "an" : "a";
}

;// CONCATENATED MODULE: ./src/adapters/fal/cdn.ts








class DownloadError extends Error {
    retryable;
    constructor(message, retryable) {
        super(message);
        this.retryable = retryable;
        this.name = "DownloadError";
    }
}
/** Whether `url` may be fetched; returns true for a configured fal origin, whose host is trusted as configured. */
function checkUrlAllowed(url, policy) {
    let u;
    try {
        u = new URL(url);
    }
    catch {
        throw new DownloadError(`not a URL: ${url.slice(0, 100)}`, false);
    }
    if (policy.extraOrigins.has(u.origin))
        return true;
    if (u.protocol !== "https:")
        throw new DownloadError(`refusing to download from ${u.origin}: only https URLs (or a configured FAL_*_URL origin) are fetched`, false);
    // WHATWG URL parsing has already turned 2130706433, 0x7f.1 and [::ffff:127.0.0.1] into their canonical forms.
    const refusal = literalHostRefusal(u.hostname);
    if (refusal)
        throw new DownloadError(refusal, false);
    return false;
}
async function downloadFile(url, dest, policy, signal, budget) {
    checkUrlAllowed(url, policy);
    try {
        return await (0,retry/* retry */.L5)(() => downloadOnce(url, dest, policy, signal, budget), {
            retries: policy.retries,
            baseMs: policy.retryBaseMs ?? 500,
            jitter: true,
            signal,
            isRetryable: (err) => !(err instanceof DownloadError) || err.retryable,
        });
    }
    catch (err) {
        // Cancelled in flight or while waiting to retry: say so, whatever the attempt died of.
        if (signal?.aborted)
            throw cancelled(signal);
        throw err instanceof Error ? err : new Error(String(err));
    }
}
function cancelled(signal) {
    const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? "aborted");
    return new DownloadError(`not downloaded: cancelled (${reason}); the file is still at its URL`, false);
}
async function downloadOnce(url, dest, policy, signal, budget) {
    try {
        await (0,safe_fs/* assertNotSymlink */.vy)(dest);
    }
    catch (err) {
        throw new DownloadError(err.message, false);
    }
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    // Redirects are followed by hand so that every hop is checked against the policy.
    let current = url;
    let res;
    try {
        for (let hop = 0; hop < 5; hop++) {
            const trusted = checkUrlAllowed(current, policy);
            res = await get(current, combined, trusted ? undefined : guardLookup(policy.lookup));
            const status = res.statusCode ?? 0;
            if (status >= 300 && status < 400 && res.headers.location) {
                res.resume();
                current = new URL(res.headers.location, current).href;
                continue;
            }
            break;
        }
    }
    catch (err) {
        if (err instanceof DownloadError)
            throw err;
        if (err instanceof AddressRefused)
            throw new DownloadError(err.message, false);
        throw new DownloadError(`download failed: ${timeout.aborted ? "timed out" : err.message}`, !signal?.aborted);
    }
    const status = res?.statusCode ?? 0;
    if (!res || status < 200 || status >= 300) {
        res?.resume();
        throw new DownloadError(`download failed: HTTP ${status}`, status === 0 || status === 408 || status === 429 || status >= 500);
    }
    const declaredHeader = res.headers["content-length"];
    const declared = declaredHeader === undefined ? NaN : Number(declaredHeader);
    if (Number.isFinite(declared) && declared > policy.maxBytes) {
        res.destroy();
        throw new DownloadError(`file is ${declared} bytes, over the ${policy.maxBytes}-byte limit per file`, false);
    }
    // A declared size is reserved from the shared budget whole; otherwise bytes are taken as they come.
    let taken = 0;
    const take = (n) => {
        if (budget && !budget.take(n))
            return false;
        taken += n;
        return true;
    };
    if (Number.isFinite(declared) && !take(declared)) {
        res.destroy();
        throw new DownloadError(overBudget(budget?.limit), false);
    }
    const reserved = taken;
    // A fresh name, opened exclusively, so a stale or planted `.part` can neither be followed nor clobbered; opened
    // before the data listener below starts the flow, so no chunk is missed.
    const tmp = `${dest}.${(0,external_node_crypto_.randomBytes)(6).toString("hex")}.part`;
    let file;
    try {
        file = await (0,safe_fs/* createNewFileStream */.ZN)(tmp);
    }
    catch (err) {
        // Whatever is at that name is not ours: leave it, and do not retry into it.
        res.destroy();
        if (budget && taken > 0)
            budget.give(taken);
        throw new DownloadError(`cannot create ${tmp}: ${err.message}`, false);
    }
    // Hash and count on the response's own data events: no extra stream stage between socket and file.
    const hash = (0,external_node_crypto_.createHash)("sha256");
    let bytes = 0;
    const body = res;
    body.on("data", (chunk) => {
        bytes += chunk.length;
        if (bytes > policy.maxBytes)
            body.destroy(new DownloadError(`file passed the ${policy.maxBytes}-byte limit per file`, false));
        else if (bytes > reserved && !take(Math.min(chunk.length, bytes - reserved)))
            body.destroy(new DownloadError(overBudget(budget?.limit), false));
        else
            hash.update(chunk);
    });
    try {
        await (0,external_node_stream_promises_.pipeline)(body, file, { signal: combined });
        if (Number.isFinite(declared) && bytes !== declared)
            throw new DownloadError(`download ended after ${bytes} of ${declared} bytes`, true);
        // rename replaces a symlink rather than following it; refusing one still beats silently replacing it.
        await (0,safe_fs/* assertNotSymlink */.vy)(dest);
        await (0,promises_.rename)(tmp, dest);
    }
    catch (err) {
        await (0,promises_.rm)(tmp, { force: true });
        if (budget && taken > 0)
            budget.give(taken);
        if (signal?.aborted)
            throw cancelled(signal);
        if (err instanceof DownloadError)
            throw err;
        if (err instanceof safe_fs/* UnsafePathError */.k0)
            throw new DownloadError(err.message, false);
        const name = err.name;
        throw new DownloadError(`download interrupted: ${name === "TimeoutError" || timeout.aborted ? "timed out" : err.message}`, !signal?.aborted);
    }
    return { bytes, sha256: hash.digest("hex"), contentType: res.headers["content-type"] ?? null };
}
/**
 * A plain node:http(s) GET: Node streams straight into the file, which moves
 * large files faster than fetch's web streams (see BENCHMARKS.md). Identity
 * encoding, so the bytes and the sha256 are exactly what the CDN stores.
 */
function get(url, signal, lookup) {
    return new Promise((resolve, reject) => {
        const u = new URL(url);
        const options = { method: "GET", signal, headers: { "accept-encoding": "identity", "user-agent": "fal-jobs-action" }, ...(lookup ? { lookup } : {}) };
        const req = (u.protocol === "https:" ? external_node_https_.request : external_node_http_.request)(u, options, resolve);
        req.on("error", reject);
        req.end();
    });
}
function overBudget(limit) {
    return `not downloaded: it would pass the cap of ${limit ?? "downloaded"} bytes for the whole manifest; the file is still at its URL`;
}

;// CONCATENATED MODULE: ./src/run/outputs.ts
/**
 * Finds what a run produced: every file fal returned (images[], image, video,
 * audio, audio_url, audio_file, or any object with a url and a content type or
 * file name) and the text results (LLM output, transcripts), and names each one
 * safely for the output directory.
 */
/**
 * Containers (objects, arrays) visited at most per result. There is no depth
 * limit (a file nested deep is still a file paid for); this bounds the work
 * on a hostile or enormous result instead, and the caller says so when hit.
 */
const MAX_SCAN_NODES = 100_000;
/** Iterative, in document order. */
function findOutputFiles(data, maxNodes = MAX_SCAN_NODES) {
    const files = [];
    const stack = data !== null && typeof data === "object" ? [{ path: "", value: data }] : [];
    let visited = 0;
    while (stack.length > 0) {
        const item = stack.pop();
        if (item.bare) {
            files.push({ source: item.path, url: item.value, contentType: null, fileName: null });
            continue;
        }
        const { value, path } = item;
        if (++visited > maxNodes)
            return { files, complete: false };
        // Only what can hold or be a file is queued: a long array of numbers costs no allocations.
        const children = [];
        const isContainer = (v) => v !== null && typeof v === "object";
        if (Array.isArray(value)) {
            value.forEach((v, i) => isContainer(v) && children.push({ path: `${path}[${i}]`, value: v }));
        }
        else {
            const obj = value;
            if (typeof obj.url === "string" && isFileLike(obj, path)) {
                files.push({
                    source: path || "file",
                    url: obj.url,
                    contentType: typeof obj.content_type === "string" ? obj.content_type : null,
                    fileName: typeof obj.file_name === "string" ? obj.file_name : null,
                });
                continue;
            }
            for (const [k, v] of Object.entries(obj)) {
                if (typeof v === "string" && BARE_URL_KEYS.test(k) && /^https?:\/\//.test(v))
                    children.push({ path: join(path, k), value: v, bare: true });
                else if (isContainer(v))
                    children.push({ path: join(path, k), value: v });
            }
        }
        // Reversed onto the stack, so they come off in document order.
        for (let i = children.length - 1; i >= 0; i--)
            stack.push(children[i]);
    }
    return { files, complete: true };
}
const BARE_URL_KEYS = /^(audio|video|image|file|mesh|model)_url$/;
const FILE_KEYS = /(^|\.|\])(images?|videos?|audios?|audio_url|audio_file|files?|mesh|model_mesh|output|outputs)(\[\d+\])?$/;
function isFileLike(obj, path) {
    return typeof obj.content_type === "string" || typeof obj.file_name === "string" || typeof obj.file_size === "number" || FILE_KEYS.test(path);
}
function join(path, key) {
    return path ? `${path}.${key}` : key;
}
/** Top-level text results worth a file of their own. */
function findTextOutputs(data) {
    if (data === null || typeof data !== "object" || Array.isArray(data))
        return [];
    const out = [];
    for (const key of ["output", "text", "transcript", "response", "completion"]) {
        const v = data[key];
        if (typeof v === "string" && v.length > 0)
            out.push({ source: key, text: v });
    }
    return out;
}
const EXT_BY_TYPE = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
    "audio/mpeg": ".mp3",
    "audio/wav": ".wav",
    "audio/x-wav": ".wav",
    "audio/ogg": ".ogg",
    "audio/flac": ".flac",
    "model/gltf-binary": ".glb",
    "application/json": ".json",
    "text/plain": ".txt",
};
/**
 * A file name made only from the JSON path and a vetted extension: never from
 * a server-chosen name alone, so it cannot traverse (`../`) or hide (`.x`).
 * Different paths can map to one name (`images[0]`, `images_0`; long paths
 * cut to one stem): UniqueNames settles that.
 */
function safeFileName(file) {
    let stem = file.source.replace(/\[(\d+)\]/g, "_$1").replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 80) || "file";
    // Names Windows cannot create, whatever the extension: the artifact may be unpacked there.
    if (/^(con|prn|aux|nul|com\d|lpt\d)$/i.test(stem))
        stem += "_";
    return `${stem}${extensionOf(file)}`;
}
function extensionOf(file) {
    const byType = file.contentType ? EXT_BY_TYPE[file.contentType.split(";")[0].trim().toLowerCase()] : undefined;
    if (byType)
        return byType;
    // Only a name with a stem counts: `.bashrc` has no extension. `.part` is what unfinished downloads are called.
    const fromName = (name) => /[^/.][^/]*\.([A-Za-z0-9]{1,5})$/.exec(name ?? "")?.[1]?.toLowerCase();
    const ext = fromName(file.fileName) ?? fromName(urlPathOf(file.url));
    return ext && ext !== "part" ? `.${ext}` : ".bin";
}
/**
 * Hands out file names within one directory, each once. Compared without
 * case, since artifacts are often unpacked on macOS or Windows; a taken name
 * gets `~2`, `~3`… before its extension. Reserved names (the run's own
 * `result.json`) are never handed out.
 */
class UniqueNames {
    taken = new Set();
    constructor(reserved = []) {
        for (const name of reserved)
            this.taken.add(name.toLowerCase());
    }
    take(name) {
        const dot = name.lastIndexOf(".");
        const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
        let candidate = name;
        for (let n = 2; this.taken.has(candidate.toLowerCase()); n++)
            candidate = `${stem}~${n}${ext}`;
        this.taken.add(candidate.toLowerCase());
        return candidate;
    }
}
function urlPathOf(url) {
    try {
        return new URL(url).pathname;
    }
    catch {
        return "";
    }
}
/** A directory name for a run: readable, filesystem-safe, bounded. Uniqueness is the caller's (`runDir` in collect.ts). */
function safeSegment(text, max = 100) {
    const s = text.replace(/[^A-Za-z0-9._=,-]+/g, "_").replace(/^[._]+/, "").replace(/_+$/, "");
    return (s || "run").slice(0, max);
}

;// CONCATENATED MODULE: ./src/run/collect.ts






const DEFAULT_COLLECTOR_LIMITS = { filesPerRun: 200, totalFiles: 10_000, totalBytes: 10 * 1024 ** 3 };
const RESULT_FILE = "result.json";
function createCollector(opts) {
    const limits = { ...DEFAULT_COLLECTOR_LIMITS, ...opts.limits };
    const limiter = new Limiter(opts.concurrency);
    // Compared without case: one folder on macOS and Windows.
    const usedDirs = new Set();
    const results = new Map();
    const inputs = new Map();
    let filesLeft = limits.totalFiles;
    let bytesLeft = limits.totalBytes;
    const bytes = {
        limit: limits.totalBytes,
        take: (n) => (n <= bytesLeft ? ((bytesLeft -= n), true) : false),
        give: (n) => void (bytesLeft += n),
    };
    function runDir(record) {
        const base = external_node_path_default().join(safeSegment(record.job, 64), safeSegment(record.variant ? `${record.variant}-${record.repeat}` : `run-${record.repeat}`));
        let dir = base;
        for (let n = 2; usedDirs.has(dir.toLowerCase()); n++)
            dir = `${base}~${n}`;
        usedDirs.add(dir.toLowerCase());
        return dir;
    }
    async function writeResultFile(record, extra = {}) {
        if (!record.dir)
            return;
        const body = {
            run: record.id,
            job: record.job,
            model: record.model,
            input: inputs.get(record.id) ?? null,
            request_id: record.request_id,
            status: record.status,
            error: record.error,
            timings: record.timings,
            outputs: record.outputs,
            cost: {
                estimated: (0,money/* formatUsd */.UK)(record.estimate_nano),
                unit_price: record.unit_price,
                header_units: record.header_units,
                ...extra,
            },
            fal_result: results.get(record.id) ?? null,
        };
        try {
            await (0,safe_fs/* writeFileNoFollow */.qI)(external_node_path_default().join(opts.outputDir, record.dir, RESULT_FILE), `${JSON.stringify(body, null, 2)}\n`);
        }
        catch (err) {
            // Said once in the run's outputs, where the report shows it.
            if (!record.outputs.some((o) => o.source === RESULT_FILE && o.error))
                record.outputs.push(notKept(RESULT_FILE, "", `${RESULT_FILE} not written: ${err.message}`));
        }
    }
    async function collect(record, input, data, extra = {}) {
        if (!record.submitted)
            return;
        const dir = runDir(record);
        let abs = null;
        let dirError = null;
        try {
            abs = await (0,safe_fs/* ensureDirUnder */._6)(opts.outputDir, dir);
            record.dir = dir;
        }
        catch (err) {
            dirError = `not saved: ${err.message}`;
        }
        inputs.set(record.id, input);
        if (data !== undefined)
            results.set(record.id, data);
        const scan = findOutputFiles(data);
        const names = new UniqueNames([RESULT_FILE]);
        const planned = scan.files.map((f) => ({ f, name: names.take(safeFileName(f)), out: notKept(f.source, f.url, null, f.contentType) }));
        record.outputs = planned.map((p) => p.out);
        await Promise.all(planned.map(async ({ f, name, out }, i) => {
            if (dirError || !abs)
                return void (out.error = `${dirError}; the file is still at its URL`);
            if (i >= limits.filesPerRun) {
                out.error = `not downloaded: the result lists ${planned.length} files, over the cap of ${limits.filesPerRun} files per run; the file is still at its URL`;
                return;
            }
            await limiter.acquire();
            try {
                if (filesLeft <= 0) {
                    out.error = `not downloaded: the cap of ${limits.totalFiles} files for the whole manifest was reached; the file is still at its URL`;
                    return;
                }
                filesLeft--;
                const d = await opts.fetchFile(f.url, external_node_path_default().join(abs, name), opts.signal, bytes);
                Object.assign(out, { path: external_node_path_default().join(dir, name), bytes: d.bytes, sha256: d.sha256, content_type: out.content_type ?? d.contentType });
            }
            catch (err) {
                filesLeft++;
                out.error = err.message;
            }
            finally {
                limiter.release();
            }
        }));
        if (!scan.complete) {
            record.outputs.push(notKept("(scan)", "", `result too large to scan: stopped after ${MAX_SCAN_NODES} objects and arrays, so files past that point were not looked for; the whole result is in ${RESULT_FILE}`));
        }
        for (const t of findTextOutputs(data)) {
            const out = notKept(t.source, "", dirError, "text/plain");
            const name = names.take(`${t.source}.txt`);
            if (abs) {
                try {
                    await (0,safe_fs/* writeFileNoFollow */.qI)(external_node_path_default().join(abs, name), t.text);
                    Object.assign(out, { path: external_node_path_default().join(dir, name), bytes: Buffer.byteLength(t.text), sha256: (0,external_node_crypto_.createHash)("sha256").update(t.text).digest("hex") });
                }
                catch (err) {
                    out.error = err.message;
                }
            }
            record.outputs.push(out);
        }
        await writeResultFile(record, extra);
    }
    return { collect, writeResultFile };
}
function notKept(source, url, error, contentType = null) {
    return { source, url, content_type: contentType, path: null, bytes: null, sha256: null, error };
}

;// CONCATENATED MODULE: ./src/billing/reconcile.ts

function billedCostOf(record, billing) {
    // A submit sent without a definite answer may be a billed request we have no id for: unknown, never $0.
    if (record.submit_outcome === "unknown")
        return { source: "unknown", units: null, unit_price: record.unit_price, cost_nano: null };
    if (!record.submitted)
        return { source: "not-submitted", units: 0, unit_price: record.unit_price, cost_nano: 0 };
    const event = billing?.status === "ok" && record.request_id ? billing.events.get(record.request_id) : undefined;
    if (event) {
        const cost = eventCostNano(event);
        if (cost !== null)
            return { source: "billing-events", units: event.output_units, unit_price: event.unit_price, cost_nano: cost };
    }
    if (record.header_units !== null && record.unit_price !== null) {
        return { source: "header", units: record.header_units, unit_price: record.unit_price, cost_nano: (0,money/* costNano */.E6)(record.header_units, record.unit_price) };
    }
    if (record.status === "succeeded" && record.observed_units !== null && record.unit_price !== null) {
        return { source: "observed", units: record.observed_units, unit_price: record.unit_price, cost_nano: (0,money/* costNano */.E6)(record.observed_units, record.unit_price) };
    }
    // With a working billing lookup, a missing event is late, not absent.
    return { source: billing?.status === "ok" ? "pending" : "unknown", units: null, unit_price: record.unit_price, cost_nano: null };
}
/** An event's cost, from fal's own figures first; null while it has none yet. */
function eventCostNano(e) {
    if (e.cost_estimate_nano_usd !== null)
        return Math.round(e.cost_estimate_nano_usd);
    if (e.cost_total !== null)
        return (0,money/* toNano */.IU)(e.cost_total);
    if (e.output_units !== null && e.unit_price !== null) {
        const gross = (0,money/* costNano */.E6)(e.output_units, e.unit_price);
        return e.percent_discount ? Math.round(gross * (1 - e.percent_discount / 100)) : gross;
    }
    return null;
}
function reconcile(records, billing) {
    const perRun = records.map((record) => {
        const billed = billedCostOf(record, billing);
        return { record, billed, overEstimate: billed.cost_nano !== null && billed.cost_nano > record.estimate_nano };
    });
    const byJob = new Map();
    for (const run of perRun) {
        const runs = byJob.get(run.record.job);
        if (runs)
            runs.push(run);
        else
            byJob.set(run.record.job, [run]);
    }
    return {
        perRun,
        perJob: new Map([...byJob].map(([job, runs]) => [job, summarizeCosts(runs)])),
        totals: summarizeCosts(perRun),
        billing: { status: billing?.status ?? "not-used", detail: billing && billing.status !== "ok" ? billing.message : null },
    };
}
const STATUSES = ["succeeded", "failed", "timed-out", "cancelled", "skipped-budget"];
function summarizeCosts(runs) {
    const counts = Object.fromEntries(STATUSES.map((s) => [s, 0]));
    let billed = 0;
    let billedRuns = 0;
    let pending = 0;
    let unknown = 0;
    let unknownSubmits = 0;
    let estOfBilled = 0;
    let over = 0;
    const sources = new Set();
    for (const run of runs) {
        counts[run.record.status]++;
        if (run.record.submit_outcome === "unknown")
            unknownSubmits++;
        const b = run.billed;
        if (b.source === "pending")
            pending++;
        else if (b.source === "unknown")
            unknown++;
        else if (b.cost_nano !== null) {
            billed += b.cost_nano;
            // not-submitted runs cost nothing, and are left out of the accuracy figures.
            if (b.source !== "not-submitted") {
                billedRuns++;
                estOfBilled += run.record.estimate_nano;
                sources.add(b.source);
            }
        }
        if (run.overEstimate)
            over++;
    }
    const delta = billed - estOfBilled;
    return {
        counts,
        billedNano: billed,
        billedRuns,
        pendingRuns: pending,
        unknownRuns: unknown,
        unknownSubmits,
        complete: pending === 0 && unknown === 0,
        deltaNano: delta,
        errorPct: estOfBilled > 0 ? Math.round((delta / estOfBilled) * 1000) / 10 : null,
        overEstimateRuns: over,
        sources: [...sources],
    };
}
/**
 * fal's billing events name the discount each request was billed at. Where a
 * run was priced from the catalog, the workflow's `discount-percent` stood in
 * for it: when the two differ, say so, with the figure to set, since every
 * catalog estimate (and the credit check, and history) is off by as much.
 */
function discountMismatch(billing, catalogPriced, configured) {
    if (billing?.status !== "ok")
        return undefined;
    const seen = new Set();
    for (const e of billing.events.values())
        if (catalogPriced.has(e.endpoint_id))
            seen.add(e.percent_discount ?? 0);
    const set = configured ?? 0;
    const other = [...seen].filter((p) => p !== set).sort((a, b) => a - b);
    if (other.length === 0)
        return undefined;
    const billed = other.map((p) => `${p}%`).join(", ");
    return `fal billed catalog-priced models at a ${billed} discount, but discount-percent is ${set}%: set \`discount-percent: "${other.length === 1 ? other[0] : "…"}"\` so catalog estimates match your bills`;
}

;// CONCATENATED MODULE: ./src/gate/run-verdict.ts


function runVerdict(r) {
    const all = r.reconciliation.totals;
    const reasons = [...r.gate.reasons];
    const warnings = [...r.gate.warnings];
    if (r.cancelReason) {
        const left = r.reconciliation.perRun.filter((run) => run.record.uncollected).length;
        reasons.push(`the run was cancelled (${r.cancelReason}); queued fal requests were cancelled${left > 0 ? `, ${left} ${(0,shell/* inShell */.wp)({ action: "running one(s) left to finish for a re-run to collect", cli: "could not be cancelled and may run on at fal (and bill)" })}` : ""}`);
    }
    if (all.counts.failed + all.counts["timed-out"] > 0)
        reasons.push(`${all.counts.failed} run(s) failed and ${all.counts["timed-out"]} timed out`);
    if (all.counts["skipped-budget"] > 0)
        reasons.push(`${all.counts["skipped-budget"]} run(s) were not started because the budget would have been exceeded`);
    const limit = r.budget.limitNano;
    // Known spend alone over the limit fails; pending and unknown runs can only add to it.
    if (limit !== undefined && all.billedNano > limit)
        reasons.push(`billed ${(0,money/* displayUsd */.dd)(all.billedNano)} is over the ${(0,money/* displayUsd */.dd)(limit)} budget`);
    const jobLimit = r.budget.perJobLimitNano;
    if (jobLimit !== undefined) {
        for (const [job, cost] of r.reconciliation.perJob) {
            if (cost.billedNano > jobLimit)
                reasons.push(`job ${job} billed ${(0,money/* displayUsd */.dd)(cost.billedNano)}, over the per-job limit of ${(0,money/* displayUsd */.dd)(jobLimit)}`);
        }
    }
    if (all.overEstimateRuns > 0)
        warnings.push(`${all.overEstimateRuns} run(s) billed more than estimated`);
    if (all.pendingRuns > 0)
        warnings.push(`${all.pendingRuns} run(s) have no billing record yet (fal's billing can lag); their cost is pending`);
    if (all.unknownSubmits > 0) {
        reasons.push(`${all.unknownSubmits} submit(s) got no definite answer from fal (a lost response, a gateway error, or a timeout or cancellation in flight): fal may have accepted and billed them, so their cost is unknown. They were not sent again; check fal's dashboard for requests of this run`);
    }
    const unpriced = all.unknownRuns - all.unknownSubmits;
    if (unpriced > 0)
        warnings.push(`billed cost of ${unpriced} run(s) is unknown: fal sent no billable units, the outputs do not show them, and there is no ADMIN key for billing events`);
    // fal bills by its header, but a header below what the outputs prove deserves a look (the review found one that hid 15×).
    const underHeader = r.reconciliation.perRun.filter(({ record: rec, billed }) => billed.source === "header" && rec.header_units !== null && rec.observed_units !== null && rec.header_units < rec.observed_units);
    if (underHeader.length > 0) {
        const first = underHeader[0].record;
        warnings.push(`${underHeader.length} run(s) were billed by fal's billable-units header at fewer units than their outputs and input show (e.g. ${first.id}: header ${first.header_units}, outputs ${first.observed_units}); the header was used, as fal bills by it — check fal's billing for these runs`);
    }
    const missing = r.reconciliation.perRun.reduce((n, run) => n + run.record.outputs.filter((o) => o.error).length, 0);
    if (missing > 0)
        reasons.push(`${missing} output file(s) could not be downloaded (their fal URLs are in the report)`);
    return { pass: reasons.length === 0, reasons, warnings };
}

;// CONCATENATED MODULE: ./src/gate/credit-check.ts

/** `lookup` undefined: no ADMIN key was given. */
function checkCredits(lookup, neededNano) {
    const needed = (0,money/* displayUsd */.dd)(neededNano);
    if (!lookup)
        return { status: "skipped", balanceNano: null, currency: null, neededNano, detail: "credit balance not checked: no `fal-admin-key` (reading it needs an ADMIN-scope key)" };
    if (lookup.status === "refused")
        return { status: "skipped", balanceNano: null, currency: null, neededNano, detail: `credit balance not checked: ${lookup.message}` };
    if (lookup.status === "failed") {
        return {
            status: "failed",
            balanceNano: null,
            currency: null,
            neededNano,
            detail: `the account's credit balance could not be read (${lookup.message}), so nothing was submitted: a run that outgrows the credits is stopped half done by fal. Re-run when fal's API answers`,
        };
    }
    if (lookup.currency !== "USD") {
        return { status: "skipped", balanceNano: null, currency: lookup.currency, neededNano, detail: `credit balance not checked: fal reports it in ${lookup.currency}, budgets are in USD` };
    }
    const balanceNano = (0,money/* toNano */.IU)(lookup.balance);
    const balance = lookup.balance < 0 ? `-${(0,money/* displayUsd */.dd)(-balanceNano)}` : (0,money/* displayUsd */.dd)(balanceNano);
    if (balanceNano >= neededNano)
        return { status: "covered", balanceNano, currency: "USD", neededNano, detail: `credits ${balance} cover the most this run can commit (${needed})` };
    return {
        status: "short",
        balanceNano,
        currency: "USD",
        neededNano,
        detail: `the account's credits (${balance}) do not cover the most this run can commit (${needed}): nothing was submitted. Add credits, or lower the budget to at most $${(0,money/* formatUsd */.UK)(Math.max(0, balanceNano))}`,
    };
}

;// CONCATENATED MODULE: ./src/adapters/fal/account-api.ts



/** An answer that settles the look-up: not tried again. */
class Settled extends Error {
    lookup;
    constructor(lookup) {
        super(lookup.message);
        this.lookup = lookup;
    }
}
async function fetchCreditBalance(opts) {
    const doFetch = opts.fetch ?? fetch;
    const url = new URL(`${opts.apiUrl}/account/billing`);
    url.searchParams.set("expand", "credits");
    const clean = (text) => (0,secret/* redactSecrets */.fp)(text, [opts.adminKey]);
    try {
        return await (0,retry/* retry */.L5)(async () => {
            const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs ?? 15_000)]) : AbortSignal.timeout(opts.timeoutMs ?? 15_000);
            let res;
            try {
                res = await doFetch(url, { headers: { Authorization: `Key ${opts.adminKey}`, Accept: "application/json" }, signal });
            }
            catch (err) {
                if (opts.signal?.aborted)
                    throw err;
                throw new Error(err.name === "TimeoutError" ? "fal's account API did not answer in time" : `fal's account API unreachable: ${err.message}`, { cause: err });
            }
            if (res.status === 401 || res.status === 403) {
                const msg = clean(await (0,platform_api/* errorText */.k)(res));
                throw new Settled({ status: "refused", message: `fal's account API answered ${res.status}${msg ? `: ${msg}` : ""} (the balance needs an ADMIN-scope key)` });
            }
            if (!res.ok) {
                const msg = clean(await (0,platform_api/* errorText */.k)(res));
                const message = `fal's account API answered ${res.status}${msg ? `: ${msg}` : ""}`;
                // Only an overload or an outage may pass: another 4xx answers the same the next time.
                if (res.status < 500 && res.status !== 408 && res.status !== 429)
                    throw new Settled({ status: "failed", message });
                throw new Error(message);
            }
            const body = (await res.json().catch(() => undefined));
            const raw = body?.credits?.current_balance;
            // fal's Platform API gives some figures as strings ("12.50").
            const balance = typeof raw === "string" && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
            const currency = body?.credits?.currency;
            // A 200 that is not a balance is not "enough" either: it fails like an outage (and is not tried again).
            if (typeof balance !== "number" || !Number.isFinite(balance))
                throw new Settled({ status: "failed", message: "fal's account API answered without a credit balance" });
            return { status: "ok", balance, currency: typeof currency === "string" && currency ? currency.toUpperCase() : "USD" };
        }, { retries: opts.retries ?? 2, baseMs: opts.retryBaseMs ?? 1000, jitter: true, signal: opts.signal, isRetryable: (err) => !(err instanceof Settled) });
    }
    catch (err) {
        if (err instanceof Settled)
            return err.lookup;
        return { status: "failed", message: clean(err instanceof Error ? err.message : String(err)) };
    }
}

;// CONCATENATED MODULE: ./src/run/progress.ts
class RunProgress {
    now;
    jobs = new Map();
    startedAt;
    constructor(plan, now = Date.now) {
        this.now = now;
        this.startedAt = now();
        for (const job of plan.jobs) {
            this.jobs.set(job.id, { id: job.id, total: job.runCount, done: 0, byStatus: new Map(), queued: 0, running: 0, stages: new Map(), reported: false });
        }
    }
    /** The executor's hook: called for every run as it moves on. */
    onRunEvent = (record, event) => {
        const job = this.jobs.get(record.job);
        if (!job)
            return;
        job.startedAt ??= this.now();
        const was = job.stages.get(record.id);
        if (was)
            job[was]--;
        if (event === "finished") {
            job.stages.delete(record.id);
            job.done++;
            job.byStatus.set(record.status, (job.byStatus.get(record.status) ?? 0) + 1);
            if (job.done === job.total)
                job.finishedAt = this.now();
            return;
        }
        const stage = event === "running" ? "running" : "queued";
        job.stages.set(record.id, stage);
        job[stage]++;
    };
    counts() {
        let done = 0;
        let total = 0;
        for (const job of this.jobs.values()) {
            done += job.done;
            total += job.total;
        }
        return { done, total };
    }
    /** The lines for now: each job not yet summed up as finished, then the whole run (with `extra`, e.g. money committed). */
    lines(extra) {
        const now = this.now();
        const out = [];
        let done = 0;
        let total = 0;
        let eta = 0;
        for (const job of this.jobs.values()) {
            done += job.done;
            total += job.total;
            const left = etaMs(job, now);
            if (left !== undefined)
                eta = Math.max(eta, left);
            else if (job.done < job.total)
                eta = NaN;
            if (job.reported)
                continue;
            if (job.finishedAt !== undefined)
                job.reported = true;
            out.push(jobLine(job, now, left));
        }
        const parts = [`fal-jobs: ${done}/${total} runs done`, `${formatElapsed(now - this.startedAt)} elapsed`];
        if (done < total)
            parts.push(Number.isNaN(eta) ? "no ETA until a run of each job has finished" : `ETA ~${formatElapsed(eta)}`);
        if (extra)
            parts.push(extra);
        out.push(parts.join(" · "));
        return out;
    }
}
function jobLine(job, now, left) {
    const statuses = [...job.byStatus].map(([status, n]) => `${n} ${status}`).join(", ");
    const done = `${job.id}: ${job.done}/${job.total} done${statuses ? ` (${statuses})` : ""}`;
    if (job.finishedAt !== undefined)
        return `${done}, finished in ${formatElapsed(job.finishedAt - (job.startedAt ?? job.finishedAt))}`;
    const parts = [done];
    const inFlight = [job.running ? `${job.running} in progress` : "", job.queued ? `${job.queued} queued` : ""].filter(Boolean).join(", ");
    if (inFlight)
        parts.push(inFlight);
    parts.push(`${formatElapsed(job.startedAt === undefined ? 0 : now - job.startedAt)} elapsed`);
    parts.push(left === undefined ? "no ETA until a run has finished" : `ETA ~${formatElapsed(left)}`);
    return parts.join(" · ");
}
/** Time left at the job's pace so far (runs done per elapsed time); undefined before its first run has ended. */
function etaMs(job, now) {
    if (job.done >= job.total)
        return 0;
    if (job.done === 0 || job.startedAt === undefined)
        return undefined;
    return ((now - job.startedAt) / job.done) * (job.total - job.done);
}
/** `42s`, `3m05s`, `1h02m`. */
function formatElapsed(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60)
        return `${s}s`;
    if (s < 3600)
        return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
/** How often the reporter looks at the counts; it writes only when there is something to say. */
const CHECK_MS = 1000;
/**
 * Writes the lines as the run goes: each time another tenth of the runs is done (so a run of a few seconds shows
 * its pace too), and at least every `heartbeatMs` while nothing moves; then once more at the end. `extra` is asked
 * for each time (it changes as money is committed).
 */
function startProgressReports(progress, opts) {
    const now = opts.now ?? Date.now;
    let lastAt = now();
    let lastTenth = 0;
    const timer = setInterval(() => {
        const { done, total } = progress.counts();
        if (done >= total)
            return; // the last lines come from stop()
        const tenth = Math.floor((done * 10) / total);
        if (tenth === lastTenth && now() - lastAt < opts.heartbeatMs)
            return;
        lastTenth = tenth;
        lastAt = now();
        opts.write(progress.lines(opts.extra?.()));
    }, CHECK_MS);
    timer.unref();
    return {
        stop: () => {
            clearInterval(timer);
            opts.write(progress.lines(opts.extra?.()));
        },
    };
}

;// CONCATENATED MODULE: ./src/report/run-report.ts


function buildRunReport(r) {
    const { perRun, perJob, totals } = r.reconciliation;
    const runs = perRun.map(runEntry);
    const errors = firstErrorsByJob(perRun);
    const jobs = r.estimate.jobs.map((j) => ({ ...j, run: jobRunSummary(perJob.get(j.id) ?? summarizeCosts([]), errors.get(j.id) ?? []) }));
    const execution = {
        started_at: r.startedAt.toISOString(),
        finished_at: r.finishedAt.toISOString(),
        duration_ms: r.finishedAt.getTime() - r.startedAt.getTime(),
        cancelled: r.cancelReason !== null,
        cancel_reason: r.cancelReason,
        counts: totals.counts,
        billing: { source: r.billingSource, status: r.reconciliation.billing.status, detail: r.reconciliation.billing.detail },
        // A total shown while some runs are pending or unknown would look complete and be too low.
        billed: totals.complete ? (0,money/* formatUsd */.UK)(totals.billedNano) : null,
        billed_nano: totals.billedNano,
        billed_runs: totals.billedRuns,
        pending_runs: totals.pendingRuns,
        unknown_runs: totals.unknownRuns,
        delta_nano: totals.deltaNano,
        error_pct: totals.errorPct,
        over_estimate_runs: totals.overEstimateRuns,
        // The artifact is uploaded after the report is written: action/modes/real-run.ts fills these in.
        artifact: null,
        artifact_error: null,
        output_dir: r.outputDir,
    };
    const { pass, reasons, warnings } = r.verdict;
    const locked = r.locked.map((l) => lockedEntry(l, r.storeUrls));
    return { ...r.estimate, mode: "run", pass, reasons, warnings, jobs, runs, locked, execution, generated_at: r.finishedAt.toISOString() };
}
function lockedEntry({ key, runId, entry }, storeUrls) {
    return {
        id: runId,
        job: entry.job,
        key,
        request_id: entry.request_id,
        finished_at: entry.finished_at,
        billed: entry.billed,
        billed_nano: entry.billed_nano,
        billed_source: entry.billed_source,
        outputs: entry.outputs.length,
        artifact_url: entry.stored_in === null ? null : (storeUrls.get(entry.stored_in) ?? null),
    };
}
function runEntry({ record: rec, billed, overEstimate }) {
    const t = rec.timings;
    return {
        id: rec.id,
        job: rec.job,
        model: rec.model,
        variant: rec.variant,
        repeat: rec.repeat,
        status: rec.status,
        submitted: rec.submitted,
        submit_outcome: rec.submit_outcome,
        request_id: rec.request_id,
        error: rec.error && runError(rec.error),
        timings: { started_at: t.started_at, submitted_at: t.submitted_at, completed_at: t.completed_at, finished_at: t.finished_at, total_ms: t.total_ms },
        estimated: (0,money/* formatUsd */.UK)(rec.estimate_nano),
        estimated_nano: rec.estimate_nano,
        billed: { source: billed.source, units: billed.units, unit_price: billed.unit_price, cost_nano: billed.cost_nano, cost: billed.cost_nano === null ? null : (0,money/* formatUsd */.UK)(billed.cost_nano) },
        over_estimate: overEstimate,
        dir: rec.dir,
        outputs: rec.outputs.map(outputEntry),
        ...(rec.uncollected && { uncollected: true }),
        ...(rec.resumed && { resumed: resumedEntry(rec.resumed) }),
    };
}
function resumedEntry({ attempt, request_id, outcome, detail }) {
    return { attempt, request_id, outcome, ...(detail !== undefined && { detail }) };
}
function runError({ message, status, type, stage }) {
    // Absent, not undefined: the in-memory report equals the JSON it is written as.
    return { message, ...(status !== undefined && { status }), ...(type !== undefined && { type }), stage };
}
function outputEntry({ source, url, content_type, path, bytes, sha256, error }) {
    return { source, url, content_type, path, bytes, sha256, error };
}
/** Compile-time: `counts` passes through keyed by RunStatus, so the schema lists exactly the statuses a run can have. */
const COUNTS_MATCH_RUN_STATUS = true;
void COUNTS_MATCH_RUN_STATUS;
function jobRunSummary(s, errors) {
    return {
        counts: s.counts,
        billed_nano: s.billedNano,
        billed_runs: s.billedRuns,
        pending_runs: s.pendingRuns,
        unknown_runs: s.unknownRuns,
        delta_nano: s.deltaNano,
        error_pct: s.errorPct,
        over_estimate_runs: s.overEstimateRuns,
        billed_sources: s.sources,
        errors,
    };
}
/** A few distinct messages per job are enough for a table cell; every run's error is in `runs`. */
function firstErrorsByJob(runs) {
    const byJob = new Map();
    for (const { record } of runs) {
        if (!record.error)
            continue;
        const errors = byJob.get(record.job) ?? byJob.set(record.job, []).get(record.job);
        if (errors.length < 5 && !errors.includes(record.error.message))
            errors.push(record.error.message);
    }
    return byJob;
}

// EXTERNAL MODULE: ./src/report/model.ts
var model = __webpack_require__(96867);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/flows/estimate-flow.ts + 16 modules
var estimate_flow = __webpack_require__(18933);
// EXTERNAL MODULE: ./src/lock/schema.ts
var schema = __webpack_require__(58376);
;// CONCATENATED MODULE: ./src/lock/update.ts

function nextLock(previous, diff, planJobIds, done, store) {
    const next = (0,schema/* emptyLock */.Vc)();
    for (const { key, runId, jobIndex, entry } of diff.locked)
        next.runs[key] = { ...entry, job: planJobIds[jobIndex], run: runId };
    for (const { key, entry } of done)
        next.runs[key] = { ...entry, stored_in: store?.id ?? null };
    for (const entry of Object.values(next.runs)) {
        if (entry.stored_in === null || Object.hasOwn(next.stores, entry.stored_in))
            continue;
        const kept = store && entry.stored_in === store.id ? store.store : previous.stores[entry.stored_in];
        if (kept)
            next.stores[entry.stored_in] = kept;
        else
            entry.stored_in = null;
    }
    return next;
}

// EXTERNAL MODULE: ./src/run/journal.ts
var run_journal = __webpack_require__(63066);
;// CONCATENATED MODULE: ./src/flows/resume-run.ts




/**
 * The run flow's side of re-runs resuming (run/resume.ts has the rules).
 *
 * The budget across attempts: a run whose earlier request this attempt
 * collects was paid for, so it counts against this attempt's budget, committed
 * before anything starts and never refused (collecting it costs nothing
 * more). It is part of the plan the estimate gate sees, so the gate counts it
 * too; with the first attempt's manifest and budget that gate passes whenever
 * the first one did, as what that attempt finished is locked now. Runs
 * earlier attempts finished and locked are locked here, as runs of the lock
 * are: not part of what this attempt spends. A run whose earlier request fal
 * no longer has is a new run and must fit the budget.
 */
function commitEarlierRequests(checked, earlier, ledger, log) {
    const keys = checked.lock.diff.keys;
    let runs = 0;
    for (const run of (0,expand/* iterateRuns */.pB)(checked.toRun)) {
        if (!earlier.has(keys.of(run)))
            continue;
        const estimate = checked.estimate.jobs[run.job.index].variants[run.variantIndex].costPerRunNano ?? 0;
        ledger.commitPaid(run.id, estimate, run.job.id);
        runs++;
    }
    if (runs > 0)
        log(`resume: ${runs} run(s) have requests earlier attempts submitted and nobody collected; their results are fetched by request id (${(0,money/* displayUsd */.dd)(ledger.committedNano)} committed for them)`);
}
/** What the report says about resuming: per run (run-report.ts), in the execution, and as warnings where money is at stake. */
function reportResume(report, records, resume) {
    const uncollected = records.filter((r) => r.uncollected);
    report.execution.uncollected_runs = uncollected.length;
    if (uncollected.length > 0) {
        report.warnings.push((0,shell/* inShell */.wp)({
            action: `${uncollected.length} run(s) were still running at fal when this run was cancelled: they were left to finish (fal bills them either way) and are recorded for a re-run. Re-run this workflow run within the hour fal keeps results, and it collects them by request id instead of paying for them again`,
            cli: `${uncollected.length} run(s) could not be cancelled at fal: they may run on and be billed; their request ids are in the report and in ${run_journal/* JOURNAL_FILE */.RD} in the output folder`,
        }));
    }
    if (!resume)
        return;
    const resumed = records.filter((r) => r.resumed);
    const resubmitted = resumed.filter((r) => r.resumed.outcome !== "collected");
    report.execution.resume = {
        attempt: report.context?.run_attempt ?? "",
        from_attempts: resume.attempts,
        collected_runs: resumed.length - resubmitted.length,
        resubmitted_runs: resubmitted.filter((r) => r.submitted).length,
    };
    if (resubmitted.length > 0) {
        const first = resubmitted[0];
        const again = resubmitted.filter((r) => r.submitted).length;
        const skipped = resubmitted.length - again;
        report.warnings.push(`${resubmitted.length} run(s) that an earlier attempt had submitted could not be collected (e.g. ${first.id}: ${first.resumed.detail ?? first.resumed.outcome}): ${again} were submitted again, so fal may have billed them twice${skipped > 0 ? `; ${skipped} did not fit the budget and were not` : ""}`);
    }
}

// EXTERNAL MODULE: ./src/estimate/estimate.ts + 1 modules
var estimate = __webpack_require__(34547);
;// CONCATENATED MODULE: ./src/gate/shard-budget.ts
/**
 * A shard's hard cap, with no coordination between shards: its share of a
 * limit in proportion to its share of the estimate,
 *
 *   cap_i = floor(limit × estimate_i / estimate_total)
 *
 * (equal shares of the limit when nothing is estimated to cost anything).
 * Rounded down, the caps add up to at most the limit, so the shards together
 * can never commit more than it. Exact in integers (BigInt): a product of
 * nano-USD figures passes 2^53.
 */
function shardCapNano(limitNano, estimateNano, totalEstimateNano, shards) {
    if (totalEstimateNano <= 0)
        return Math.floor(limitNano / shards);
    return Number((BigInt(limitNano) * BigInt(estimateNano)) / BigInt(totalEstimateNano));
}

// EXTERNAL MODULE: ./src/lock/key.ts + 1 modules
var key = __webpack_require__(33608);
// EXTERNAL MODULE: ./src/plan/partition.ts
var partition = __webpack_require__(31249);
;// CONCATENATED MODULE: ./src/flows/shard.ts







async function shardWork(checked, spec, manifestPath) {
    const { block, mine, byJob } = await shardPart(checked, spec, manifestPath);
    const plan = (0,expand/* restrictPlan */.O9)(checked.plan, mine);
    const perJob = checked.budget.perJobLimitNano;
    const jobIndex = new Map(checked.plan.jobs.map((j) => [j.id, j.index]));
    const jobLimitNano = perJob === undefined
        ? undefined
        : (id) => {
            const j = jobIndex.get(id);
            return shardCapNano(perJob, byJob[j][spec.index - 1], checked.estimate.jobs[j].totalNano, spec.total);
        };
    return { plan, estimate: (0,estimate/* restrictEstimate */.DC)(checked.full, plan), limitNano: block.budget_nano ?? 0, jobLimitNano, block };
}
/**
 * A shard's part as every shard computes it — the partition of the runs to
 * submit, each shard's share, this shard's runs — without making its plan
 * (all that `estimate --shard` shows).
 */
async function shardPart(checked, spec, manifestPath) {
    // The runs to submit, in plan order (as iterateRuns, without making each run's id or object).
    const n = checked.toRun.totalRuns;
    const jobOf = new Int32Array(n);
    const variantOf = new Int32Array(n);
    const repeatOf = new Int32Array(n);
    const costs = new Float64Array(n);
    let i = 0;
    for (const job of checked.toRun.jobs) {
        job.variants.forEach((variant, v) => {
            const cost = checked.estimate.jobs[job.index].variants[v].costPerRunNano ?? 0;
            const add = (repeat) => {
                jobOf[i] = job.index;
                variantOf[i] = v;
                repeatOf[i] = repeat;
                costs[i++] = cost;
            };
            if (variant.repeats)
                variant.repeats.forEach(add);
            else
                for (let r = 1; r <= variant.runs; r++)
                    add(r);
        });
    }
    const jobs = checked.plan.jobs;
    const keys = checked.lock.diff.keys;
    // The estimate's thread may have made it already (from the same keys and estimates).
    const made = checked.partition;
    const { shardOf, digest } = made && made.shards === spec.total && made.shardOf.length === n ? made : (0,partition/* partitionRuns */.n)((k) => keys.at(jobs[jobOf[k]], variantOf[k], repeatOf[k]), costs, spec.total);
    // This shard's runs, marked at their place in the full plan (job, variant, repeat).
    const { offsets, total } = (0,key/* runOffsets */.iz)(jobs.map((job) => job.variants.map((v) => v.runs)));
    const marked = new Uint8Array(total);
    const shares = Array.from({ length: spec.total }, (_, i) => ({ index: i + 1, runs: 0, estimated_nano: 0, budget_nano: null }));
    // Estimates per shard and job, for the per-job caps.
    const byJob = jobs.map(() => new Array(spec.total).fill(0));
    shardOf.forEach((s, k) => {
        shares[s].runs++;
        shares[s].estimated_nano += costs[k];
        byJob[jobOf[k]][s] += costs[k];
        if (s === spec.index - 1)
            marked[offsets[jobOf[k]][variantOf[k]] + repeatOf[k] - 1] = 1;
    });
    const limit = checked.budget.limitNano;
    if (limit !== undefined)
        for (const share of shares)
            share.budget_nano = shardCapNano(limit, share.estimated_nano, checked.estimate.totalNano, spec.total);
    const me = shares[spec.index - 1];
    const manifestSha256 = (0,external_node_crypto_.createHash)("sha256").update(await (0,promises_.readFile)(manifestPath)).digest("hex");
    return {
        block: { index: spec.index, total: spec.total, manifest_sha256: manifestSha256, partition: digest, runs: me.runs, estimated_nano: me.estimated_nano, budget_nano: me.budget_nano, shares, lock_file: null },
        mine: (job, v, r) => marked[offsets[job.index][v] + r - 1] === 1,
        byJob,
    };
}

;// CONCATENATED MODULE: ./src/flows/run-flow.ts



























const DEFAULT_MAX_DOWNLOAD_BYTES = 2 * 1024 ** 3;
async function runManifest(req) {
    const checked = req.estimated ?? (await (0,estimate_flow/* estimateManifest */.g)({ ...req, lockEntries: "full" }));
    if (!checked.gate.pass)
        return { estimate: checked, report: checked.report };
    if (checked.toRun.totalRuns > 0) {
        refuseUnboundedRun(checked);
        if (!(await creditsCover(checked, req)))
            return { estimate: checked, report: checked.report };
    }
    // A shard submits its part of the runs under its share of the budget; the gate above saw the whole manifest.
    const shard = req.shard ? await shardWork(checked, req.shard, req.manifestPath) : undefined;
    const work = shard ? { ...checked, toRun: shard.plan, estimate: shard.estimate } : checked;
    if (shard)
        req.log(`shard ${req.shard.index}/${req.shard.total}: ${shard.block.runs} of the ${checked.toRun.totalRuns} run(s) to submit, estimated ${(0,money/* displayUsd */.dd)(shard.block.estimated_nano)}, capped at ${(0,money/* displayUsd */.dd)(shard.limitNano)}`);
    const startedAt = new Date();
    const ledger = shard ? new BudgetLedger(shard.limitNano, shard.jobLimitNano) : new BudgetLedger(checked.budget.limitNano, checked.budget.perJobLimitNano);
    const queue = req.queue ?? createFalQueue({ key: req.falKey, endpoints: req.endpoints, fetch: req.fetch });
    const outputDir = external_node_path_default().resolve(req.outputDir);
    // Billed units are in the unit of the price they are billed at (fal's own, unless the workflow allows lower prices).
    // Where fal's pricing API and the catalog disagree on the kind of unit, outputs cannot show which one fal billed.
    const billedKind = (run) => {
        const quote = checked.estimate.jobs[run.job.index].billingQuote;
        return quote?.catalogInOtherUnit ? undefined : quote?.kind;
    };
    const downloads = {
        extraOrigins: overrideOrigins(req.endpoints),
        maxBytes: req.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES,
        retries: 3,
        timeoutMs: 15 * 60_000,
        retryBaseMs: req.retryBaseMs,
    };
    const collector = createCollector({
        outputDir,
        fetchFile: (url, dest, signal, budget) => downloadFile(url, dest, downloads, signal, budget),
        concurrency: 8,
        // Cancellation and the deadline stop downloads too: the runner kills a cancelled step seconds after SIGTERM.
        signal: req.signal,
    });
    // With an ADMIN key, a run that neither fal's header nor its outputs priced is settled from fal's billing record.
    const billingWatch = req.falAdminKey
        ? watchBillingEvents({
            apiUrl: req.endpoints.apiUrl,
            adminKey: req.falAdminKey,
            fetch: req.fetch,
            waitMs: req.billingTimeoutMs,
            pollMs: req.billingPollMs ?? 2000,
            costOf: eventCostNano,
            log: req.log,
        })
        : undefined;
    // Every request fal accepts is written down as it happens, for a re-run to collect (run/journal.ts).
    const keys = checked.lock.diff.keys;
    const journal = (0,run_journal/* openJournal */._0)(external_node_path_default().join(await (0,safe_fs/* prepareOutputDir */.g$)(outputDir), run_journal/* JOURNAL_FILE */.RD), req.log);
    const earlier = req.resume?.requests;
    if (earlier && earlier.size > 0)
        commitEarlierRequests(work, earlier, ledger, req.log);
    const total = work.toRun.totalRuns;
    if (checked.lock.diff.lockedRuns > 0)
        req.log(`lock: ${checked.lock.diff.lockedRuns} run(s) already generated and paid for; submitting the other ${total}`);
    // The rollup counts the runs submitted here: those the lock holds are not run again.
    const progress = new RunProgress(work.toRun);
    const reports = startProgressReports(progress, {
        heartbeatMs: req.progressEveryMs ?? 15_000,
        write: req.progress ?? ((lines) => lines.forEach((line) => req.log(line))),
        extra: () => `${(0,money/* displayUsd */.dd)(ledger.committedNano)} committed of ${(0,money/* displayUsd */.dd)(ledger.limitNano)}`,
    });
    let records;
    try {
        records = await executePlan({
            // Only the runs the lock does not hold: nothing already paid for is submitted again.
            plan: work.toRun,
            estimate: work.estimate,
            queue,
            ledger,
            signal: req.signal,
            log: req.log,
            retryBaseMs: req.retryBaseMs,
            cancelRunning: req.cancelRunning,
            onRunEvent: progress.onRunEvent,
            awaitBilledCost: billingWatch ? (rec, signal) => billingWatch.costOf(rec.request_id, signal) : undefined,
            earlierRequest: earlier && earlier.size > 0 ? (run) => earlier.get(keys.of(run)) : undefined,
            onSubmitted: (run, rec) => journal.submitted(keys.of(run), run.id, run.job.model, rec.request_id, rec.resumed?.attempt),
            observeUnits: (run, rec, data) => {
                const kind = billedKind(run);
                return kind ? provenUnits(observeUnits(kind, data), rec.input_units) : null;
            },
            onFinished: async (run, rec, data) => {
                await collector.collect(rec, run.variant.input, data, billedFields(billedCostOf(rec, undefined)));
                if (rec.request_id)
                    journal.finished(keys.of(run), rec.request_id, rec.status, rec.uncollected === true);
            },
        });
    }
    finally {
        reports.stop();
        billingWatch?.stop();
        journal.close();
    }
    const cancelReason = req.signal.aborted ? String(req.signal.reason?.message ?? req.signal.reason ?? "cancelled") : null;
    req.log(`runs finished: ${summaryLine(records)}`);
    const billing = await reconcileBilling(records, req);
    const reconciliation = reconcile(records, billing);
    const report = buildRunReport({
        estimate: checked.report,
        reconciliation,
        verdict: runVerdict({ gate: checked.gate, budget: shard ? { limitNano: shard.limitNano, perJobLimitNano: checked.budget.perJobLimitNano } : checked.budget, reconciliation, cancelReason }),
        billingSource: req.falAdminKey ? "billing-events" : "header-and-outputs",
        startedAt,
        finishedAt: new Date(),
        cancelReason,
        outputDir,
        locked: checked.lock.diff.locked,
        storeUrls: storeUrls(checked.lock.lock),
    });
    reportResume(report, records, req.resume);
    const catalogPriced = new Set(checked.estimate.jobs.filter((j) => j.billingQuote?.source === "catalog").map((j) => j.model));
    const mismatch = discountMismatch(billing, catalogPriced, req.discountPercent);
    if (mismatch)
        report.warnings.push(mismatch);
    if (shard)
        report.shard = shard.block;
    // Billing events (ADMIN key) came after the result.json files were written: rewrite them with fal's figures,
    // side by side.
    if (billing)
        await rewriteResultFiles(reconciliation, collector);
    const nextLock = checked.lock.status === "off" ? undefined : nextLock_(work, reconciliation, req.store ?? null);
    return { estimate: checked, records, report, nextLock };
}
/**
 * Done runs join the lock: succeeded, with fal's request id and every output
 * file kept (its sha256 known). A run whose files were lost runs again rather
 * than being recorded as had.
 */
function nextLock_(checked, reconciliation, store) {
    const done = [];
    // Records come in plan order (executor.ts), one per run of the restricted plan.
    const runs = (0,expand/* iterateRuns */.pB)(checked.toRun);
    for (const { record, billed } of reconciliation.perRun) {
        const run = runs.next().value;
        if (!run || run.id !== record.id)
            throw new Error(`internal: run records out of plan order at ${record.id}`);
        if (record.status !== "succeeded" || !record.request_id || !run.job.settings.cache)
            continue;
        if (record.outputs.some((o) => o.sha256 === null || o.path === null || o.bytes === null))
            continue;
        done.push({
            key: checked.lock.diff.keys.of(run),
            entry: {
                job: record.job,
                run: record.id,
                model: record.model,
                request_id: record.request_id,
                finished_at: record.timings.finished_at ?? new Date().toISOString(),
                estimated_nano: record.estimate_nano,
                billed: billed.cost_nano === null ? null : (0,money/* formatUsd */.UK)(billed.cost_nano),
                billed_nano: billed.cost_nano,
                billed_source: billed.source === "not-submitted" ? "unknown" : billed.source,
                outputs: record.outputs.map((o) => ({ name: o.path, content_type: o.content_type, size: o.bytes, sha256: o.sha256, url: o.url })),
            },
        });
    }
    return nextLock(checked.lock.lock, checked.lock.diff, checked.plan.jobs.map((j) => j.id), done, store);
}
function storeUrls(lock) {
    const urls = new Map();
    for (const [id, store] of Object.entries(lock.stores))
        if (store.artifact)
            urls.set(id, store.artifact.url);
    return urls;
}
function billedFields(b) {
    return { billed: b.cost_nano === null ? null : (0,money/* formatUsd */.UK)(b.cost_nano), billed_source: b.source, billed_units: b.units };
}
async function rewriteResultFiles(reconciliation, collector) {
    const writes = new Limiter(32);
    await Promise.all(reconciliation.perRun.map(async ({ record, billed }) => {
        if (!record.dir)
            return;
        await writes.acquire();
        try {
            await collector.writeResultFile(record, billedFields(billed));
        }
        finally {
            writes.release();
        }
    }));
}
/**
 * With an ADMIN key, the account's credits must cover the most this run can
 * commit (the smaller of the budget and the estimate of the runs it submits)
 * before anything is submitted; the check and its outcome go in the log and
 * the report. False: the run stops here, with the reason in the report.
 */
async function creditsCover(checked, req) {
    const neededNano = Math.min(checked.budget.limitNano, checked.estimate.totalNano);
    const lookup = req.falAdminKey
        ? await fetchCreditBalance({ apiUrl: req.endpoints.apiUrl, adminKey: req.falAdminKey, fetch: req.fetch, signal: req.signal, retryBaseMs: req.retryBaseMs })
        : undefined;
    const check = checkCredits(lookup, neededNano);
    req.log(`credits: ${check.detail}`);
    checked.report.account = (0,model/* accountReport */.yt)(check);
    if (check.status !== "short" && check.status !== "failed")
        return true;
    checked.gate.reasons.push(check.detail);
    // The report was built from the gate and may share its list of reasons.
    if (checked.report.reasons !== checked.gate.reasons)
        checked.report.reasons.push(check.detail);
    checked.gate.pass = checked.report.pass = false;
    return false;
}
/** The hard cap needs a limit and a known (or bounded) cost for every run. */
function refuseUnboundedRun(e) {
    if (e.budget.limitNano === undefined) {
        throw new errors/* UsageError */.e((0,shell/* inShell */.wp)({
            action: "a real run (dry-run: false) needs a budget: set the `budget` input or `budget:` in the manifest",
            cli: "a real run needs a budget: pass --budget USD or set `budget:` in the manifest",
        }));
    }
    if (e.estimate.unknownRuns > 0) {
        const jobs = e.estimate.jobs.filter((j) => j.unknownRuns > 0).map((j) => j.id);
        throw new errors/* UsageError */.e(`a real run cannot cap spending on runs of unknown cost (jobs: ${jobs.join(", ")}); set \`max_cost:\` or \`units:\` on them, or a \`pricing\` override`);
    }
}
async function reconcileBilling(records, req) {
    if (!req.falAdminKey)
        return undefined;
    const ids = records.filter((r) => r.submitted && r.request_id).map((r) => r.request_id);
    if (ids.length === 0)
        return undefined;
    req.log(`billing: looking up fal's billing events for ${ids.length} request(s) (up to ${Math.round(req.billingTimeoutMs / 1000)} s)`);
    // Cancellation shortens the wait: the runner gives a cancelled step only seconds.
    const signal = req.signal.aborted ? AbortSignal.timeout(3000) : req.signal;
    const lookup = await pollBillingEvents(ids, {
        apiUrl: req.endpoints.apiUrl,
        adminKey: req.falAdminKey,
        fetch: req.fetch,
        signal,
        deadlineMs: req.signal.aborted ? 0 : req.billingTimeoutMs,
        initialDelayMs: req.billingPollMs ?? 2000,
        log: req.log,
    });
    if (lookup.status !== "ok")
        req.log(`billing: ${lookup.message}; using billable-unit headers and outputs instead`);
    return lookup;
}
/** Origins of hosts redirected away from fal's defaults (a proxy, a loopback fake): their media may be plain http. */
function overrideOrigins(e) {
    const origins = new Set();
    for (const key of ["queueUrl", "restUrl", "apiUrl"]) {
        if (e[key] !== endpoints/* FAL_DEFAULTS */.P[key])
            origins.add(new URL(e[key]).origin);
    }
    return origins;
}
function summaryLine(records) {
    const counts = new Map();
    for (const r of records)
        counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    return [...counts].map(([s, n]) => `${n} ${s}`).join(", ");
}


/***/ })

};
