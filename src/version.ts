/** Must equal package.json's name and version: __tests__/cli.test.ts fails when they differ. */
export const TOOL_NAME = "fal-jobs-action";
export const TOOL_VERSION = "0.1.0";
