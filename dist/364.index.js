export const id = 364;
export const ids = [364,209];
export const modules = {

/***/ 4364:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  mergeShards: () => (/* binding */ mergeShards)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/lock/read.ts + 1 modules
var lock_read = __webpack_require__(67688);
// EXTERNAL MODULE: ./src/lock/merge.ts
var merge = __webpack_require__(60655);
// EXTERNAL MODULE: ./src/manifest/errors.ts
var manifest_errors = __webpack_require__(91738);
// EXTERNAL MODULE: ./src/util/money.ts
var money = __webpack_require__(91296);
;// CONCATENATED MODULE: ./src/report/merge.ts

class MergeRefused extends Error {
    constructor(message) {
        super(message);
        this.name = "MergeRefused";
    }
}
function mergeShardReports(files, now = new Date()) {
    if (files.length === 0)
        throw new MergeRefused("no shard reports to merge");
    const first = files[0];
    for (const f of files) {
        if (!f.report.shard)
            throw new MergeRefused(`${f.file} is not a shard's report (it has no \`shard\`): merge combines the reports of runs with the \`shard\` input`);
    }
    const head = first.report.shard;
    const runOf = (r) => r.context?.run_id ?? null;
    for (const f of files.slice(1)) {
        const s = f.report.shard;
        if (s.manifest_sha256 !== head.manifest_sha256) {
            throw new MergeRefused(`${f.file} is the report of another manifest than ${first.file} (manifest sha256 ${s.manifest_sha256.slice(0, 12)}… against ${head.manifest_sha256.slice(0, 12)}…): merge only the shards of one run of one manifest`);
        }
        if (s.total !== head.total)
            throw new MergeRefused(`${f.file} is shard ${s.index} of ${s.total}, ${first.file} shard ${head.index} of ${head.total}: every shard must be of the same N`);
        if (runOf(f.report) !== runOf(first.report)) {
            throw new MergeRefused(`${f.file} is from workflow run ${runOf(f.report) ?? "(none)"}, ${first.file} from ${runOf(first.report) ?? "(none)"}: merge the shards of one workflow run (download only this run's artifacts)`);
        }
        if (s.partition !== head.partition) {
            throw new MergeRefused(`${f.file} and ${first.file} split different plans (partition ${s.partition.slice(0, 12)}… against ${head.partition.slice(0, 12)}…): the shards read different locks or prices, so their runs may overlap; check the report of each`);
        }
    }
    const byShard = new Map();
    for (const f of files) {
        const index = f.report.shard.index;
        const other = byShard.get(index);
        if (!other) {
            byShard.set(index, f);
            continue;
        }
        const a = attemptOf(other.report);
        const b = attemptOf(f.report);
        if (a === b)
            throw new MergeRefused(`shard ${index} of ${head.total} is there twice, from the same attempt: ${other.file} and ${f.file}; each shard must be merged once`);
        if (b > a)
            byShard.set(index, f);
    }
    const used = [...byShard.values()].sort((x, y) => x.report.shard.index - y.report.shard.index);
    return { report: combine(used, head.total, now), used };
}
function attemptOf(r) {
    return Number(r.context?.run_attempt ?? "1") || 1;
}
function combine(used, total, now) {
    const base = used[0].report;
    const shares = base.shard.shares;
    const present = new Map(used.map((f) => [f.report.shard.index, f.report]));
    const shards = [];
    const reasons = [];
    const warnings = [];
    let missingRuns = 0;
    let missingNano = 0;
    for (let index = 1; index <= total; index++) {
        const share = shares[index - 1];
        const r = present.get(index);
        if (!r) {
            missingRuns += share.runs;
            missingNano += share.estimated_nano;
            reasons.push(`shard ${index} of ${total} has no report (it failed before writing one, or its report was not downloaded): its ${share.runs} run(s), estimated ${(0,money/* displayUsd */.dd)(share.estimated_nano)}, are of unknown cost`);
            shards.push({ index, status: "missing", attempt: null, runs: share.runs, estimated_nano: share.estimated_nano, budget_nano: share.budget_nano, billed_nano: 0, unknown_runs: share.runs, skipped_budget_runs: 0, unused_budget_nano: null, artifact: null });
            continue;
        }
        const e = r.execution;
        for (const reason of r.reasons)
            reasons.push(`shard ${index}: ${reason}`);
        for (const w of r.warnings)
            warnings.push(`shard ${index}: ${w}`);
        // While some runs' cost is not known, the shard's commitment is at least their estimates.
        const unsettled = r.runs.filter((run) => run.billed.cost_nano === null && run.submitted).reduce((n, run) => n + run.estimated_nano, 0);
        const cap = r.shard.budget_nano;
        shards.push({
            index,
            status: e.cancelled ? "partial" : "complete",
            attempt: r.context?.run_attempt ?? null,
            runs: r.runs.length,
            estimated_nano: r.shard.estimated_nano,
            budget_nano: cap,
            billed_nano: e.billed_nano,
            unknown_runs: e.unknown_runs,
            skipped_budget_runs: e.counts["skipped-budget"],
            unused_budget_nano: cap === null ? null : Math.max(0, cap - e.billed_nano - unsettled),
            artifact: e.artifact,
        });
    }
    const reports = used.map((f) => f.report);
    const runs = reports.flatMap((r) => r.runs);
    const unusedNano = shards.reduce((n, s) => n + (s.unused_budget_nano ?? 0), 0);
    const skipped = shards.reduce((n, s) => n + s.skipped_budget_runs, 0);
    if (skipped > 0 && unusedNano > 0) {
        warnings.push(`${skipped} run(s) were skipped at their shard's cap while other shards left ${(0,money/* displayUsd */.dd)(unusedNano)} of the budget unused: shards cannot lend each other budget (each may spend only its share)`);
    }
    const merge = { total, shards, missing_runs: missingRuns, missing_estimated_nano: missingNano, unused_budget_nano: unusedNano };
    const execution = mergeExecutions(reports.map((r) => r.execution), missingRuns);
    const jobs = base.jobs.map((job, j) => ({ ...job, run: mergeJobRuns(reports.map((r) => r.jobs[j].run)) }));
    const { shard: _shard, ...rest } = base;
    void _shard;
    return {
        ...rest,
        generated_at: now.toISOString(),
        pass: reasons.length === 0,
        reasons,
        warnings: [...new Set(warnings)],
        runs,
        jobs,
        execution,
        lock: { ...base.lock, changed: null, written: null, saved: null },
        merge,
    };
}
const STATUSES = ["succeeded", "failed", "cancelled", "skipped-budget", "timed-out"];
function sumCounts(all) {
    const counts = { succeeded: 0, failed: 0, cancelled: 0, "skipped-budget": 0, "timed-out": 0 };
    for (const c of all)
        for (const s of STATUSES)
            counts[s] += c[s];
    return counts;
}
/** The accuracy figures over the runs whose billed cost is known: billed − delta is what those runs were estimated at. */
function sumReconciled(all) {
    const sum = (f) => all.reduce((n, x) => n + f(x), 0);
    const billed = sum((x) => x.billed_nano);
    const delta = sum((x) => x.delta_nano);
    const estOfBilled = billed - delta;
    return {
        counts: sumCounts(all.map((x) => x.counts)),
        billed_nano: billed,
        billed_runs: sum((x) => x.billed_runs),
        pending_runs: sum((x) => x.pending_runs),
        unknown_runs: sum((x) => x.unknown_runs),
        delta_nano: delta,
        error_pct: estOfBilled > 0 ? Math.round((delta / estOfBilled) * 1000) / 10 : null,
        over_estimate_runs: sum((x) => x.over_estimate_runs),
    };
}
function mergeJobRuns(all) {
    const errors = [...new Set(all.flatMap((x) => x.errors))].slice(0, 5);
    return { ...sumReconciled(all), billed_sources: [...new Set(all.flatMap((x) => x.billed_sources))], errors };
}
function mergeExecutions(all, missingRuns) {
    const figures = sumReconciled(all);
    const started = all.map((e) => e.started_at).sort()[0];
    const finished = all.map((e) => e.finished_at).sort().at(-1);
    const cancelled = all.filter((e) => e.cancelled);
    const unknown = figures.unknown_runs + missingRuns;
    const billing = all.find((e) => e.billing.status !== "ok") ?? all[0];
    return {
        started_at: started,
        finished_at: finished,
        duration_ms: Date.parse(finished) - Date.parse(started),
        cancelled: cancelled.length > 0,
        cancel_reason: cancelled.length ? [...new Set(cancelled.map((e) => e.cancel_reason ?? "cancelled"))].join("; ") : null,
        billing: billing.billing,
        // A total is stated only when every run's cost is known, the missing shards' included.
        billed: figures.pending_runs + unknown === 0 ? (0,money/* formatUsd */.UK)(figures.billed_nano) : null,
        ...figures,
        unknown_runs: unknown,
        // Each shard has its own artifact: they are listed in `merge.shards`.
        artifact: null,
        artifact_error: null,
        output_dir: all[0].output_dir,
        uncollected_runs: all.reduce((n, e) => n + (e.uncollected_runs ?? 0), 0),
    };
}

// EXTERNAL MODULE: ./src/report/read-file.ts + 1 modules
var read_file = __webpack_require__(8383);
// EXTERNAL MODULE: ./src/report/schema.ts + 1 modules
var schema = __webpack_require__(28209);
;// CONCATENATED MODULE: ./src/flows/merge-flow.ts









async function mergeShards(req) {
    const files = await findReports(req.patterns, req.cwd);
    if (files.length === 0)
        throw new errors/* UsageError */.e(`merge: no file matches ${req.patterns.map((p) => `"${p}"`).join(", ")} (in ${req.cwd}): download the shards' report artifacts first (actions/download-artifact with pattern and merge-multiple: true)`);
    const shardFiles = [];
    for (const file of files)
        shardFiles.push({ file: external_node_path_default().relative(req.cwd, file) || file, report: await readShardReport(file) });
    let merged;
    try {
        merged = mergeShardReports(shardFiles, req.now);
    }
    catch (err) {
        if (err instanceof MergeRefused)
            throw new errors/* UsageError */.e(`merge refused: ${err.message}. Nothing was merged.`);
        throw err;
    }
    const { report, used } = merged;
    if (req.lockPath === null)
        return { report };
    const locks = [];
    for (const { file, report: shard } of used) {
        const name = shard.shard.lock_file;
        if (!name)
            continue;
        const lockFile = external_node_path_default().join(external_node_path_default().dirname(external_node_path_default().resolve(req.cwd, file)), external_node_path_default().basename(name));
        try {
            const read = await (0,lock_read/* readLockFile */.cx)(lockFile);
            if (!read.existed)
                throw new Error("the file is not there");
            locks.push(read.lock);
        }
        catch (err) {
            const why = err instanceof manifest_errors/* ManifestError */.Sh ? err.message : err.message;
            report.reasons.push(`the lock shard ${shard.shard.index} made (${name}, beside ${file}) could not be read (${why}): its runs are not in the merged lock, so the next run would pay for them again`);
            report.pass = false;
        }
    }
    const workspace = await (0,lock_read/* readLockFile */.cx)(req.lockPath);
    const before = { lock: workspace.lock, digest: workspace.digest };
    if (locks.length === 0)
        return { report, before };
    return { report, lock: (0,merge/* unionLocks */.K)(locks[0], ...locks.slice(1)), before };
}
async function findReports(patterns, cwd) {
    const found = new Set();
    for (const pattern of patterns) {
        for await (const file of (0,promises_.glob)(pattern, { cwd })) {
            const abs = external_node_path_default().resolve(cwd, file);
            if ((await (0,promises_.stat)(abs)).isFile())
                found.add(abs);
        }
    }
    // Lock files may sit beside the reports (the shards' artifacts hold both): only reports are merged.
    return [...found].filter((f) => !external_node_path_default().basename(f).startsWith("fal-jobs.lock")).sort();
}
async function readShardReport(file) {
    let data;
    try {
        data = await (0,read_file/* readReportJson */.V)(file);
    }
    catch (err) {
        throw new errors/* UsageError */.e(`merge: cannot read ${file}: ${err.message}. Nothing was merged.`);
    }
    try {
        const report = (0,schema.parseReport)(data);
        if (report.mode !== "run")
            throw new schema.ReportSchemaError("mode", "is estimate: a shard that ran writes a run report (a shard whose estimate gate failed ran nothing)");
        return report;
    }
    catch (err) {
        if (!(err instanceof schema.ReportSchemaError))
            throw err;
        throw new errors/* UsageError */.e(`merge: ${file} is not a shard's report: ${err.message}. Nothing was merged.`);
    }
}


/***/ }),

/***/ 28209:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ReportSchemaError: () => (/* binding */ ReportSchemaError),
  parseReport: () => (/* binding */ parseReport)
});

// UNUSED EXPORTS: reportJsonSchema, runEntrySchema

// EXTERNAL MODULE: ./node_modules/zod/v4/core/core.js
var core = __webpack_require__(88532);
// EXTERNAL MODULE: ./node_modules/zod/v4/mini/schemas.js + 5 modules
var schemas = __webpack_require__(28395);
// EXTERNAL MODULE: ./node_modules/zod/v4/core/api.js
var api = __webpack_require__(43759);
// EXTERNAL MODULE: ./node_modules/zod/v4/locales/en.js
var en = __webpack_require__(30252);
// EXTERNAL MODULE: ./src/report/model.ts
var model = __webpack_require__(96867);
;// CONCATENATED MODULE: ./src/report/quick-run.ts
/**
 * A run report's `runs` hold almost all of its bytes (a merge reads 100,000
 * of them), and zod checks each field of each one. Most runs have one plain
 * shape: this check accepts a run only when it certainly is what the report
 * schema accepts, with no key the schema would drop, so it can stand as its
 * own parse; anything else (an error, a resumed request, an unknown key, a
 * doubtful value) returns false, and the schema decides, with its message.
 * The tests check that it never accepts what the schema refuses.
 */
const keys = (...order) => ({ order, all: new Set(order) });
const RUN_KEYS = keys("id", "job", "model", "variant", "repeat", "status", "submitted", "submit_outcome", "request_id", "error", "timings", "estimated", "estimated_nano", "billed", "over_estimate", "dir", "outputs");
const TIMING_KEYS = keys("started_at", "submitted_at", "completed_at", "finished_at", "total_ms");
const BILLED_KEYS = keys("source", "units", "unit_price", "cost_nano", "cost");
const OUTPUT_KEYS = keys("source", "url", "content_type", "path", "bytes", "sha256", "error");
const STATUSES = new Set(["succeeded", "failed", "cancelled", "skipped-budget", "timed-out"]);
const SUBMIT_OUTCOMES = new Set(["not-attempted", "accepted", "rejected", "unknown"]);
const BILLED_SOURCES = new Set(["billing-events", "header", "observed", "not-submitted", "pending", "unknown"]);
const USD = /^\d{1,15}\.\d{2,9}$/;
/** A plain object with exactly `keys`. */
function exactly(v, keys) {
    if (typeof v !== "object" || v === null || Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype)
        return false;
    // Its own enumerable keys, as JSON.stringify and the schema see them (Object.keys reads them faster than for…in).
    const own = Object.keys(v);
    if (own.length !== keys.order.length)
        return false;
    // A merge checks 100,000 runs, nearly all with their keys in the report's order: then no lookup is needed.
    let i = 0;
    while (i < own.length && own[i] === keys.order[i])
        i++;
    if (i === own.length)
        return true;
    for (const k of own)
        if (!keys.all.has(k))
            return false;
    return true;
}
const str = (v) => typeof v === "string";
const strOrNull = (v) => v === null || typeof v === "string";
const num = (v) => typeof v === "number" && Number.isFinite(v);
const numOrNull = (v) => v === null || num(v);
const count = (v) => Number.isSafeInteger(v) && v >= 0;
const usd = (v) => typeof v === "string" && USD.test(v);
/** True when `r` is certainly a valid run entry as it stands; false means "ask the schema". */
function plainRunEntry(r) {
    if (!exactly(r, RUN_KEYS))
        return false;
    if (!str(r.id) || !str(r.job) || !str(r.model) || !str(r.variant) || !count(r.repeat))
        return false;
    if (!STATUSES.has(r.status) || typeof r.submitted !== "boolean" || !SUBMIT_OUTCOMES.has(r.submit_outcome))
        return false;
    if (!strOrNull(r.request_id) || r.error !== null || !usd(r.estimated) || !count(r.estimated_nano) || typeof r.over_estimate !== "boolean" || !strOrNull(r.dir))
        return false;
    const t = r.timings;
    if (!exactly(t, TIMING_KEYS) || !strOrNull(t.started_at) || !strOrNull(t.submitted_at) || !strOrNull(t.completed_at) || !strOrNull(t.finished_at) || !numOrNull(t.total_ms))
        return false;
    const b = r.billed;
    if (!exactly(b, BILLED_KEYS) || !BILLED_SOURCES.has(b.source) || !numOrNull(b.units) || !numOrNull(b.unit_price) || !(b.cost_nano === null || count(b.cost_nano)) || !(b.cost === null || usd(b.cost)))
        return false;
    if (!Array.isArray(r.outputs))
        return false;
    for (const o of r.outputs) {
        if (!exactly(o, OUTPUT_KEYS) || !str(o.source) || !str(o.url) || !strOrNull(o.content_type) || !strOrNull(o.path) || !numOrNull(o.bytes) || !strOrNull(o.sha256) || !strOrNull(o.error))
            return false;
    }
    return true;
}

;// CONCATENATED MODULE: ./src/report/schema.ts




/**
 * The report, `fal-jobs-report/v1`: one schema that gives the report its
 * types (below), the published JSON Schema (reportJsonSchema) and the check
 * post-only mode runs on a report that an untrusted run wrote, so every field
 * is what it says before the renderer, the outputs or the log see it. Unknown
 * keys are dropped. The types are `import type`d elsewhere: only post-only
 * mode and the CLI's `schema report` load zod's schema at run time.
 */
core/* config */.$W({ ...(0,en/* default */.A)(), jitless: true });
const schema_text = schemas/* string */.YjP();
const schema_usd = schemas/* string */.YjP().check(api/* _regex */.Fk(/^\d{1,15}\.\d{2,9}$/, "expected a USD amount such as 1.25"));
// Amounts in nano-USD are never negative; only differences (delta_nano) may be.
const nano = schemas/* int */.Whr().check(api/* _nonnegative */.UI());
const nanoDelta = schemas/* int */.Whr();
const schema_count = schemas/* int */.Whr().check(api/* _nonnegative */.UI());
const amount = schemas/* number */.aig().check(api/* _nonnegative */.UI());
const nullable = (t) => schemas/* nullable */.mee(t);
const runStatus = schemas/* enum */.k5n(["succeeded", "failed", "cancelled", "skipped-budget", "timed-out"]);
const counts = schemas/* object */.Ikc({ succeeded: schema_count, failed: schema_count, cancelled: schema_count, "skipped-budget": schema_count, "timed-out": schema_count });
const confidence = schemas/* enum */.k5n(["exact", "manual", "history", "upper-bound", "unknown"]);
const billedSource = schemas/* enum */.k5n(["billing-events", "header", "observed", "not-submitted", "pending", "unknown"]);
// `history`: the cost per run came from what the job (or model) was billed before, by the lock.
const priceSource = schemas/* enum */.k5n(["override", "live", "repository", "catalog", "history"]);
const manifestFigures = schemas/* array */.YOg(schemas/* enum */.k5n(["units", "unit_price", "max_cost"]));
const unitKind = schemas/* enum */.k5n([
    "megapixels", "images", "videos", "audios", "requests", "seconds", "five_seconds", "minutes",
    "kilo_characters", "characters", "tokens", "million_tokens", "compute_seconds", "opaque",
]);
/** Billed cost per run over past runs (the lock's entries): of the same job, else of any job of the same model. */
const historyFigure = schemas/* object */.Ikc({ scope: schemas/* enum */.k5n(["job", "model"]), runs: schema_count, p50: schema_usd, p50_nano: nano, p95: schema_usd, p95_nano: nano });
/** A job's past runs, by the lock: what they were estimated at against what fal billed. */
const pastRuns = schemas/* object */.Ikc({
    runs: schema_count,
    estimated: schema_usd,
    estimated_nano: nano,
    billed: schema_usd,
    billed_nano: nano,
    /** Billed minus estimated, as a % of the estimate; null when it was $0. */
    error_pct: nullable(schemas/* number */.aig()),
    over_estimate_runs: schema_count,
    billed_per_run: historyFigure,
});
const variant = schemas/* object */.Ikc({
    /** The first variant's label; `variants` says how many share this cost. */
    label: schema_text,
    variants: schema_count,
    runs: schema_count,
    units_per_run: nullable(amount),
    unit_price: nullable(amount),
    cost_per_run: nullable(schema_usd),
    cost_per_run_nano: nullable(nano),
    basis: schema_text,
    confidence,
    problem: nullable(schemas/* object */.Ikc({ reason: schema_text, fix: schema_text })),
    price_source: nullable(priceSource),
    from_manifest: manifestFigures,
    /** Where the units cannot be known from the input: what such runs were billed before. */
    history: schemas/* optional */.lqM(nullable(historyFigure)),
});
// The reconciliation's figures, for one job and for the whole run.
const reconciled = {
    counts,
    billed_nano: nano,
    billed_runs: schema_count,
    pending_runs: schema_count,
    unknown_runs: schema_count,
    /** Billed minus estimated, over the runs fal accepted whose billed cost is known. */
    delta_nano: nanoDelta,
    error_pct: nullable(schemas/* number */.aig()),
    over_estimate_runs: schema_count,
};
// The whole manifest's figures, as if nothing were locked.
const fullFigures = schemas/* object */.Ikc({ runs: schema_count, estimated: schema_usd, estimated_nano: nano, unknown_runs: schema_count });
const job = schemas/* object */.Ikc({
    id: schema_text,
    model: schema_text,
    /** Runs to submit: those the lock does not hold. `estimated` and `unknown_runs` are over these. */
    runs: schema_count,
    /** Runs the lock holds: generated and paid for before, not submitted again. */
    locked_runs: schema_count,
    /** What fal billed for the locked runs, by the lock (over those whose billed cost it knows). */
    locked_billed_nano: nano,
    full: fullFigures,
    unit: nullable(schema_text),
    unit_kind: nullable(unitKind),
    /** Base unit price; variants may differ by tier. */
    unit_price: nullable(amount),
    units_total: nullable(amount),
    estimated: schema_usd,
    estimated_nano: nano,
    unknown_runs: schema_count,
    source: schemas/* enum */.k5n(["override", "live", "repository", "catalog", "history", "none"]),
    source_detail: schema_text,
    /** The account's discount (the workflow's `discount-percent`) in this job's price: catalog prices only; absent or null when none. */
    discount_percent: schemas/* optional */.lqM(nullable(amount)),
    /** Figures of this job's estimate that the manifest supplied (pull-request content), not fal or the input. */
    from_manifest: manifestFigures,
    confidence,
    variants: schemas/* array */.YOg(variant),
    /** This job's past runs in the lock whose bills are known: how far its estimates were from them. Absent or null: none. */
    past: schemas/* optional */.lqM(nullable(pastRuns)),
});
// A run report's own parts: when one is missing, say so rather than "expected object, received undefined".
const inRun = { error: (issue) => (issue.input === undefined ? "required when mode is run" : undefined) };
const jobRun = schemas/* object */.Ikc({ ...reconciled, billed_sources: schemas/* array */.YOg(billedSource), errors: schemas/* array */.YOg(schema_text) }, inRun);
const runJob = schemas/* extend */.X$i(job, { run: jobRun });
const execution = schemas/* object */.Ikc({
    started_at: schema_text,
    finished_at: schema_text,
    duration_ms: schemas/* number */.aig(),
    cancelled: schemas/* boolean */.zMY(),
    cancel_reason: nullable(schema_text),
    billing: schemas/* object */.Ikc({ source: schemas/* enum */.k5n(["billing-events", "header-and-outputs"]), status: schema_text, detail: nullable(schema_text) }),
    billed: nullable(schema_usd),
    ...reconciled,
    artifact: nullable(schemas/* object */.Ikc({ name: schema_text, id: schema_count, url: schema_text })),
    artifact_error: nullable(schema_text),
    output_dir: schema_text,
    /**
     * The small artifact a re-run of this workflow run reads (its journal, lock and this report); absent before
     * it is uploaded. Uploaded even when the outputs artifact fails.
     */
    state_artifact: schemas/* optional */.lqM(nullable(schemas/* object */.Ikc({ name: schema_text, id: schema_count, url: schema_text }))),
    state_artifact_error: schemas/* optional */.lqM(nullable(schema_text)),
    /** Runs left running at fal when the run was cancelled, for a re-run to collect by request id. */
    uncollected_runs: schemas/* optional */.lqM(schema_count),
    /** On a re-run (GITHUB_RUN_ATTEMPT > 1): what earlier attempts left, and what this one did with it. */
    resume: schemas/* optional */.lqM(schemas/* object */.Ikc({
        attempt: schema_text,
        /** Attempts whose state was read. */
        from_attempts: schemas/* array */.YOg(schema_text),
        /** Runs whose earlier request's result was fetched: nothing submitted for them. */
        collected_runs: schema_count,
        /** Runs whose earlier request fal no longer had, or that failed there: submitted again. */
        resubmitted_runs: schema_count,
    })),
}, inRun);
const run = schemas/* object */.Ikc({
    id: schema_text,
    job: schema_text,
    model: schema_text,
    variant: schema_text,
    repeat: schema_count,
    status: runStatus,
    submitted: schemas/* boolean */.zMY(),
    submit_outcome: schemas/* enum */.k5n(["not-attempted", "accepted", "rejected", "unknown"]),
    request_id: nullable(schema_text),
    error: nullable(schemas/* object */.Ikc({ message: schema_text, status: schemas/* optional */.lqM(schemas/* number */.aig()), type: schemas/* optional */.lqM(schema_text), stage: schemas/* enum */.k5n(["submit", "status", "result", "timeout", "cancel"]) })),
    timings: schemas/* object */.Ikc({
        started_at: nullable(schema_text),
        submitted_at: nullable(schema_text),
        completed_at: nullable(schema_text),
        finished_at: nullable(schema_text),
        total_ms: nullable(schemas/* number */.aig()),
    }),
    estimated: schema_usd,
    estimated_nano: nano,
    billed: schemas/* object */.Ikc({ source: billedSource, units: nullable(schemas/* number */.aig()), unit_price: nullable(schemas/* number */.aig()), cost_nano: nullable(nano), cost: nullable(schema_usd) }),
    over_estimate: schemas/* boolean */.zMY(),
    dir: nullable(schema_text),
    outputs: schemas/* array */.YOg(schemas/* object */.Ikc({
        source: schema_text,
        url: schema_text,
        content_type: nullable(schema_text),
        path: nullable(schema_text),
        bytes: nullable(schemas/* number */.aig()),
        sha256: nullable(schema_text),
        error: nullable(schema_text),
    })),
    /** Cancelled while fal ran it: left to finish (fal bills it either way), for a re-run to collect by request id. */
    uncollected: schemas/* optional */.lqM(schemas/* boolean */.zMY()),
    /** The request an earlier attempt of this workflow run submitted for this run, and what became of it. */
    resumed: schemas/* optional */.lqM(schemas/* object */.Ikc({
        attempt: schema_text,
        request_id: schema_text,
        outcome: schemas/* enum */.k5n(["collected", "gone", "failed"]),
        detail: schemas/* optional */.lqM(schema_text),
    })),
});
const context = schemas/* object */.Ikc({
    repository: schemas/* optional */.lqM(schema_text),
    event: schemas/* optional */.lqM(schema_text),
    pr_number: schemas/* optional */.lqM(schemas/* int */.Whr().check(api/* _positive */.NC())),
    sha: schemas/* optional */.lqM(schema_text),
    run_id: schemas/* optional */.lqM(schema_text),
    run_attempt: schemas/* optional */.lqM(schema_text),
    server_url: schemas/* optional */.lqM(schema_text),
});
const budget = schemas/* object */.Ikc({
    effective: nullable(schema_usd),
    effective_nano: nullable(nano),
    source: schemas/* enum */.k5n(["input", "manifest", "both", "none"]),
    input: nullable(schema_usd),
    manifest: nullable(schema_usd),
    per_job_limit: nullable(schema_usd),
    warn_at: nullable(schemas/* number */.aig()),
    unknown_price: schemas/* enum */.k5n(["fail", "warn"]),
    /** What the gate compared with the budget: the runs to submit (new), or the whole manifest (full). */
    scope: schemas/* enum */.k5n(["new", "full"]),
});
// Later steps interpolate the lock-path output into shell commands (`git add …`): the same characters the lock
// input allows (lock/read.ts), nothing a shell or Markdown reads as syntax.
const lockPath = schemas/* string */.YjP().check(api/* _regex */.Fk(/^[\w./@+-]{1,4096}$/, "expected a path of letters, digits and ._/@+-"));
const lock = schemas/* object */.Ikc({
    path: nullable(lockPath),
    status: schemas/* enum */.k5n(["off", "missing", "read"]),
    /** Entries in the lock as read. */
    entries: schema_count,
    /** Lock entries no planned run has any more, by the job that made them. */
    removed: schemas/* array */.YOg(schemas/* object */.Ikc({ job: schema_text, runs: schema_count, billed_nano: nano })),
    /** After a real run: whether the lock written differs from the one read; null before. */
    changed: nullable(schemas/* boolean */.zMY()),
    /** After a real run: where the updated lock was written; null before, or when the lock is off. */
    written: nullable(lockPath),
    /** With `lock-save: commit`: where the lock was saved (a commit on the branch, or a pull request); null otherwise. */
    saved: nullable(schemas/* object */.Ikc({ to: schemas/* enum */.k5n(["branch", "pull-request", "unchanged"]), ref: schema_text, url: nullable(schema_text) })),
});
const prices = schemas/* object */.Ikc({
    catalog_as_of: schema_text,
    live: schemas/* enum */.k5n(["ok", "failed", "skipped"]),
    live_detail: nullable(schema_text),
    by_source: schemas/* object */.Ikc({ override: schema_count, live: schema_count, catalog: schema_count, history: schemas/* optional */.lqM(schema_count), none: schema_count, repository: schemas/* optional */.lqM(schema_count) }),
    /** The workflow's `discount-percent`: taken off catalog prices (live prices are already the account's own); absent or null when none. */
    discount_percent: schemas/* optional */.lqM(nullable(amount)),
    /** The repository catalog (`fal-jobs.catalog.json`) the estimate read; absent or null when there was none. */
    repository_catalog: schemas/* optional */.lqM(nullable(schemas/* object */.Ikc({ path: schema_text, updated: schema_text }))),
});
/**
 * What was checked before anything was estimated: each job's model id, and its inputs against the model's input
 * schema where one is known. `unchecked` lists the jobs whose inputs nothing could check (no schema known).
 */
const checks = schemas/* object */.Ikc({
    inputs_checked: schemas/* array */.YOg(schema_text),
    inputs_unchecked: schemas/* array */.YOg(schemas/* object */.Ikc({ job: schema_text, model: schema_text })),
});
/**
 * On a pull request: the manifest and its lock as they are at the base commit, estimated with the same prices, so
 * the comment can say what the pull request changes. `fullFigures` per job and in total: what the base would spend
 * on the runs its lock does not hold (`to_spend`) and what its whole manifest costs (`full`).
 */
const base = schemas/* object */.Ikc({
    /** The base commit; null when the base was given as files (the CLI's --base-manifest). */
    sha: nullable(schema_text),
    /** Where the base manifest was read; `absent`: it did not exist there (an empty manifest, $0); `unavailable`: it could not be read or estimated (`detail` says why). */
    source: schemas/* enum */.k5n(["git", "api", "file", "absent", "unavailable"]),
    detail: nullable(schema_text),
    /** Null when the base is unavailable. */
    totals: nullable(schemas/* object */.Ikc({ to_spend: fullFigures, full: fullFigures })),
    jobs: schemas/* array */.YOg(schemas/* object */.Ikc({ id: schema_text, to_spend: fullFigures, full: fullFigures })),
    /** The `fail-on-increase` limit the estimates were checked against: a USD amount or a percentage of the base; null when none. */
    fail_on_increase: nullable(schemas/* object */.Ikc({ usd_nano: nullable(nano), percent: nullable(amount) })),
});
/** Before a real run: the account's prepaid credits against the most the run can commit (gate/credit-check.ts). */
const account = schemas/* object */.Ikc({
    credit_check: schemas/* enum */.k5n(["covered", "short", "skipped", "failed"]),
    /** What fal reported (may be negative); null when not read. */
    balance: nullable(schemas/* string */.YjP().check(api/* _regex */.Fk(/^-?\d{1,15}\.\d{2,9}$/, "expected a USD amount such as 1.25"))),
    balance_nano: nullable(schemas/* int */.Whr()),
    currency: nullable(schema_text),
    /** The smaller of the budget and the estimate of the runs to submit. */
    needed: schema_usd,
    needed_nano: nano,
    detail: schema_text,
});
const totals = schemas/* object */.Ikc({
    runs: schema_count,
    estimated: schema_usd,
    estimated_nano: nano,
    unknown_runs: schema_count,
    locked_runs: schema_count,
    removed_runs: schema_count,
    full: fullFigures,
});
// What both modes' reports hold, split where `mode` and the run's own parts go so the fields keep their order.
const head = {
    schema: schemas/* literal */.euz(model/* REPORT_SCHEMA */.DC),
    tool: schemas/* object */.Ikc({ name: schema_text, version: schema_text }),
    generated_at: schema_text,
};
const gate = {
    manifest: schemas/* object */.Ikc({ path: schema_text, jobs: schema_count, runs: schema_count }),
    currency: schemas/* literal */.euz("USD"),
    budget,
    prices,
    verdict: schemas/* enum */.k5n(["within-budget", "over-budget", "unknown-cost", "no-budget"]),
    pass: schemas/* boolean */.zMY(),
    reasons: schemas/* array */.YOg(schema_text),
    warnings: schemas/* array */.YOg(schema_text),
    totals,
    lock,
    base: schemas/* optional */.lqM(base),
    /** Real runs only: the credit check made before anything was submitted. */
    account: schemas/* optional */.lqM(account),
    checks: schemas/* optional */.lqM(checks),
};
const estimateReport = schemas/* object */.Ikc({ ...head, mode: schemas/* literal */.euz("estimate"), ...gate, jobs: schemas/* array */.YOg(job), context: schemas/* optional */.lqM(context) });
/**
 * A shard of a batch split across an Actions matrix (`shard: i/N`): which
 * part of the plan this run was, what every shard's part is (each shard
 * computes them all, alone), and what the merge checks that the reports
 * belong together by.
 */
const artifactRef = schemas/* object */.Ikc({ name: schema_text, id: schema_count, url: schema_text });
const shardShare = schemas/* object */.Ikc({ index: schema_count, runs: schema_count, estimated_nano: nano, budget_nano: nullable(nano) });
const shard = schemas/* object */.Ikc({
    /** 1-based. */
    index: schema_count,
    total: schema_count,
    /** sha256 of the manifest file's bytes. */
    manifest_sha256: schema_text,
    /** Digest of the partition (every run to submit, its estimate and its shard): equal in shards of one plan. */
    partition: schema_text,
    /** This shard's runs and their estimate. */
    runs: schema_count,
    estimated_nano: nano,
    /** This shard's hard cap: its share of the budget in proportion to its share of the estimate. */
    budget_nano: nullable(nano),
    /** Every shard's part, this one's included, by index. */
    shares: schemas/* array */.YOg(shardShare),
    /** The lock this shard made (its runs added), beside the report, for the merge to combine; null when the lock is off. */
    lock_file: nullable(schema_text),
});
/** After `merge`: one report made of the shards' reports. */
const merged = schemas/* object */.Ikc({
    total: schema_count,
    shards: schemas/* array */.YOg(schemas/* object */.Ikc({
        index: schema_count,
        /** complete: ran to the end; partial: cancelled or out of time, what it did is here; missing: no report. */
        status: schemas/* enum */.k5n(["complete", "partial", "missing"]),
        attempt: nullable(schema_text),
        runs: schema_count,
        estimated_nano: nano,
        budget_nano: nullable(nano),
        billed_nano: nano,
        unknown_runs: schema_count,
        skipped_budget_runs: schema_count,
        /** Its cap minus what it billed (or committed, while not known); null when it has no cap or is missing. */
        unused_budget_nano: nullable(nano),
        artifact: nullable(artifactRef),
    })),
    /** Runs of missing shards: their cost is unknown (never $0), and counted in `execution.unknown_runs`. */
    missing_runs: schema_count,
    missing_estimated_nano: nano,
    /** Budget the shards left unused, summed: what a shard that stopped at its cap could not borrow. */
    unused_budget_nano: nano,
});
/**
 * After a real run: the execution, every run and every job's run summary are required. Issues come in field
 * order and parseReport names the first, so the execution (what the outputs and the log line read) goes first.
 */
const runModeReport = schemas/* object */.Ikc({
    ...head,
    mode: schemas/* literal */.euz("run"),
    ...gate,
    execution,
    runs: schemas/* array */.YOg(run, inRun),
    /** Runs the lock held: not submitted, their files are where the lock says. */
    locked: schemas/* array */.YOg(schemas/* object */.Ikc({
        id: schema_text,
        job: schema_text,
        key: schema_text,
        request_id: schema_text,
        finished_at: schema_text,
        billed: nullable(schema_usd),
        billed_nano: nullable(nano),
        billed_source: schema_text,
        outputs: schema_count,
        artifact_url: nullable(schema_text),
    }), inRun),
    jobs: schemas/* array */.YOg(runJob),
    context: schemas/* optional */.lqM(context),
    /** Set in a shard's report (`shard: i/N`). */
    shard: schemas/* optional */.lqM(shard),
    /** Set in the report `merge` made of the shards'. */
    merge: schemas/* optional */.lqM(merged),
});
/**
 * When nothing could be estimated (an invalid manifest or lock, a run that could not start, an internal error):
 * what went wrong, where, and how to fix it, so the job summary, the PR comment and the fork-safe upload step
 * (which needs `report-path`) still have a report to show. Nothing was submitted.
 */
const errorReport = schemas/* object */.Ikc({
    ...head,
    mode: schemas/* literal */.euz("error"),
    manifest: schemas/* object */.Ikc({ path: schema_text }),
    pass: schemas/* literal */.euz(false),
    error: schemas/* object */.Ikc({
        kind: schemas/* enum */.k5n(["invalid-manifest", "invalid-lock", "could-not-start", "internal-error"]),
        message: schema_text,
        /** Each problem at its place in the file (invalid-manifest, invalid-lock); empty otherwise. */
        issues: schemas/* array */.YOg(schemas/* object */.Ikc({ file: schema_text, line: schema_count, column: schema_count, path: schema_text, message: schema_text })),
    }),
    context: schemas/* optional */.lqM(context),
});
const ReportSchema = schemas/* discriminatedUnion */.gMt("mode", [estimateReport, runModeReport, errorReport]);
/** One run entry's schema, for the tests of its quick check (quick-run.ts). */
const runEntrySchema = (/* unused pure expression or super */ null && (run));
class ReportSchemaError extends Error {
    field;
    constructor(field, detail) {
        super(`${field || "(top level)"}: ${detail}`);
        this.field = field;
        this.name = "ReportSchemaError";
    }
}
/** The report if `data` is one; otherwise a ReportSchemaError naming the first bad field. */
function parseReport(data) {
    // A run report whose runs are all of the plain shape: the schema checks the rest, and the runs stand as they are.
    const plain = isRunReportWithPlainRuns(data);
    const parsed = ReportSchema.safeParse(plain ? { ...data, runs: [] } : data);
    if (plain && parsed.success && parsed.data.mode === "run")
        parsed.data.runs = data.runs;
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ReportSchemaError(fieldPath(issue.path), issue.message);
    }
    const disagreement = inconsistency(parsed.data);
    if (disagreement)
        throw new ReportSchemaError(disagreement.field, disagreement.detail);
    return parsed.data;
}
/**
 * Fields that are each well formed can still disagree, and the outputs are
 * set from the totals: a total must be its parts, and a billed total is
 * stated only when no run's cost is pending or unknown.
 */
function inconsistency(r) {
    if (r.mode === "error")
        return undefined;
    const sum = (xs) => xs.reduce((a, b) => a + b, 0);
    if (r.totals.estimated_nano !== sum(r.jobs.map((j) => j.estimated_nano)))
        return { field: "totals.estimated_nano", detail: "is not the sum of the jobs' estimates" };
    if (r.totals.unknown_runs !== sum(r.jobs.map((j) => j.unknown_runs)))
        return { field: "totals.unknown_runs", detail: "is not the sum of the jobs' unknown runs" };
    if (r.totals.full.estimated_nano !== sum(r.jobs.map((j) => j.full.estimated_nano)))
        return { field: "totals.full.estimated_nano", detail: "is not the sum of the jobs' full estimates" };
    if (r.jobs.some((j) => j.runs + j.locked_runs !== j.full.runs || j.estimated_nano > j.full.estimated_nano)) {
        return { field: "jobs", detail: "a job's runs to submit and locked runs do not add up to its full runs" };
    }
    const base = r.base;
    if (base && (base.totals === null ? base.jobs.length > 0 : base.totals.to_spend.estimated_nano !== sum(base.jobs.map((j) => j.to_spend.estimated_nano)) || base.totals.full.estimated_nano !== sum(base.jobs.map((j) => j.full.estimated_nano)))) {
        return { field: "base.totals", detail: "are not the sums of the base's jobs" };
    }
    if (r.mode !== "run")
        return undefined;
    const e = r.execution;
    // One pass over the runs: a merge checks 100,000 of them.
    let pending = 0;
    let unknown = 0;
    let billed = 0;
    for (const run of r.runs) {
        if (run.billed.source === "pending")
            pending++;
        else if (run.billed.source === "unknown")
            unknown++;
        billed += run.billed.cost_nano ?? 0;
    }
    // A merged report counts the runs of missing shards as unknown: they are in no shard's `runs`.
    if (e.pending_runs !== pending || e.unknown_runs !== unknown + (r.merge?.missing_runs ?? 0))
        return { field: "execution.pending_runs", detail: "does not match the runs whose cost is pending or unknown" };
    if (e.billed !== null && pending + unknown > 0)
        return { field: "execution.billed", detail: "states a billed total while some runs' cost is pending or unknown" };
    if (e.billed_nano !== billed)
        return { field: "execution.billed_nano", detail: "is not the sum of the runs' billed costs" };
    return undefined;
}
function isRunReportWithPlainRuns(data) {
    if (typeof data !== "object" || data === null || Array.isArray(data))
        return false;
    const d = data;
    return d.mode === "run" && Array.isArray(d.runs) && d.runs.every(plainRunEntry);
}
/** JSON Schema of the report (what a consumer of `fal-jobs-report/v1` may rely on), generated from the same schema. */
function reportJsonSchema() {
    // "input": what the parser accepts; fields a later v1 adds do not make an older consumer's validation fail.
    // The parts both modes share are written once, under names a reader can follow.
    const defs = z.registry();
    for (const [id, part] of Object.entries({ budget, prices, totals, variant, counts, context, lock, fullFigures, base, account, historyFigure, pastRuns, shard, merged }))
        defs.add(part, { id });
    const schema = z.toJSONSchema(ReportSchema, { io: "input", target: "draft-2020-12", metadata: defs });
    return {
        ...schema,
        title: "fal-jobs report",
        description: `The report JSON written by fal-jobs-action (${REPORT_SCHEMA}): estimate, gate, and after a real run every run with its billed cost; or, when neither could be made, the error (mode 'error'). Money is given as decimal USD strings and as integer nano-USD.`,
    };
}
/** `jobs[0].variants[2].label` */
function fieldPath(parts) {
    return parts.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}
/** Compile-time: the JSON Schema (made from what the parser accepts) and the types (what it returns) describe one document. */
const JSON_SCHEMA_MATCHES_TYPES = true;
void JSON_SCHEMA_MATCHES_TYPES;


/***/ })

};
