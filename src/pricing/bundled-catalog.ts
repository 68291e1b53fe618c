import catalogJson from "./catalog.json" with { type: "json" };
import { Catalog } from "./catalog-schema.js";
import { indexCatalog, type LoadedCatalog } from "./catalog.js";

let cached: LoadedCatalog | undefined;

/** The catalog shipped in the bundle, validated once. A broken catalog is a build bug, so it throws. */
export function bundledCatalog(): LoadedCatalog {
  cached ??= indexCatalog(Catalog.parse(catalogJson));
  return cached;
}
