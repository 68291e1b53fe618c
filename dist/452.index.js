export const id = 452;
export const ids = [452];
export const modules = {

/***/ 37452:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   githubBranchFiles: () => (/* binding */ githubBranchFiles)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(61351);

function githubBranchFiles(ref) {
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(ref.token, ref.baseUrl ? { baseUrl: ref.baseUrl } : {});
    const { owner, repo } = ref;
    return {
        async read(branch, path) {
            try {
                const res = await octokit.rest.repos.getContent({ owner, repo, path, ref: branch });
                const file = res.data;
                if (Array.isArray(res.data) || file.type !== "file")
                    throw new Error(`${path} on ${branch} is not a file`);
                if (file.encoding === "none" || file.content === undefined)
                    return await readLarge(file.sha);
                return { text: Buffer.from(file.content, "base64").toString("utf8"), sha: file.sha };
            }
            catch (err) {
                if (err.status === 404)
                    return null;
                throw err;
            }
        },
        async write(branch, path, text, sha, message) {
            try {
                const res = await octokit.rest.repos.createOrUpdateFileContents({
                    owner,
                    repo,
                    path,
                    branch,
                    message,
                    content: Buffer.from(text, "utf8").toString("base64"),
                    ...(sha ? { sha } : {}),
                });
                return { status: "written", commitSha: res.data.commit.sha ?? "" };
            }
            catch (err) {
                const status = err.status;
                const text = String(err.message ?? "");
                // Rulesets and branch protection refuse the write and ask for a pull request; a stale sha is a conflict.
                if ((status === 409 || status === 403 || status === 422) && /protected branch|rule|pull request/i.test(text))
                    return { status: "protected", message: text };
                if (status === 409 || (status === 422 && /sha/i.test(text)))
                    return { status: "conflict" };
                throw err;
            }
        },
        async head(branch) {
            try {
                const res = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
                return res.data.object.sha;
            }
            catch (err) {
                if (err.status === 404)
                    return null;
                throw err;
            }
        },
        async createBranch(branch, fromSha) {
            await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: fromSha });
        },
        async ensurePull(head, base, title, body) {
            const open = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${head}`, base, state: "open" });
            if (open.data[0])
                return open.data[0].html_url;
            const created = await octokit.rest.pulls.create({ owner, repo, head, base, title, body });
            return created.data.html_url;
        },
    };
    // The contents API leaves out files over 1 MB; the blob API has them.
    async function readLarge(sha) {
        const blob = await octokit.rest.git.getBlob({ owner, repo, file_sha: sha });
        return { text: Buffer.from(blob.data.content, "base64").toString("utf8"), sha };
    }
}


/***/ })

};
