/** Kept in step with package.json by the test suite. */
export const TOOL_NAME = "fal-jobs-action";
export const TOOL_VERSION = "0.1.0";
