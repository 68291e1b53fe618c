import { checkInputs, type ModelSchema } from "../check/input-check.js";
import { checkModels, type KnownModel, type LiveModels } from "../check/model-check.js";
import { manifestProblems } from "../manifest/load.js";
import type { Manifest } from "../manifest/schema.js";
import type { Plan } from "../plan/expand.js";
import type { LoadedCatalog } from "../pricing/catalog.js";
import type { LivePricing } from "../pricing/prices.js";
import { measuringEntry, REPO_CATALOG_FILE, type RepositoryCatalog } from "../pricing/repo-catalog.js";

/**
 * The checks that run after the manifest is read and before anything is estimated or submitted: every job's
 * model id, and every run's input against its model's input schema where one is known. Problems are thrown as one
 * ManifestError positioned in the manifest (exit 2, nothing submitted); what only deserves a warning is returned.
 */

export interface ManifestChecks {
  warnings: string[];
  inputsChecked: string[];
  inputsUnchecked: Array<{ job: string; model: string }>;
}

export interface CheckSources {
  catalog: LoadedCatalog;
  repository?: RepositoryCatalog;
  live: LivePricing;
  liveModels: LiveModels;
}

export async function checkManifest(manifest: Manifest, plan: Plan, sources: CheckSources): Promise<ManifestChecks> {
  const known = knownModels(sources.catalog, sources.repository);
  const models = checkModels({
    jobs: manifest.jobs.map((j) => ({ model: j.model, pricedByManifest: Boolean(manifest.pricing?.[j.model]) || j.max_cost !== undefined })),
    known,
    livePriced: new Set(sources.live.status === "ok" ? sources.live.prices.keys() : []),
    live: sources.liveModels,
    repoCatalogFile: sources.repository?.path ?? REPO_CATALOG_FILE,
  });
  // A job whose model is unknown has no schema to check against: its model's error is the one to fix first.
  const inputs = await checkInputs(plan, (model) => schemaFor(model, sources));
  const problems = [...models.issues, ...inputs.issues];
  if (problems.length > 0) throw manifestProblems(manifest, problems);
  return { warnings: [...models.warnings, ...inputs.warnings], inputsChecked: inputs.checked, inputsUnchecked: inputs.unchecked };
}

/** Ids the catalogs list: the bundled one's (with aliases) and the repository's. */
function knownModels(catalog: LoadedCatalog, repository: RepositoryCatalog | undefined): Map<string, KnownModel> {
  const known = new Map<string, KnownModel>();
  for (const [id, e] of catalog.entries) known.set(id, { status: e.status, replaced_by: e.replaced_by });
  for (const [id, e] of repository?.entries ?? []) known.set(id, { status: e.status, replaced_by: e.replaced_by ?? catalog.entries.get(id)?.replaced_by });
  return known;
}

/** The input schema known for a model: the repository catalog's (fal's own, recent), the bundled one's, or fal's model API's. */
function schemaFor(model: string, sources: CheckSources): ModelSchema | undefined {
  const bundled = sources.catalog.entries.get(model);
  const repo = sources.repository?.entries.get(model);
  const entry = repo ? measuringEntry(repo, bundled) : bundled;
  const schema = entry?.input_schema ?? (sources.liveModels.status === "ok" ? sources.liveModels.models.get(model)?.input_schema : undefined);
  return schema ? { schema, priceParams: entry?.price_params ?? [] } : undefined;
}
