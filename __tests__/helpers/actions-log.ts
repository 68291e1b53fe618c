import { afterEach, beforeEach } from "vitest";

/**
 * @actions/core writes `::debug::` commands and info lines straight to process.stdout, whatever RUNNER_DEBUG says
 * (the runner, not the toolkit, hides debug lines), so an in-process test of @actions/artifact would print dozens of
 * them into the test log. Call this at the top of such a file: each test's stdout is kept, and printed only if the
 * test fails.
 */
export function captureActionsLog(): void {
  let restore: (() => void) | undefined;
  beforeEach((ctx) => {
    const stdout = process.stdout;
    const original = stdout.write;
    let captured = "";
    stdout.write = ((chunk: string | Uint8Array, encodingOrCb?: unknown, cb?: unknown) => {
      captured += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      const done = typeof encodingOrCb === "function" ? encodingOrCb : cb;
      if (typeof done === "function") queueMicrotask(() => done());
      return true;
    }) as typeof stdout.write;
    restore = () => {
      stdout.write = original;
    };
    ctx.onTestFailed(() => {
      original.call(stdout, `--- stdout of the failed test "${ctx.task.name}" ---\n${captured}`);
    });
  });
  afterEach(() => {
    restore?.();
    restore = undefined;
  });
}
