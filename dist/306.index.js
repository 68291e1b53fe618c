export const id = 306;
export const ids = [306,978];
export const modules = {

/***/ 87306:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   downloadEarlierStates: () => (/* binding */ downloadEarlierStates),
/* harmony export */   uploadState: () => (/* binding */ uploadState)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_artifact__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(67220);
/* harmony import */ var _upload_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(33978);




/**
 * The state artifact: a few small JSON files (the journal of fal requests,
 * the lock, the report) that a re-run of the same workflow run reads to
 * resume, uploaded as `{artifact-name}-state-attempt-{N}` apart from the
 * outputs (which may be gigabytes, and whose upload may fail), and the
 * reading of earlier attempts' ones. Both go through @actions/artifact's
 * artifact service (ListArtifacts, GetSignedArtifactURL), with the runner's
 * ACTIONS_RUNTIME_TOKEN: no token input or permission is needed.
 *
 * GitHub does not document whether that service serves an earlier attempt's
 * artifact to a re-run (one public report saw "404 workflow run not found"),
 * while its REST API is scoped to the workflow run, all attempts included.
 * So what the service will not list or serve is asked of the REST API, with
 * the github-token (it needs `actions: read`), through the same client.
 */
function stateArtifactName(base, attempt) {
    return `${(0,_upload_js__WEBPACK_IMPORTED_MODULE_3__/* .artifactBase */ .Q4)(base)}-state-attempt-${attempt}`;
}
function runtimeMissing(env) {
    return env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL ? null : "not running inside GitHub Actions (no ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL)";
}
/** Uploads those of `files` (names under `root`) that exist. Failure is returned, not thrown. */
async function uploadState(base, root, files, env) {
    const missing = runtimeMissing(env);
    if (missing)
        return { ok: false, error: missing };
    const dir = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(root);
    const present = [];
    for (const name of files) {
        const file = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(dir, name);
        if (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(file).then((s) => s.isFile(), () => false))
            present.push(file);
    }
    if (present.length === 0)
        return { ok: false, error: "no state files to upload" };
    const name = stateArtifactName(base, env.GITHUB_RUN_ATTEMPT || "1");
    try {
        const res = await new _actions_artifact__WEBPACK_IMPORTED_MODULE_2__/* .DefaultArtifactClient */ .t9().uploadArtifact(name, present, dir, {});
        if (res.id === undefined)
            return { ok: false, error: "the artifact service returned no id" };
        return { ok: true, artifact: { name, id: res.id, url: (0,_upload_js__WEBPACK_IMPORTED_MODULE_3__/* .artifactUrl */ .Wk)(res.id, env) } };
    }
    catch (err) {
        return { ok: false, error: err.message };
    }
}
/**
 * Lists this workflow run's artifacts and downloads the state of every
 * attempt before `attempt` into `dest`. Throws when the service cannot list
 * or serve them: the caller must not guess what earlier attempts paid for.
 */
async function downloadEarlierStates(base, attempt, dest, env, token) {
    const missing = runtimeMissing(env);
    if (missing)
        throw new Error(missing);
    const client = new _actions_artifact__WEBPACK_IMPORTED_MODULE_2__/* .DefaultArtifactClient */ .t9();
    const rest = restScope(env, token);
    // The REST API, when the service fails: `findBy` makes @actions/artifact use it.
    const withRest = async (call) => {
        try {
            return await call();
        }
        catch (err) {
            if (!rest)
                throw new Error(`${err.message}; with a github-token that has \`actions: read\` the REST API would be asked too`, { cause: err });
            try {
                return await call(rest);
            }
            catch (restErr) {
                throw new Error(`the artifact service: ${err.message}; the REST API: ${restErr.message} (the github-token needs \`actions: read\`)`, { cause: restErr });
            }
        }
    };
    const artifacts = await listBoth(client, rest);
    const prefix = (0,_upload_js__WEBPACK_IMPORTED_MODULE_3__/* .artifactBase */ .Q4)(base);
    const states = new Map();
    const outputs = new Map();
    for (const a of artifacts) {
        const state = matchAttempt(a.name, `${prefix}-state-attempt-`);
        const output = matchAttempt(a.name, `${prefix}-attempt-`);
        const created = a.createdAt?.getTime() ?? 0;
        if (state !== null && state < attempt && created >= (states.get(state)?.created ?? -1))
            states.set(state, { id: a.id, created });
        if (output !== null && output < attempt)
            outputs.set(String(output), { name: a.name, id: a.id, url: (0,_upload_js__WEBPACK_IMPORTED_MODULE_3__/* .artifactUrl */ .Wk)(a.id, env) });
    }
    const found = [];
    for (const [n, { id }] of [...states].sort(([a], [b]) => a - b)) {
        const dir = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(dest, `attempt-${n}`);
        await withRest((findBy) => client.downloadArtifact(id, { path: dir, ...(findBy && { findBy }) }));
        found.push({ attempt: String(n), dir });
    }
    return { states: found, outputs };
}
/**
 * The run's artifacts as the service lists them and, with a token, as the
 * REST API does: were the service to list only this attempt's, nothing
 * earlier attempts left would be missed. Only when no listing works is it an
 * error; a REST API refused for want of `actions: read` is not one.
 */
async function listBoth(client, rest) {
    const byId = new Map();
    let serviceError;
    try {
        for (const a of (await client.listArtifacts()).artifacts)
            byId.set(a.id, a);
    }
    catch (err) {
        serviceError = err;
    }
    if (rest) {
        try {
            for (const a of (await client.listArtifacts({ findBy: rest })).artifacts)
                byId.set(a.id, a);
        }
        catch (err) {
            if (serviceError)
                throw new Error(`the artifact service: ${serviceError.message}; the REST API: ${err.message} (the github-token needs \`actions: read\`)`, { cause: err });
        }
    }
    else if (serviceError) {
        throw serviceError;
    }
    return [...byId.values()];
}
/** What the REST API needs to find this workflow run's artifacts; undefined without a token or a run. */
function restScope(env, token) {
    const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
    const runId = Number(env.GITHUB_RUN_ID);
    if (!token || !owner || !repo || !Number.isSafeInteger(runId) || runId <= 0)
        return undefined;
    return { token, workflowRunId: runId, repositoryOwner: owner, repositoryName: repo };
}
/** N when `name` is `prefix` followed by a positive whole number, else null. */
function matchAttempt(name, prefix) {
    if (!name.startsWith(prefix))
        return null;
    const rest = name.slice(prefix.length);
    return /^[1-9]\d{0,5}$/.test(rest) ? Number(rest) : null;
}


/***/ }),

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
