import type { LiveModel, LiveModels } from "../../check/model-check.js";
import type { InputSchema } from "../../pricing/catalog-schema.js";
import { retry } from "../../util/retry.js";
import { redactSecrets } from "../../util/secret.js";
import { errorText, forEachPage } from "./platform-api.js";

/**
 * fal's model search API in find mode: GET {apiUrl}/models?endpoint_id=a&endpoint_id=b&expand=openapi-3.0 (at
 * most 50 ids a call; a key is optional and raises rate limits). Each model's status, and its input schema taken
 * out of its OpenAPI 3.0 document as plain JSON Schema. Failures are returned, not thrown.
 */

export interface ModelsApiOptions {
  apiUrl: string;
  key?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  retryBaseMs?: number;
}

/** One model as fal describes it, with what `catalog update` records. */
interface ModelInfo extends LiveModel {
  display_name?: string;
  category?: string;
}

export type ModelsResult = Exclude<LiveModels, { status: "ok" }> | { status: "ok"; models: ReadonlyMap<string, ModelInfo> };

export async function fetchModels(endpointIds: readonly string[], opts: ModelsApiOptions): Promise<ModelsResult> {
  const doFetch = opts.fetch ?? fetch;
  const models = new Map<string, ModelInfo>();
  try {
    await forEachPage([...new Set(endpointIds)], async (batch, cursor) => {
      const url = new URL(`${opts.apiUrl}/models`);
      for (const id of batch) url.searchParams.append("endpoint_id", id);
      url.searchParams.set("expand", "openapi-3.0");
      if (cursor) url.searchParams.set("cursor", cursor);
      const body = await getJson(doFetch, url, opts);
      for (const m of Array.isArray(body.models) ? body.models : []) {
        const info = parseModel(m);
        if (info) models.set(info.endpoint_id, info);
      }
      return typeof body.next_cursor === "string" && body.has_more !== false ? body.next_cursor : null;
    }, 20);
  } catch (err) {
    return { status: "failed", error: err instanceof Error ? err.message : String(err) };
  }
  return { status: "ok", models };
}

function parseModel(m: unknown): ModelInfo | undefined {
  if (m === null || typeof m !== "object") return undefined;
  const { endpoint_id, metadata, openapi } = m as { endpoint_id?: unknown; metadata?: Record<string, unknown>; openapi?: unknown };
  if (typeof endpoint_id !== "string") return undefined;
  const info: ModelInfo = { endpoint_id, status: metadata?.status === "deprecated" ? "deprecated" : "active" };
  if (typeof metadata?.display_name === "string") info.display_name = metadata.display_name;
  if (typeof metadata?.category === "string") info.category = metadata.category;
  const schema = inputSchemaFromOpenApi(openapi, endpoint_id);
  if (schema) info.input_schema = schema;
  return info;
}

class ApiFailed extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

function getJson(doFetch: typeof fetch, url: URL, opts: ModelsApiOptions): Promise<Record<string, unknown>> {
  const secrets = opts.key ? [opts.key] : [];
  const attempt = async () => {
    let res: Response;
    try {
      res = await doFetch(url, {
        headers: { ...(opts.key ? { Authorization: `Key ${opts.key}` } : {}), Accept: "application/json" },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw new ApiFailed(`model API unreachable (${(err as Error).name === "TimeoutError" ? "timed out" : redactSecrets((err as Error).message, secrets)})`, true);
    }
    if (res.ok) return (await res.json()) as Record<string, unknown>;
    const detail = await errorText(res);
    throw new ApiFailed(`model API answered ${res.status}${detail ? `: ${redactSecrets(detail, secrets)}` : ""}`, res.status === 429 || res.status >= 500);
  };
  return retry(attempt, { retries: 2, baseMs: opts.retryBaseMs ?? 500, jitter: true, isRetryable: (e) => e instanceof ApiFailed && e.retryable });
}

/**
 * The request body schema of the endpoint's submit (`POST /{endpoint_id}`) in fal's OpenAPI 3.0 document, as a
 * self-contained JSON Schema (2020-12): the components it references under `$defs`, `nullable` as a null type,
 * draft 4's boolean exclusive bounds as numbers, and OpenAPI's
 * own annotations (`x-…`, examples) left out. Its properties are all the model reads, so it is closed
 * (`additionalProperties: false`): a key it does not list is a typo fal would ignore.
 */
export function inputSchemaFromOpenApi(doc: unknown, endpointId: string): InputSchema | undefined {
  if (doc === null || typeof doc !== "object") return undefined;
  const { paths, components } = doc as { paths?: Record<string, Record<string, unknown>>; components?: { schemas?: Record<string, unknown> } };
  if (!paths) return undefined;
  const post = (paths[`/${endpointId}`] ?? Object.entries(paths).find(([p, item]) => !p.includes("/requests/") && item?.post)?.[1])?.post as
    | { requestBody?: { content?: Record<string, { schema?: unknown }> } }
    | undefined;
  const body = post?.requestBody?.content?.["application/json"]?.schema;
  if (!body) return undefined;
  const all = components?.schemas ?? {};
  const defs: Record<string, unknown> = {};
  const convert = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(convert);
    if (node === null || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith("x-") || k === "example" || k === "examples" || k === "nullable") continue;
      if (k === "$ref" && typeof v === "string" && v.startsWith("#/components/schemas/")) {
        const name = v.slice("#/components/schemas/".length);
        if (!(name in defs) && name in all) {
          defs[name] = {};
          defs[name] = convert(all[name]);
        }
        out.$ref = `#/$defs/${name}`;
        continue;
      }
      out[k] = convert(v);
    }
    // OpenAPI 3.0 takes JSON Schema draft 4's boolean exclusiveMinimum/Maximum beside minimum/maximum; JSON Schema
    // now takes the bound itself.
    for (const [flag, bound] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]] as const) {
      if (typeof out[flag] !== "boolean") continue;
      if (out[flag] === true && typeof out[bound] === "number") {
        out[flag] = out[bound];
        delete out[bound];
      } else delete out[flag];
    }
    if ((node as { nullable?: unknown }).nullable === true) {
      if (typeof out.type === "string") out.type = [out.type, "null"];
      else if (!out.type) return { anyOf: [out, { type: "null" }] };
    }
    return out;
  };
  let schema = convert(body) as Record<string, unknown>;
  // The body is usually a reference to the model's input component: inline it, keep the rest as $defs.
  const ref = typeof schema.$ref === "string" ? schema.$ref.slice("#/$defs/".length) : undefined;
  if (ref && Object.keys(schema).length === 1 && defs[ref]) {
    schema = { ...(defs[ref] as Record<string, unknown>) };
    // Kept under $defs only when something refers to it (a recursive input, such as a list of itself).
    const others = Object.entries(defs).filter(([k]) => k !== ref);
    if (!JSON.stringify([schema, others]).includes(`"#/$defs/${ref}"`)) delete defs[ref];
  }
  if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
  if (Object.keys(defs).length) schema.$defs = defs;
  return schema;
}
