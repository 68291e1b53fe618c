import { loadHttpClient } from "./http-client.js";
import { loadUndici } from "./undici.js";

/**
 * Why the shims exist: @actions/core imports @actions/http-client (for OIDC)
 * and through it undici and the network builtins, none of which a dry run
 * needs, and evaluating them is a large part of its start-up (figures in
 * BENCHMARKS.md). Inside the bundle (tsconfig `paths`, which ncc applies; tests
 * import the real modules) each is a stand-in whose real module is a lazily
 * loaded chunk. This loads them: call it before importing any adapter that
 * reaches fal, GitHub or the artifact service.
 */
export async function loadNetworkModules(): Promise<void> {
  await Promise.all([loadUndici(), loadHttpClient()]);
}
