/**
 * Stands in for `@actions/core` inside the bundle (tsconfig `paths`, which ncc
 * applies to every importer, @actions/artifact included; tests import the
 * real one). It is the real module with one change: `debug` writes its
 * `::debug::` line only when debug logging is on. The toolkit writes them
 * whatever RUNNER_DEBUG says, and @actions/artifact writes dozens per upload
 * (request and response bodies, a signed upload URL among them): the GitHub
 * runner hides them, but they are in the step's raw output for every other
 * reader of it (runners that show them, tools that capture the output).
 */
import { debug as realDebug } from "../../node_modules/@actions/core/lib/core.js";

export * from "../../node_modules/@actions/core/lib/core.js";

/**
 * RUNNER_DEBUG=1 is how the runner says debug logging is on; ACTIONS_STEP_DEBUG is the setting that turns it on.
 * @public — called by the bundled libraries (@actions/artifact), which knip does not see.
 */
export function debug(message: string): void {
  if (process.env.RUNNER_DEBUG === "1" || process.env.ACTIONS_STEP_DEBUG === "true") realDebug(message);
}
