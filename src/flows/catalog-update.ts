import { readFile } from "node:fs/promises";
import path from "node:path";
import type { FalEndpoints } from "../adapters/fal/endpoints.js";
import { fetchModels } from "../adapters/fal/models-api.js";
import { fetchLivePrices } from "../adapters/fal/pricing-api.js";
import { suggestModel } from "../check/model-check.js";
import { UsageError } from "../errors.js";
import { loadManifestFile } from "../manifest/load.js";
import { endpointIdProblem } from "../manifest/schema.js";
import { bundledCatalog } from "../pricing/bundled-catalog.js";
import { formatRepoCatalog, readRepoCatalogFile, REPO_CATALOG_FILE, REPO_CATALOG_SCHEMA, type RepoEntry } from "../pricing/repo-catalog.js";
import { writeFileNoFollow } from "../util/safe-fs.js";

/**
 * `fal-jobs catalog update`: for every model of the manifests (and any named), fal's price and unit (pricing API)
 * and its status and input schema (model search API), written to the repository catalog, merged with the entries
 * already there for other models. Nothing is written when fal does not list a model asked for: the file only ever
 * holds what fal said.
 */

export interface CatalogUpdateRequest {
  manifests: string[];
  models: string[];
  /** Default: `fal-jobs.catalog.json` beside the first manifest (or here, with models only). */
  out?: string;
  falKey: string;
  endpoints: FalEndpoints;
  fetch?: typeof fetch;
  now?: Date;
}

export interface CatalogUpdateResult {
  path: string;
  /** Entries written this time, sorted by id. */
  updated: RepoEntry[];
  /** Entries kept from the file as they were (models not asked about). */
  kept: number;
}

/** fal could not be asked, or did not know a model: nothing was written. */
export class CatalogUpdateError extends Error {}

export async function updateCatalog(req: CatalogUpdateRequest): Promise<CatalogUpdateResult> {
  const ids = new Set<string>();
  for (const file of req.manifests) for (const job of (await loadManifestFile(file)).jobs) ids.add(job.model);
  for (const id of req.models) {
    const problem = endpointIdProblem(id);
    if (problem) throw new UsageError(`--model ${id}: ${problem}`);
    ids.add(id);
  }
  if (ids.size === 0) throw new UsageError("no models to look up: give manifests with jobs, or --model ids");
  const wanted = [...ids].sort();
  const out = req.out ?? path.join(req.manifests[0] ? path.dirname(req.manifests[0]) : ".", REPO_CATALOG_FILE);
  const existing = await readRepoCatalogFile(out);

  const opts = { apiUrl: req.endpoints.apiUrl, key: req.falKey, fetch: req.fetch };
  const [prices, models] = await Promise.all([fetchLivePrices(wanted, opts), fetchModels(wanted, opts)]);
  if (prices.status !== "ok") throw new CatalogUpdateError(`fal's pricing API failed: ${prices.status === "failed" ? prices.error : prices.reason}; nothing was written`);
  if (models.status !== "ok") throw new CatalogUpdateError(`fal's model API failed: ${models.status === "failed" ? models.error : models.reason}; nothing was written`);

  const missing = wanted.filter((id) => !models.models.has(id));
  if (missing.length > 0) {
    const known = [...bundledCatalog().entries.keys(), ...models.models.keys()];
    const lines = missing.map((id) => {
      const guess = suggestModel(id, known.filter((k) => k !== id));
      return `${id}${guess ? ` (did you mean ${guess}?)` : ""}`;
    });
    throw new CatalogUpdateError(`fal's model API does not list ${lines.join(", ")}: fix the id${missing.length > 1 ? "s" : ""}; nothing was written`);
  }

  const checked = (req.now ?? new Date()).toISOString().slice(0, 10);
  const updated = wanted.map((id): RepoEntry => {
    const m = models.models.get(id)!;
    const price = prices.prices.get(id);
    return {
      endpoint_id: id,
      ...(m.display_name ? { display_name: m.display_name } : {}),
      ...(m.category ? { category: m.category } : {}),
      status: m.status,
      ...(m.replaced_by ? { replaced_by: m.replaced_by } : {}),
      price: price ? { unit: price.unit, unit_price: price.unit_price, currency: price.currency, source: callUrl(req.endpoints.apiUrl, "models/pricing", id), checked } : null,
      model: { source: callUrl(req.endpoints.apiUrl, "models", id), checked },
      ...(m.input_schema ? { input_schema: m.input_schema } : {}),
    };
  });
  const others = [...(existing?.entries.values() ?? [])].filter((e) => !ids.has(e.endpoint_id));
  const text = formatRepoCatalog({ schema: REPO_CATALOG_SCHEMA, updated: checked, entries: [...others, ...updated] });
  const before = await readFile(out, "utf8").catch(() => undefined);
  if (before !== text) await writeFileNoFollow(out, text);
  return { path: out, updated, kept: others.length };
}

/** The call a figure came from, without the key: where to look it up again. */
function callUrl(apiUrl: string, route: string, id: string): string {
  const url = new URL(`${apiUrl}/${route}`);
  url.searchParams.set("endpoint_id", id);
  return url.toString();
}
