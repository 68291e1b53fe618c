export const id = 511;
export const ids = [511];
export const modules = {

/***/ 42511:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   postStickyComment: () => (/* binding */ postStickyComment),
/* harmony export */   pullRequestHeadIs: () => (/* binding */ pullRequestHeadIs)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(61351);
/* harmony import */ var _report_comment_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(54231);


const LIST_COMMENTS = `query($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      comments(first: 100, after: $cursor) {
        nodes { id fullDatabaseId body isMinimized createdAt url author { login } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`;
async function postStickyComment(req) {
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(req.token, req.baseUrl ? { baseUrl: req.baseUrl } : {});
    try {
        return await post(octokit, req);
    }
    catch (err) {
        const status = err.status;
        const message = err.message;
        if (status === 403 || /Resource not accessible by integration/i.test(message)) {
            return { action: "forbidden", message };
        }
        throw err;
    }
}
/** Comment ids fit a JS number exactly (they are far below 2^53); REST takes them in the path. */
function restId(c) {
    return Number(c.fullDatabaseId);
}
async function post(octokit, req) {
    const { owner, repo, prNumber } = req;
    const ours = await findOurComments(octokit, req);
    if (req.mode === "update" && ours.length > 0) {
        const latest = ours[ours.length - 1];
        const theirs = (0,_report_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .parseStamp */ .Pu)(latest.body);
        if (theirs && (0,_report_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .isNewer */ .U4)(theirs, req.stamp))
            return { action: "skipped-stale", url: latest.url, id: restId(latest), newer: theirs };
        if ((0,_report_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .withoutStamp */ .GD)(latest.body) === (0,_report_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .withoutStamp */ .GD)(req.body))
            return { action: "unchanged", url: latest.url, id: restId(latest) };
        const res = await octokit.rest.issues.updateComment({ owner, repo, comment_id: restId(latest), body: req.body });
        return { action: "updated", url: res.data.html_url, id: res.data.id };
    }
    if (req.mode !== "update" && req.mode !== "new") {
        // A newer run's comment stays; an older run must not hide or delete it.
        const newest = ours.map((c) => ({ c, s: (0,_report_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .parseStamp */ .Pu)(c.body) })).find(({ s }) => s && (0,_report_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .isNewer */ .U4)(s, req.stamp));
        if (newest)
            return { action: "skipped-stale", url: newest.c.url, id: restId(newest.c), newer: newest.s };
        for (const c of ours) {
            if (req.mode === "hide-and-new") {
                await octokit.graphql(`mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }`, { id: c.id });
            }
            else {
                await octokit.rest.issues.deleteComment({ owner, repo, comment_id: restId(c) });
            }
        }
    }
    const res = await octokit.rest.issues.createComment({ owner, repo, issue_number: prNumber, body: req.body });
    return { action: "created", url: res.data.html_url, id: res.data.id };
}
async function findOurComments(octokit, req) {
    const viewer = await octokit.graphql(`query { viewer { login } }`);
    // GraphQL names the Actions bot `github-actions` as an author but `github-actions[bot]` as the viewer.
    const me = viewer.viewer.login.replace(/\[bot\]$/, "");
    const found = [];
    let cursor = null;
    for (let page = 0; page < 100; page++) {
        const data = await octokit.graphql(LIST_COMMENTS, { owner: req.owner, repo: req.repo, number: req.prNumber, cursor });
        const comments = data.repository?.pullRequest?.comments;
        if (!comments)
            break;
        for (const c of comments.nodes) {
            const author = c.author?.login.replace(/\[bot\]$/, "");
            if (author === me && !c.isMinimized && (0,_report_comment_js__WEBPACK_IMPORTED_MODULE_1__/* .hasMarker */ .xY)(c.body, req.marker))
                found.push(c);
        }
        if (!comments.pageInfo.hasNextPage)
            break;
        cursor = comments.pageInfo.endCursor;
    }
    return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
/**
 * Post-only mode trusts nothing in the report: the PR number it names must be
 * the PR whose head commit the triggering workflow run was for.
 */
async function pullRequestHeadIs(token, owner, repo, prNumber, sha, baseUrl) {
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(token, baseUrl ? { baseUrl } : {});
    const pr = await octokit.rest.pulls.get({ owner, repo, pull_number: prNumber });
    return pr.data.head.sha === sha;
}


/***/ })

};
