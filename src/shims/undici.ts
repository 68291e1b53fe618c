/**
 * Stands in for the `undici` package inside the bundle (tsconfig `paths`, which
 * ncc applies; tests import the real one). @actions/core pulls in undici through
 * @actions/http-client only to build a proxy agent; evaluating it is costly and a
 * dry run never needs it (see network.ts).
 */
import type * as Undici from "undici/index.js";

let real: typeof Undici | undefined;

export async function loadUndici(): Promise<void> {
  real ??= await import("undici/index.js");
}

function undici(): typeof Undici {
  if (!real) throw new Error("internal: undici used before loadUndici()");
  return real;
}

// The names that bundled packages import from "undici": @actions/http-client (ProxyAgent), @actions/github (fetch).
export const ProxyAgent = new Proxy(class {}, {
  construct: (_target, args: unknown[]) => new (undici().ProxyAgent as new (...a: unknown[]) => object)(...args),
}) as unknown as typeof Undici.ProxyAgent;

export const fetch: typeof Undici.fetch = (...args) => undici().fetch(...args);
