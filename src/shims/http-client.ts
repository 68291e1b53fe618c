/**
 * Stands in for `@actions/http-client` inside the bundle (tsconfig `paths`,
 * which ncc applies; tests import the real one). @actions/core imports it for
 * OIDC tokens, which this action never asks for, and evaluating it loads
 * `http`, `https`, `tls` and `net` (see network.ts). Every export is a live
 * binding that `loadHttpClient()` fills in, so after loading, importers see the
 * real classes (constructors, `instanceof`, statics) unchanged.
 *
 * Every importer in the bundle gets this one copy: @actions/core and
 * @actions/artifact ask for ^4, @actions/github for ^3; 4.0 is 3.0 converted
 * to ESM (same code, same API).
 */
import type * as Real from "../../node_modules/@actions/http-client/lib/index.js";

export let HttpCodes: typeof Real.HttpCodes;
export let Headers: typeof Real.Headers;
export let MediaTypes: typeof Real.MediaTypes;
export let getProxyUrl: typeof Real.getProxyUrl;
export let isHttps: typeof Real.isHttps;
export let HttpClientError: typeof Real.HttpClientError;
export let HttpClientResponse: typeof Real.HttpClientResponse;
export let HttpClient: typeof Real.HttpClient = class {
  constructor() {
    throw new Error("internal: @actions/http-client used before loadNetworkModules()");
  }
} as unknown as typeof Real.HttpClient;

let loaded: Promise<void> | undefined;

/** Must run before any adapter that talks HTTP through @actions/* packages (artifact, github). */
export function loadHttpClient(): Promise<void> {
  loaded ??= import("../../node_modules/@actions/http-client/lib/index.js").then((real) => {
    ({ HttpCodes, Headers, MediaTypes, getProxyUrl, isHttps, HttpClientError, HttpClientResponse, HttpClient } = real);
  });
  return loaded;
}
