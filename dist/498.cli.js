export const id = 498;
export const ids = [498];
export const modules = {

/***/ 8498:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   confirm: () => (/* binding */ confirm)
/* harmony export */ });
/* harmony import */ var node_readline_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6848);
/* harmony import */ var node_readline_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_readline_promises__WEBPACK_IMPORTED_MODULE_0__);

/**
 * Asks a yes/no question on the terminal; anything but y/yes is no, and so is Ctrl-C or the end of input
 * (money is spent only on a clear yes).
 */
async function confirm(question, input = process.stdin, output = process.stderr) {
    const rl = (0,node_readline_promises__WEBPACK_IMPORTED_MODULE_0__.createInterface)({ input, output });
    const abort = new AbortController();
    const no = new Promise((resolve) => {
        rl.once("SIGINT", () => resolve(""));
        rl.once("close", () => resolve(""));
    });
    try {
        const answer = await Promise.race([rl.question(question, { signal: abort.signal }), no]);
        return /^\s*y(es)?\s*$/i.test(answer);
    }
    finally {
        abort.abort();
        rl.close();
    }
}


/***/ })

};
