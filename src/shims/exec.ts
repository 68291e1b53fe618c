/**
 * Stands in for `@actions/exec` inside the bundle (tsconfig `paths`; tests import
 * the real one). Only @actions/core's `platform` helpers import it, which this
 * action never calls, yet evaluating it loads `child_process` at every start.
 * Both exports are async, so each call loads the real module first: no setup needed.
 */
import type * as Real from "../../node_modules/@actions/exec/lib/exec.js";

const real = () => import("../../node_modules/@actions/exec/lib/exec.js");

export const exec: typeof Real.exec = async (...args) => (await real()).exec(...args);
export const getExecOutput: typeof Real.getExecOutput = async (...args) => (await real()).getExecOutput(...args);
