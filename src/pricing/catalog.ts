import type { Catalog, CatalogEntry } from "./catalog-schema.js";

export interface LoadedCatalog {
  asOf: string;
  entries: ReadonlyMap<string, CatalogEntry>;
  size: number;
}

/** Indexes a catalog by endpoint id and by each alias. */
export function indexCatalog(catalog: Catalog): LoadedCatalog {
  const entries = new Map<string, CatalogEntry>();
  for (const e of catalog.entries) {
    entries.set(e.endpoint_id, e);
    for (const a of e.aliases ?? []) entries.set(a, e);
  }
  return { asOf: catalog.as_of, entries, size: catalog.entries.length };
}
