export const id = 11;
export const ids = [11];
export const modules = {

/***/ 53011:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   githubCommentStore: () => (/* binding */ githubCommentStore),
/* harmony export */   pullRequestHeadIs: () => (/* binding */ pullRequestHeadIs),
/* harmony export */   pullRequestOfCommit: () => (/* binding */ pullRequestOfCommit)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(61351);
/* harmony import */ var _comment_marker_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(74563);
/* harmony import */ var _comment_sticky_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1570);



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
const MINIMIZE = `mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }`;
function octokitFor(token, baseUrl) {
    return (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(token, baseUrl ? { baseUrl } : {});
}
function githubCommentStore(pr) {
    const octokit = octokitFor(pr.token, pr.baseUrl);
    const { owner, repo } = pr;
    const written = (data) => ({ id: data.id, url: data.html_url, body: data.body ?? "" });
    return {
        findOurs: (marker) => forbiddenAsError(() => findOurComments(octokit, pr, marker)),
        create: (body) => forbiddenAsError(async () => written((await octokit.rest.issues.createComment({ owner, repo, issue_number: pr.prNumber, body })).data)),
        update: (c, body) => forbiddenAsError(async () => written((await octokit.rest.issues.updateComment({ owner, repo, comment_id: c.id, body })).data)),
        remove: (c) => forbiddenAsError(async () => void (await octokit.rest.issues.deleteComment({ owner, repo, comment_id: c.id }))),
        minimize: (c) => forbiddenAsError(async () => void (await octokit.graphql(MINIMIZE, { id: c.nodeId }))),
    };
}
/** REST says 403; GraphQL answers 200 with a FORBIDDEN error whose message is the only sign. */
async function forbiddenAsError(call) {
    try {
        return await call();
    }
    catch (err) {
        const status = err.status;
        const message = err.message;
        if (status === 403 || /Resource not accessible by integration/i.test(message))
            throw new _comment_sticky_js__WEBPACK_IMPORTED_MODULE_1__/* .CommentForbiddenError */ .JN(message, { cause: err });
        throw err;
    }
}
async function findOurComments(octokit, pr, marker) {
    const viewer = await octokit.graphql(`query { viewer { login } }`);
    // GraphQL names the Actions bot `github-actions` as an author but `github-actions[bot]` as the viewer.
    const me = viewer.viewer.login.replace(/\[bot\]$/, "");
    const found = [];
    let cursor = null;
    for (let page = 0; page < 100; page++) {
        const data = await octokit.graphql(LIST_COMMENTS, { owner: pr.owner, repo: pr.repo, number: pr.prNumber, cursor });
        const comments = data.repository?.pullRequest?.comments;
        if (!comments)
            break;
        for (const c of comments.nodes) {
            const author = c.author?.login.replace(/\[bot\]$/, "");
            if (author === me && !c.isMinimized && (0,_comment_marker_js__WEBPACK_IMPORTED_MODULE_2__/* .hasMarker */ .xY)(c.body, marker))
                found.push(c);
        }
        if (!comments.pageInfo.hasNextPage)
            break;
        cursor = comments.pageInfo.endCursor;
    }
    // Comment ids fit a JS number exactly (they are far below 2^53); REST takes them in the path.
    return found
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map((c) => ({ id: Number(c.fullDatabaseId), nodeId: c.id, url: c.url, body: c.body }));
}
/**
 * Post-only mode trusts nothing in the report: the PR number it names must be
 * the PR whose head commit the triggering workflow run was for.
 */
async function pullRequestHeadIs(token, owner, repo, prNumber, sha, baseUrl) {
    const pr = await octokitFor(token, baseUrl).rest.pulls.get({ owner, repo, pull_number: prNumber });
    return pr.data.head.sha === sha;
}
/**
 * The pull request a pushed commit came from: GitHub lists a commit's pull requests; the one merged as this very
 * commit first, else one merged, else none (a commit pushed straight to the branch has no pull request to tell).
 */
async function pullRequestOfCommit(token, owner, repo, sha, baseUrl) {
    const { data } = await octokitFor(token, baseUrl).rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha });
    const merged = data.filter((pr) => pr.merged_at);
    return (merged.find((pr) => pr.merge_commit_sha === sha) ?? merged[0])?.number;
}


/***/ })

};
