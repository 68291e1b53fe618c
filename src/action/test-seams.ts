import { UsageError } from "../errors.js";

/**
 * Test seams of the built action, for this repository's end-to-end tests only: they run dist/index.js as the runner
 * does, so its environment is the only way in. Unset, as in any workflow, nothing changes; set, the action says so in
 * its log.
 *
 * FAL_JOBS_TEST_RETRY_BASE_MS: the first backoff of a real run's retries (fal queue calls, a submit refused with 429,
 * downloads), otherwise 1 s or 0.5 s, in ms from 1 to 100. It shortens the waits of a test that meets transient
 * failures on purpose; how many retries there are, and which failures are retried, stay as they are.
 */
export const TEST_RETRY_BASE_MS = "FAL_JOBS_TEST_RETRY_BASE_MS";

export function testRetryBaseMs(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[TEST_RETRY_BASE_MS];
  if (raw === undefined || raw === "") return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 1 || ms > 100) {
    throw new UsageError(`${TEST_RETRY_BASE_MS} is a test seam: unset it, or set a whole number of ms from 1 to 100 (got "${raw}")`);
  }
  return ms;
}
