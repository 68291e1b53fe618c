export const id = 354;
export const ids = [354];
export const modules = {

/***/ 34354:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readFileAtCommit: () => (/* binding */ readFileAtCommit)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(61351);

/** The file's text at the commit, or null when it did not exist there. */
async function readFileAtCommit(ref) {
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(ref.token, ref.baseUrl ? { baseUrl: ref.baseUrl } : {});
    const { owner, repo, sha } = ref;
    try {
        const res = await octokit.rest.repos.getContent({ owner, repo, path: ref.path, ref: sha, mediaType: { format: "raw" } });
        const data = res.data;
        // GitHub answers raw content as text/plain; a directory comes back as a JSON list instead.
        if (typeof data === "string")
            return data;
        if (data instanceof ArrayBuffer)
            return Buffer.from(data).toString("utf8");
        throw new Error(`${ref.path} is not a file at ${sha.slice(0, 12)}`);
    }
    catch (err) {
        if (statusOf(err) !== 404)
            throw new Error(`GitHub contents API: ${messageOf(err)}`, { cause: err });
    }
    try {
        await octokit.rest.git.getCommit({ owner, repo, commit_sha: sha });
    }
    catch (err) {
        throw new Error(`GitHub cannot show commit ${sha.slice(0, 12)} of ${owner}/${repo} to this token (${messageOf(err)})`, { cause: err });
    }
    return null;
}
function statusOf(err) {
    return err.status;
}
function messageOf(err) {
    const status = statusOf(err);
    const message = err instanceof Error ? err.message : String(err);
    return status && !message.includes(String(status)) ? `${status} ${message}` : message;
}


/***/ })

};
