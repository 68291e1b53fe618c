export const id = 327;
export const ids = [327];
export const modules = {

/***/ 91327:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ReportSchemaError: () => (/* binding */ ReportSchemaError),
/* harmony export */   parseReport: () => (/* binding */ parseReport)
/* harmony export */ });
/* unused harmony exports ReportSchema, reportJsonSchema, fieldPath, SCHEMA_MATCHES_MODEL */
/* harmony import */ var zod_mini__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(88532);
/* harmony import */ var zod_mini__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(28395);
/* harmony import */ var zod_mini__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(43759);
/* harmony import */ var zod_v4_locales_en_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(30252);
/* harmony import */ var _model_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(30555);



/**
 * The report JSON as data to check: post-only mode renders a report that an
 * untrusted run wrote, so every field must be what src/report/model.ts says
 * before the renderer, the outputs or the log see it. Unknown keys are
 * dropped. The type check at the bottom keeps this and the model in step.
 */
zod_mini__WEBPACK_IMPORTED_MODULE_1__/* .config */ .$W({ ...(0,zod_v4_locales_en_js__WEBPACK_IMPORTED_MODULE_2__/* ["default"] */ .A)(), jitless: true });
const text = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP();
const usd = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .string */ .YjP().check(zod_mini__WEBPACK_IMPORTED_MODULE_4__/* ._regex */ .Fk(/^\d{1,15}\.\d{2,9}$/, "expected a USD amount such as 1.25"));
// Amounts in nano-USD are never negative; only differences (delta_nano) may be.
const nano = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .int */ .Whr().check(zod_mini__WEBPACK_IMPORTED_MODULE_4__/* ._nonnegative */ .UI());
const nanoDelta = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .int */ .Whr();
const count = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .int */ .Whr().check(zod_mini__WEBPACK_IMPORTED_MODULE_4__/* ._nonnegative */ .UI());
const amount = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig().check(zod_mini__WEBPACK_IMPORTED_MODULE_4__/* ._nonnegative */ .UI());
const nullable = (t) => zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .nullable */ .mee(t);
const runStatus = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(["succeeded", "failed", "cancelled", "skipped-budget", "timed-out"]);
const counts = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ succeeded: count, failed: count, cancelled: count, "skipped-budget": count, "timed-out": count });
const confidence = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(["exact", "manual", "upper-bound", "unknown"]);
const billedSource = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(["billing-events", "header", "observed", "not-submitted", "pending", "unknown"]);
const priceSource = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(["override", "live", "catalog"]);
const manifestFigures = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod_mini__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(["units", "unit_price", "max_cost"]));
const unitKind = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n([
    "megapixels", "images", "videos", "audios", "requests", "seconds", "five_seconds", "minutes",
    "kilo_characters", "characters", "tokens", "million_tokens", "compute_seconds", "opaque",
]);
const variant = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    label: text,
    variants: count,
    runs: count,
    units_per_run: nullable(amount),
    unit_price: nullable(amount),
    cost_per_run: nullable(usd),
    cost_per_run_nano: nullable(nano),
    basis: text,
    confidence,
    problem: nullable(zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ reason: text, fix: text })),
    price_source: nullable(priceSource),
    from_manifest: manifestFigures,
});
const jobRun = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    counts,
    billed_nano: nano,
    billed_runs: count,
    pending_runs: count,
    unknown_runs: count,
    delta_nano: nanoDelta,
    error_pct: nullable(zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()),
    over_estimate_runs: count,
    billed_sources: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(billedSource),
    errors: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(text),
});
const job = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    id: text,
    model: text,
    runs: count,
    unit: nullable(text),
    unit_kind: nullable(unitKind),
    unit_price: nullable(amount),
    units_total: nullable(amount),
    estimated: usd,
    estimated_nano: nano,
    unknown_runs: count,
    source: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(["override", "live", "catalog", "none"]),
    source_detail: text,
    from_manifest: manifestFigures,
    confidence,
    variants: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(variant),
    run: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .optional */ .lqM(jobRun),
});
const execution = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    started_at: text,
    finished_at: text,
    duration_ms: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig(),
    cancelled: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY(),
    cancel_reason: nullable(text),
    counts,
    billing: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ source: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(["billing-events", "header-and-outputs"]), status: text, detail: nullable(text) }),
    billed: nullable(usd),
    billed_nano: nano,
    billed_runs: count,
    pending_runs: count,
    unknown_runs: count,
    delta_nano: nanoDelta,
    error_pct: nullable(zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()),
    over_estimate_runs: count,
    artifact: nullable(zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ name: text, id: count, url: text })),
    artifact_error: nullable(text),
    output_dir: text,
});
const run = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    id: text,
    job: text,
    model: text,
    variant: text,
    repeat: count,
    status: runStatus,
    submitted: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY(),
    submit_outcome: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(["not-attempted", "accepted", "rejected", "unknown"]),
    request_id: nullable(text),
    error: nullable(zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ message: text, status: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .optional */ .lqM(zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()), type: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .optional */ .lqM(text), stage: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(["submit", "status", "result", "timeout", "cancel"]) })),
    timings: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
        started_at: nullable(text),
        submitted_at: nullable(text),
        completed_at: nullable(text),
        finished_at: nullable(text),
        total_ms: nullable(zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()),
    }),
    estimated: usd,
    estimated_nano: nano,
    billed: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ source: billedSource, units: nullable(zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()), unit_price: nullable(zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()), cost_nano: nullable(nano), cost: nullable(usd) }),
    over_estimate: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY(),
    dir: nullable(text),
    outputs: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
        source: text,
        url: text,
        content_type: nullable(text),
        path: nullable(text),
        bytes: nullable(zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()),
        sha256: nullable(text),
        error: nullable(text),
    })),
});
const context = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    repository: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .optional */ .lqM(text),
    event: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .optional */ .lqM(text),
    pr_number: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .optional */ .lqM(zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .int */ .Whr().check(zod_mini__WEBPACK_IMPORTED_MODULE_4__/* ._positive */ .NC())),
    sha: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .optional */ .lqM(text),
    run_id: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .optional */ .lqM(text),
    run_attempt: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .optional */ .lqM(text),
    server_url: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .optional */ .lqM(text),
});
const ReportSchema = zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
    schema: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .literal */ .euz(_model_js__WEBPACK_IMPORTED_MODULE_0__/* .REPORT_SCHEMA */ .D),
    tool: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ name: text, version: text }),
    generated_at: text,
    mode: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(["estimate", "run"]),
    manifest: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ path: text, jobs: count, runs: count }),
    currency: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .literal */ .euz("USD"),
    budget: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
        effective: nullable(usd),
        effective_nano: nullable(nano),
        source: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(["input", "manifest", "both", "none"]),
        input: nullable(usd),
        manifest: nullable(usd),
        per_job_limit: nullable(usd),
        warn_at: nullable(zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .number */ .aig()),
        unknown_price: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(["fail", "warn"]),
    }),
    prices: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({
        catalog_as_of: text,
        live: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(["ok", "failed", "skipped"]),
        live_detail: nullable(text),
        by_source: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ override: count, live: count, catalog: count, none: count }),
    }),
    verdict: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* ["enum"] */ .k5n(["within-budget", "over-budget", "unknown-cost", "no-budget"]),
    pass: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .boolean */ .zMY(),
    reasons: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(text),
    warnings: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(text),
    totals: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .object */ .Ikc({ runs: count, estimated: usd, estimated_nano: nano, unknown_runs: count }),
    jobs: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(job),
    execution: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .optional */ .lqM(execution),
    runs: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .optional */ .lqM(zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .array */ .YOg(run)),
    context: zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .optional */ .lqM(context),
})
    .check(
// A run report renders its execution and every job's run summary.
zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .refine */ .YPB((r) => r.mode !== "run" || r.execution !== undefined, { message: "required when mode is run", path: ["execution"] }), zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .refine */ .YPB((r) => r.mode !== "run" || r.runs !== undefined, { message: "required when mode is run", path: ["runs"] }), zod_mini__WEBPACK_IMPORTED_MODULE_3__/* .superRefine */ .zni((r, ctx) => {
    if (r.mode !== "run")
        return;
    const i = r.jobs.findIndex((j) => j.run === undefined);
    if (i >= 0)
        ctx.addIssue({ code: "custom", message: "required when mode is run", path: ["jobs", i, "run"], input: r.jobs[i] });
}));
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
    const parsed = ReportSchema.safeParse(data);
    if (parsed.success)
        return parsed.data;
    const issue = parsed.error.issues[0];
    throw new ReportSchemaError(fieldPath(issue.path), issue.message);
}
/** JSON Schema of the report (what a consumer of `fal-jobs-report/v1` may rely on), generated from the same schema. */
function reportJsonSchema() {
    // "input": what the parser accepts; fields a later v1 adds do not make an older consumer's validation fail.
    const schema = z.toJSONSchema(ReportSchema, { io: "input", target: "draft-2020-12" });
    return {
        ...schema,
        title: "fal-jobs report",
        description: `The report JSON written by fal-jobs-action (${REPORT_SCHEMA}): estimate, gate, and after a real run every run with its billed cost. Money is given as decimal USD strings and as integer nano-USD.`,
    };
}
/** `jobs[0].variants[2].label` */
function fieldPath(parts) {
    return parts.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}
const SCHEMA_MATCHES_MODEL = true;


/***/ })

};
