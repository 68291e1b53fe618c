import catalogJson from "./catalog.json" with { type: "json" };
import type { Catalog } from "./catalog-schema.js";
import { indexCatalog, type LoadedCatalog } from "./catalog.js";

let cached: LoadedCatalog | undefined;

/**
 * The catalog shipped in the bundle. It is a build-time constant, so the test
 * suite (which gates every build) validates it against `Catalog` and checks
 * that validation changes nothing; each run does not pay to validate it again.
 */
export function bundledCatalog(): LoadedCatalog {
  cached ??= indexCatalog(catalogJson as Catalog);
  return cached;
}
