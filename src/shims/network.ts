import { loadHttpClient } from "./http-client.js";
import { loadUndici } from "./undici.js";

/**
 * Loads the network modules a dry run never needs (see the shims beside this
 * file). Call before importing any adapter that reaches fal, GitHub or the
 * artifact service.
 */
export async function loadNetworkModules(): Promise<void> {
  await Promise.all([loadUndici(), loadHttpClient()]);
}
