export const id = 79;
export const ids = [79];
export const modules = {

/***/ 9079:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  writeRunLock: () => (/* binding */ writeRunLock)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./src/lock/serialize.ts
/**
 * The lock as text: every object's keys sorted, one run (and one store) per
 * line, two-space indents, one final newline. Two runs that did the same work
 * write the same bytes, and git's line diff of a lock shows one line per run
 * added, changed or removed. It stays plain JSON. Arrays keep their order (a
 * run's outputs in the order fal returned them).
 */
function serializeLock(lock) {
    const out = ["{"];
    const top = Object.keys(lock).sort();
    top.forEach((key, i) => {
        const comma = i < top.length - 1 ? "," : "";
        const value = lock[key];
        if (key === "runs" || key === "stores") {
            const members = Object.keys(value).sort();
            if (members.length === 0) {
                out.push(`  ${JSON.stringify(key)}: {}${comma}`);
                return;
            }
            out.push(`  ${JSON.stringify(key)}: {`);
            const table = value;
            members.forEach((m, j) => out.push(`    ${JSON.stringify(m)}: ${JSON.stringify(sortKeys(table[m]))}${j < members.length - 1 ? "," : ""}`));
            out.push(`  }${comma}`);
        }
        else {
            out.push(`  ${JSON.stringify(key)}: ${JSON.stringify(sortKeys(value))}${comma}`);
        }
    });
    out.push("}", "");
    return out.join("\n");
}
function sortKeys(value) {
    if (Array.isArray(value))
        return value.map(sortKeys);
    if (value === null || typeof value !== "object")
        return value;
    const out = {};
    for (const key of Object.keys(value).sort())
        out[key] = sortKeys(value[key]);
    return out;
}

;// CONCATENATED MODULE: ./src/lock/write.ts



/**
 * Writes the lock atomically (a temporary file beside it, then a rename): a
 * step killed half way leaves the old lock or the new one, never half of
 * one, since a lock that cannot be read stops the next run.
 */
async function writeLockFile(file, lock) {
    const text = serializeLock(lock);
    await (0,promises_.mkdir)(external_node_path_default().dirname(external_node_path_default().resolve(file)), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await (0,promises_.writeFile)(temp, text);
    await (0,promises_.rename)(temp, file);
    return text;
}

// EXTERNAL MODULE: ./src/lock/read.ts + 2 modules
var read = __webpack_require__(7927);
;// CONCATENATED MODULE: ./src/flows/write-lock.ts



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
        const text = await writeLockFile(lock.path, lock.next);
        // The copy in the artifact cannot name the artifact it is in: its own store's `artifact` stays null there.
        if (copyToOutputs)
            await writeLockFile(external_node_path_default().join(report.execution.output_dir, "fal-jobs.lock.json"), lock.next);
        report.lock.written = lock.path;
        report.lock.changed = (0,read/* textDigest */.oA)(text) !== before;
    }
    catch (err) {
        report.lock.written = null;
        report.warnings.push(`the lock could not be written to ${lock.path} (${err.message}): the next run pays again for the runs this one generated`);
    }
}


/***/ })

};
