export const id = 978;
export const ids = [978];
export const modules = {

/***/ 33978:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Q4: () => (/* binding */ artifactBase),
/* harmony export */   Wk: () => (/* binding */ artifactUrl),
/* harmony export */   uploadOutputs: () => (/* binding */ uploadOutputs)
/* harmony export */ });
/* unused harmony export artifactName */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_artifact__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(67220);



/** Artifact names may not contain these; a name can be uploaded once per workflow run, so the attempt is part of it. */
function artifactName(base, env) {
    return `${artifactBase(base)}-attempt-${env.GITHUB_RUN_ATTEMPT || "1"}`;
}
/** The `artifact-name` input with the characters artifact names may not hold replaced. */
function artifactBase(base) {
    return base.replace(/["':<>|*?\r\n\\/]+/g, "-").trim() || "fal-outputs";
}
function artifactUrl(id, env) {
    const server = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
    return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}/artifacts/${id}`;
}
async function listFiles(root) {
    const out = [];
    for (const entry of await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(root, { withFileTypes: true, recursive: true })) {
        if (entry.isFile() && !entry.name.endsWith(".part"))
            out.push(node_path__WEBPACK_IMPORTED_MODULE_1___default().join(entry.parentPath, entry.name));
    }
    return out.sort();
}
async function uploadOutputs(base, rootDir, env) {
    if (!env.ACTIONS_RUNTIME_TOKEN || !env.ACTIONS_RESULTS_URL) {
        return { ok: false, error: "not running inside GitHub Actions (no ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL)" };
    }
    const root = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(rootDir);
    const files = await listFiles(root);
    if (files.length === 0)
        return { ok: false, error: "no files to upload" };
    const name = artifactName(base, env);
    try {
        const res = await new _actions_artifact__WEBPACK_IMPORTED_MODULE_2__/* .DefaultArtifactClient */ .t9().uploadArtifact(name, files, root, {});
        if (res.id === undefined)
            return { ok: false, error: "the artifact service returned no id" };
        return { ok: true, artifact: { name, id: res.id, url: artifactUrl(res.id, env) } };
    }
    catch (err) {
        return { ok: false, error: err.message };
    }
}


/***/ })

};
