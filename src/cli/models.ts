import { bundledCatalog } from "../pricing/bundled-catalog.js";
import type { CatalogEntry } from "../pricing/catalog-schema.js";
import { formatUsd } from "../util/money.js";
import { flatten } from "../report/escape.js";
import type { Command } from "./command.js";
import { writeLines } from "./io.js";

/** `fal-jobs models`: the bundled catalog's models, their billing units and list prices, and the catalog's date. */

export const modelsCommand: Command = {
  name: "models",
  args: "[filter] [--json]",
  summary: "the price catalog's models, with their units and prices",
  description:
    "Lists the models of the bundled price catalog: fal's billing unit and list price per unit, the price tiers that\n" +
    "input parameters select, and the date the catalog was checked. A manifest may use any fal model; one the catalog\n" +
    "lacks is priced live (with FAL_KEY) or by the manifest's `pricing:`.",
  positionals: { filter: "only models whose id, alias or category contains this text (any case)" },
  maxPositionals: 1,
  options: { json: { type: "boolean", help: "print the catalog's entries as JSON, with every field (tiers, surcharges, sources)" } },
  notes: ["Exit codes: 0 listed, 1 no model matches the filter, 2 usage."],
  async run({ values, positionals }) {
    const catalog = bundledCatalog();
    const filter = positionals[0]?.toLowerCase();
    const all = [...new Set(catalog.entries.values())];
    const models = filter ? all.filter((e) => [e.endpoint_id, e.category, ...(e.aliases ?? [])].some((s) => s.toLowerCase().includes(filter))) : all;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ as_of: catalog.asOf, currency: "USD", models }, null, 2)}\n`);
      return models.length > 0 ? 0 : 1;
    }
    if (models.length === 0) {
      writeLines(process.stderr, `no model in the catalog (as of ${catalog.asOf}) matches "${flatten(positionals[0]!, 100)}"; fal-jobs models lists all ${all.length}`);
      return 1;
    }
    writeLines(process.stdout, renderModels(models, catalog.asOf, all.length));
    return 0;
  },
};

/** "$0.025", "$0.0004": a unit price keeps up to 6 decimals (it is multiplied; rounding it would hide that). */
function fmtUnitPrice(p: number): string {
  return `$${formatUsd(Math.round(p * 1e9))}`;
}

function renderModels(models: CatalogEntry[], asOf: string, total: number): string {
  const rows = [["MODEL", "KIND", "UNIT", "PRICE/UNIT", "BY INPUT"]];
  for (const e of models) rows.push([e.endpoint_id, e.category, e.unit, e.unit_price === null ? "-" : fmtUnitPrice(e.unit_price), byInput(e)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => [...row[i]!].length)));
  const line = (row: string[]) => row.map((c, i) => (i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const out = [`fal price catalog as of ${asOf}: ${models.length === total ? `${total} models` : `${models.length} of ${total} models`} (list prices; with FAL_KEY, estimates use your account's live prices)`, ""];
  out.push(line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line));
  const aliases = models.filter((e) => e.aliases?.length);
  if (aliases.length > 0) out.push("", "also known as:", ...aliases.map((e) => `  ${e.endpoint_id}: ${e.aliases!.join(", ")}`));
  if (models.some((e) => e.unit_price === null)) out.push("", "A model with no price (-) is billed by what it does (tokens, compute time): give its jobs `max_cost:` or `units:`.");
  return out.join("\n");
}

/** What the input changes about the price: tiers (their range, and the fields that pick one) and per-request surcharges. */
function byInput(e: CatalogEntry): string {
  const parts: string[] = [];
  if (e.tiers?.length) {
    const prices = [e.unit_price ?? Infinity, ...e.tiers.map((t) => t.unit_price)].filter(Number.isFinite);
    const fields = [...new Set(e.tiers.flatMap((t) => Object.keys(t.when)))];
    parts.push(`${fmtUnitPrice(Math.min(...prices))}–${fmtUnitPrice(Math.max(...prices))} by ${fields.join(", ")}`);
  }
  if (e.surcharges?.length) parts.push(`+ per request: ${e.surcharges.map((s) => `${fmtUnitPrice(s.per_request)} when ${Object.keys(s.when).join(", ")}`).join("; ")}`);
  return parts.join("; ") || "-";
}
