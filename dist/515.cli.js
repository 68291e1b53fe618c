export const id = 515;
export const ids = [515];
export const modules = {

/***/ 1515:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   renderRunText: () => (/* binding */ renderRunText)
/* harmony export */ });
/* harmony import */ var _report_escape_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4031);
/* harmony import */ var _report_format_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2011);
/* harmony import */ var _util_money_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1296);



/**
 * What `fal-jobs run` prints when the batch is over: the verdict in one line, a row per job (runs by how they
 * ended, estimated and billed), why it failed, the runs that did not succeed, and where the outputs, report and
 * lock are. Billed figures that are not known are said to be unknown, never shown as $0.
 */
function renderRunText(r, shown) {
    const e = r.execution;
    const succeeded = e.counts.succeeded;
    const submittedRuns = r.runs.length;
    const head = e.cancelled ? "RUN CANCELLED" : r.pass ? "RUN SUCCEEDED" : "RUN FAILED";
    const budget = r.budget.effective_nano === null ? "no budget" : `budget ${(0,_util_money_js__WEBPACK_IMPORTED_MODULE_1__/* .displayUsd */ .dd)(r.budget.effective_nano)}`;
    const out = [`${head}: ${(0,_report_format_js__WEBPACK_IMPORTED_MODULE_0__/* .fmtNumber */ .FQ)(succeeded)} of ${(0,_report_format_js__WEBPACK_IMPORTED_MODULE_0__/* .fmtNumber */ .FQ)(submittedRuns)} run(s) succeeded; billed ${billedText(e)} (estimated ${(0,_util_money_js__WEBPACK_IMPORTED_MODULE_1__/* .displayUsd */ .dd)(r.totals.estimated_nano)}), ${budget}`];
    const rows = [["JOB", "RUNS", "SUCCEEDED", "NOT SUCCEEDED", "ESTIMATED", "BILLED"]];
    for (const j of r.jobs) {
        const c = j.run.counts;
        const others = ["failed", "timed-out", "cancelled", "skipped-budget"].filter((s) => c[s] > 0).map((s) => `${(0,_report_format_js__WEBPACK_IMPORTED_MODULE_0__/* .fmtNumber */ .FQ)(c[s])} ${s}`);
        const runs = j.locked_runs ? `${(0,_report_format_js__WEBPACK_IMPORTED_MODULE_0__/* .fmtNumber */ .FQ)(j.runs)} (+${(0,_report_format_js__WEBPACK_IMPORTED_MODULE_0__/* .fmtNumber */ .FQ)(j.locked_runs)} locked)` : (0,_report_format_js__WEBPACK_IMPORTED_MODULE_0__/* .fmtNumber */ .FQ)(j.runs);
        rows.push([(0,_report_escape_js__WEBPACK_IMPORTED_MODULE_2__/* .flatten */ .Bq)(j.id, 40), runs, (0,_report_format_js__WEBPACK_IMPORTED_MODULE_0__/* .fmtNumber */ .FQ)(c.succeeded), others.join(", ") || "-", (0,_util_money_js__WEBPACK_IMPORTED_MODULE_1__/* .displayUsd */ .dd)(j.estimated_nano), billedText(j.run)]);
    }
    rows.push(["TOTAL", (0,_report_format_js__WEBPACK_IMPORTED_MODULE_0__/* .fmtNumber */ .FQ)(submittedRuns), (0,_report_format_js__WEBPACK_IMPORTED_MODULE_0__/* .fmtNumber */ .FQ)(succeeded), "", (0,_util_money_js__WEBPACK_IMPORTED_MODULE_1__/* .displayUsd */ .dd)(r.totals.estimated_nano), billedText(e)]);
    const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => [...row[i]].length)));
    const line = (row) => row.map((c, i) => (i === 0 || i === 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
    out.push("", line(rows[0]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line), "");
    for (const reason of r.reasons)
        out.push(`  ✗ ${reason}`);
    for (const w of r.warnings)
        out.push(`  ! ${w}`);
    const notDone = r.runs.filter((run) => run.status !== "succeeded");
    if (notDone.length > 0) {
        out.push("runs that did not succeed:");
        for (const run of notDone.slice(0, 10))
            out.push(`  ${(0,_report_escape_js__WEBPACK_IMPORTED_MODULE_2__/* .flatten */ .Bq)(run.id, 80)}: ${run.status}${run.error ? ` — ${(0,_report_escape_js__WEBPACK_IMPORTED_MODULE_2__/* .flatten */ .Bq)(run.error.message, 200)}` : ""}`);
        if (notDone.length > 10)
            out.push(`  … and ${(0,_report_format_js__WEBPACK_IMPORTED_MODULE_0__/* .fmtNumber */ .FQ)(notDone.length - 10)} more (all in the report)`);
    }
    const files = r.runs.reduce((n, run) => n + run.outputs.filter((o) => o.path !== null).length, 0);
    out.push(`outputs: ${(0,_report_format_js__WEBPACK_IMPORTED_MODULE_0__/* .fmtNumber */ .FQ)(files)} file(s) in ${shown.outputs}; report ${shown.report}`);
    if (r.lock.status !== "off") {
        out.push(r.lock.written
            ? `lock: ${r.lock.written} ${r.lock.changed ? "updated" : "unchanged"}: the runs it holds are not paid for again`
            : `lock: not written${r.lock.changed === false ? " (nothing to record)" : ""}`);
    }
    return out.join("\n");
}
function billedText(c) {
    const open = c.pending_runs + c.unknown_runs;
    return open > 0 ? `${(0,_util_money_js__WEBPACK_IMPORTED_MODULE_1__/* .displayUsd */ .dd)(c.billed_nano)} + ${(0,_report_format_js__WEBPACK_IMPORTED_MODULE_0__/* .fmtNumber */ .FQ)(open)} unknown` : (0,_util_money_js__WEBPACK_IMPORTED_MODULE_1__/* .displayUsd */ .dd)(c.billed_nano);
}


/***/ })

};
