import { defineConfig } from "vitest/config";

/**
 * Files that need a module graph of their own, which a shared worker may already have evaluated: one mocks a module
 * that other files load for real (vi.mock), two test the lazy shims' state before their first load.
 */
const ISOLATED = ["__tests__/main.test.ts", "__tests__/network-shims.test.ts", "__tests__/undici-shim.test.ts"];

export default defineConfig({
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests spawn dist/index.js; two workers match the 2-core machines.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "shared",
          include: ["__tests__/**/*.test.ts"],
          exclude: ISOLATED,
          // A worker runs file after file with the modules it has already evaluated (vitest, zod, yaml, src/): a fresh
          // worker and module graph per file cost about a quarter of the suite's CPU time. Files therefore put back
          // what they change in the process (process.env, process.stdout.write, listeners).
          isolate: false,
        },
      },
      { extends: true, test: { name: "isolated", include: ISOLATED, isolate: true } },
    ],
  },
});
