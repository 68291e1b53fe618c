import { readFile } from "node:fs/promises";
import * as z from "zod/mini";
import { problemsAt } from "../manifest/load.js";
import type { CatalogEntry, InputSchema } from "./catalog-schema.js";
import { InputSchema as InputSchemaType } from "./catalog-schema.js";
import { sortKeys } from "../util/sort-keys.js";

/**
 * The repository catalog, `fal-jobs.catalog.json` beside the manifest: what `fal-jobs catalog update` read from
 * fal (with a key) for the models a repository uses — price and unit, status, input schema — committed so that
 * keyless checks (fork pull requests included) price and check those models exactly. It ranks above the bundled
 * catalog and below live prices and the manifest's `pricing:`. Written sorted and byte-stable, so a refresh
 * shows in a diff as the figures that changed.
 */

export const REPO_CATALOG_SCHEMA = "fal-jobs-catalog/v1";
export const REPO_CATALOG_FILE = "fal-jobs.catalog.json";

const date = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD"));

const RepoPrice = z.strictObject({
  /** fal's unit, as its pricing API spells it. */
  unit: z.string().check(z.minLength(1)),
  unit_price: z.number().check(z.nonnegative()),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
  /** The call it came from. */
  source: z.url(),
  checked: date,
});

const RepoEntry = z.strictObject({
  endpoint_id: z.string().check(z.minLength(3)),
  display_name: z.optional(z.string()),
  /** fal's category (`text-to-image`, …). */
  category: z.optional(z.string()),
  status: z.enum(["active", "deprecated"]),
  replaced_by: z.optional(z.string()),
  /** Null when fal's pricing API had no price for it. */
  price: z.nullable(RepoPrice),
  /** Where the status and input schema came from, and when. */
  model: z.strictObject({ source: z.url(), checked: date }),
  input_schema: z.optional(InputSchemaType),
});
export type RepoEntry = z.infer<typeof RepoEntry>;

export const RepoCatalogFile = z.strictObject({
  $schema: z.optional(z.string()),
  schema: z.literal(REPO_CATALOG_SCHEMA),
  /** When `catalog update` last wrote it. */
  updated: date,
  entries: z.array(RepoEntry),
});
export type RepoCatalogFile = z.infer<typeof RepoCatalogFile>;

export interface RepositoryCatalog {
  path: string;
  updated: string;
  entries: ReadonlyMap<string, RepoEntry>;
}

function indexRepoCatalog(file: RepoCatalogFile, path: string): RepositoryCatalog {
  return { path, updated: file.updated, entries: new Map(file.entries.map((e) => [e.endpoint_id, e])) };
}

/** The file's text: entries sorted by id, every object's keys sorted, two-space JSON with a final newline. */
export function formatRepoCatalog(file: RepoCatalogFile): string {
  const sorted = { ...file, entries: [...file.entries].sort((a, b) => (a.endpoint_id < b.endpoint_id ? -1 : a.endpoint_id > b.endpoint_id ? 1 : 0)) };
  return `${JSON.stringify(sortKeys(sorted), null, 2)}\n`;
}

/**
 * The entry the estimate measures with: the bundled entry where there is one (its unit rules, tiers and
 * defaults, backed by evidence), with fal's current defaults and input schema from the repository catalog;
 * otherwise one made from the repository entry alone, measured by the unit's default fields.
 */
export function measuringEntry(repo: RepoEntry, bundled: CatalogEntry | undefined): CatalogEntry {
  const schemaDefaults = defaultsOf(repo.input_schema);
  if (bundled) {
    const priceDefaults = Object.fromEntries(Object.entries(schemaDefaults).filter(([k]) => bundled.price_params.includes(k) || k in bundled.defaults));
    return { ...bundled, defaults: { ...bundled.defaults, ...priceDefaults }, input_schema: repo.input_schema ?? bundled.input_schema, status: repo.status, replaced_by: repo.replaced_by ?? bundled.replaced_by };
  }
  return {
    endpoint_id: repo.endpoint_id,
    category: "other",
    unit: repo.price?.unit ?? "units",
    unit_price: repo.price?.unit_price ?? null,
    price_params: Object.keys(schemaDefaults),
    defaults: schemaDefaults,
    source: { url: repo.price?.source ?? repo.model.source, kind: "fal-pricing-api", checked: repo.price?.checked ?? repo.model.checked },
    ...(repo.input_schema ? { input_schema: repo.input_schema } : {}),
    status: repo.status,
    ...(repo.replaced_by ? { replaced_by: repo.replaced_by } : {}),
  };
}

/** The scalar defaults of a schema's top-level properties (`image_size: "landscape_4_3"`, `num_images: 1`). */
function defaultsOf(schema: InputSchema | undefined): Record<string, unknown> {
  const props = schema?.properties;
  if (props === null || typeof props !== "object") return {};
  const out: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(props as Record<string, unknown>)) {
    const d = p !== null && typeof p === "object" ? (p as { default?: unknown }).default : undefined;
    if (d !== undefined && d !== null && typeof d !== "object") out[k] = d;
  }
  return out;
}

/** JSON Schema of the file, for editors and `fal-jobs schema catalog`. */
export function repoCatalogJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RepoCatalogFile, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
  return { ...schema, title: REPO_CATALOG_FILE, description: "The models a repository uses, as fal's APIs described them: written by `fal-jobs catalog update`, read by fal-jobs estimates." };
}

/**
 * Reads the repository catalog; undefined when there is none. A file that is not valid JSON or not a catalog is an
 * error with its position: silently pricing from the bundled catalog instead could under-estimate what the team
 * recorded.
 */
export async function readRepoCatalogFile(file: string): Promise<RepositoryCatalog | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw problemsAt("", file, [{ path: [], message: `cannot read the repository catalog: ${(err as Error).message}` }], "catalog");
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw problemsAt(text, file, [{ path: [], message: `not valid JSON (${(err as Error).message}): ${FIX}` }], "catalog");
  }
  const parsed = RepoCatalogFile.safeParse(data);
  if (!parsed.success) {
    throw problemsAt(
      text,
      file,
      parsed.error.issues.map((i) => ({ path: i.path.filter((p): p is string | number => typeof p !== "symbol"), message: `${i.message}: ${FIX}` })),
      "catalog",
    );
  }
  return indexRepoCatalog(parsed.data, file);
}

const FIX = "fix it, or write it again with `fal-jobs catalog update`";
