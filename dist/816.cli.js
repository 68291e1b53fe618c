export const id = 816;
export const ids = [816];
export const modules = {

/***/ 4816:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   writeRunLock: () => (/* binding */ writeRunLock)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _lock_write_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6500);
/* harmony import */ var _lock_read_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7927);



/**
 * Writes the updated lock to the workspace and a copy into the output folder
 * (so it travels in the artifact), and says in the report what changed. A
 * lock that cannot be written is a warning: the outputs are kept, but the
 * next run pays again for these runs unless the lock is restored.
 */
async function writeRunLock(lock, report, before, copyToOutputs) {
    // No lock yet and nothing done: do not create an empty one.
    if (before === null && Object.keys(lock.next.runs).length === 0) {
        report.lock.changed = false;
        return;
    }
    try {
        const text = await (0,_lock_write_js__WEBPACK_IMPORTED_MODULE_1__/* .writeLockFile */ .V)(lock.path, lock.next);
        // The copy in the artifact cannot name the artifact it is in: its own store's `artifact` stays null there.
        if (copyToOutputs)
            await (0,_lock_write_js__WEBPACK_IMPORTED_MODULE_1__/* .writeLockFile */ .V)(node_path__WEBPACK_IMPORTED_MODULE_0___default().join(report.execution.output_dir, "fal-jobs.lock.json"), lock.next);
        report.lock.written = lock.path;
        report.lock.changed = (0,_lock_read_js__WEBPACK_IMPORTED_MODULE_2__/* .textDigest */ .oA)(text) !== before;
    }
    catch (err) {
        report.lock.written = null;
        report.warnings.push(`the lock could not be written to ${lock.path} (${err.message}): the next run pays again for the runs this one generated`);
    }
}


/***/ })

};
