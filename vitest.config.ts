import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests spawn dist/index.js; two workers match the 2-core machines.
    maxWorkers: 2,
  },
});
