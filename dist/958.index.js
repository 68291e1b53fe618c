export const id = 958;
export const ids = [958];
export const modules = {

/***/ 68958:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   gitHasCommit: () => (/* binding */ gitHasCommit),
/* harmony export */   gitShowFile: () => (/* binding */ gitShowFile)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(31421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);


/**
 * Files as they are at a commit, from the checkout's own git: no token, no
 * network. git runs through execFile (no shell), and the commit is a hex id
 * checked by the caller, so nothing from the event becomes an option. A
 * shallow checkout (actions/checkout's default, fetch-depth 1) usually lacks
 * the base commit: hasCommit says so, and the caller asks the GitHub API.
 */
/** A lock of 100,000 runs is tens of MB; far above any manifest (1 MiB). */
const MAX_BYTES = 256 * 1024 * 1024;
const TIMEOUT_MS = 30_000;
function git(args, cwd) {
    return new Promise((resolve, reject) => {
        // Never prompt, and never fetch a missing object from a promisor remote (a partial clone): a read, not a download.
        const env = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_NO_LAZY_FETCH: "1" };
        (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFile)("git", args, { cwd, env, encoding: "buffer", maxBuffer: MAX_BYTES, timeout: TIMEOUT_MS }, (err, stdout, stderr) => {
            if (err)
                reject(new Error(`git ${args[0]} failed: ${stderr.toString("utf8").trim() || err.message}`));
            else
                resolve(stdout);
        });
    });
}
/** Whether the repository at `cwd` has the commit (false too when git or a repository is not there). */
async function gitHasCommit(sha, cwd) {
    try {
        await git(["cat-file", "-e", `${sha}^{commit}`], cwd);
        return true;
    }
    catch {
        return false;
    }
}
/** The file's text at the commit, or null when it did not exist there. Call gitHasCommit first: here a failure to find it means "not there". */
async function gitShowFile(sha, file, cwd) {
    const spec = `${sha}:${repoPath(file, cwd)}`;
    let type;
    try {
        type = (await git(["cat-file", "-t", spec], cwd)).toString("utf8").trim();
    }
    catch {
        return null;
    }
    if (type !== "blob")
        throw new Error(`${file} is a ${type} at ${sha.slice(0, 12)}, not a file`);
    // --no-textconv: the bytes as committed, never a diff driver's rendering of them.
    return (await git(["show", "--no-textconv", spec], cwd)).toString("utf8");
}
/** `./dir/file` or `../file`: git reads a path that starts with ./ or ../ relative to the working directory, as the manifest input is. */
function repoPath(file, cwd) {
    const rel = node_path__WEBPACK_IMPORTED_MODULE_1___default().relative(cwd, node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(cwd, file)).split((node_path__WEBPACK_IMPORTED_MODULE_1___default().sep)).join("/");
    return rel.startsWith("../") ? rel : `./${rel}`;
}


/***/ })

};
