import { defineConfig } from "vitest/config";

/** `npm run test:bench`: the benchmark harness smoke run, kept out of `npm test`. It runs the built dist/. */
export default defineConfig({
  test: {
    include: ["bench/**/*.test.ts"],
    environment: "node",
    testTimeout: 180_000,
  },
});
