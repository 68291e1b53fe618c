export const id = 958;
export const ids = [958];
export const modules = {

/***/ 68958:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   gitReadAt: () => (/* binding */ gitReadAt)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(31421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);


/**
 * Files as they are at a commit, from the checkout's own git: no token, no
 * network, and one process (`git cat-file --batch`) for the commit and every
 * file. git is spawned without a shell, and the commit is a hex id checked by
 * the caller, so nothing from the event becomes an option. A shallow checkout
 * (actions/checkout's default, fetch-depth 1) usually lacks the base commit:
 * the answer then says so, and the caller asks the GitHub API.
 */
/** A lock of 100,000 runs is tens of MB; far above any manifest (1 MiB). */
const MAX_BYTES = 256 * 1024 * 1024;
const TIMEOUT_MS = 30_000;
/** `files` are paths as the inputs give them: relative to `cwd`, or absolute. */
async function gitReadAt(sha, files, cwd) {
    for (const f of files)
        if (/[\n\r]/.test(f))
            throw new Error(`${JSON.stringify(f)}: a path with a line break cannot be read from git`);
    const names = [`${sha}^{commit}`, ...files.map((f) => `${sha}:${repoPath(f, cwd)}`)];
    let out;
    try {
        out = await catFileBatch(names, cwd);
    }
    catch (err) {
        return { commit: false, why: err.message };
    }
    const objects = parseBatch(out, names.length);
    if (objects[0] === null)
        return { commit: false, why: `the repository does not have commit ${sha.slice(0, 12)}` };
    const texts = new Map();
    files.forEach((file, i) => {
        const o = objects[i + 1];
        if (o && o.type !== "blob")
            throw new Error(`${file} is a ${o.type} at ${sha.slice(0, 12)}, not a file`);
        texts.set(file, o ? o.data.toString("utf8") : null);
    });
    return { commit: true, files: texts };
}
function catFileBatch(names, cwd) {
    return new Promise((resolve, reject) => {
        // Never prompt, and never fetch a missing object from a promisor remote (a partial clone): a read, not a download.
        const env = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_NO_LAZY_FETCH: "1" };
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)("git", ["cat-file", "--batch"], { cwd, env, stdio: ["pipe", "pipe", "pipe"], timeout: TIMEOUT_MS });
        const chunks = [];
        let size = 0;
        let stderr = "";
        child.stdout.on("data", (c) => {
            size += c.length;
            if (size > MAX_BYTES)
                child.kill();
            else
                chunks.push(c);
        });
        child.stderr.on("data", (c) => (stderr += c.toString("utf8")));
        child.on("error", (err) => reject(new Error(`git cannot run: ${err.message}`)));
        child.on("close", (code, signal) => {
            if (code === 0 && size <= MAX_BYTES)
                resolve(Buffer.concat(chunks));
            else
                reject(new Error(`git cat-file failed (${signal ?? `exit ${code}`}${size > MAX_BYTES ? `, over ${MAX_BYTES} bytes` : ""}): ${stderr.trim()}`));
        });
        child.stdin.on("error", () => { }); // git may exit before reading its input (no repository): the close event says why
        child.stdin.end(names.map((n) => `${n}\n`).join(""));
    });
}
/** `./dir/file` or `../file`: git reads a path that starts with ./ or ../ relative to the working directory, wherever that is in the repository. */
function repoPath(file, cwd) {
    const rel = node_path__WEBPACK_IMPORTED_MODULE_1___default().relative(cwd, node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(cwd, file)).split((node_path__WEBPACK_IMPORTED_MODULE_1___default().sep)).join("/");
    return rel.startsWith("../") ? rel : `./${rel}`;
}
/** `<oid> <type> <size>\n<bytes>\n` per object found, `<name> missing\n` (or ambiguous) per one that is not. */
function parseBatch(out, count) {
    const objects = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
        const eol = out.indexOf(0x0a, at);
        if (eol < 0)
            throw new Error("git cat-file: truncated output");
        const header = out.toString("utf8", at, eol);
        at = eol + 1;
        const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
        if (!m) {
            objects.push(null); // "<name> missing" or "<name> ambiguous"
            continue;
        }
        const size = Number(m[2]);
        objects.push({ type: m[1], data: out.subarray(at, at + size) });
        at += size + 1;
    }
    return objects;
}


/***/ })

};
