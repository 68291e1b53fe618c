import { UsageError } from "../errors.js";
import { falEndpointsFromEnv } from "../adapters/fal/endpoints.js";
import { CatalogUpdateError, updateCatalog } from "../flows/catalog-update.js";
import type { Command } from "./command.js";
import { keyFrom, writeLines } from "./io.js";

export const catalogUpdateCommand: Command = {
  name: "catalog update",
  args: "[manifest…] [options]",
  summary: "record fal's prices and input schemas of your models (needs FAL_KEY)",
  description:
    "Asks fal's pricing and model APIs about every model of the manifests and each --model, and writes their price, unit,\n" +
    "status and input schema to fal-jobs.catalog.json beside the first manifest, keeping its entries for other models.\n" +
    "Commit it: estimates without a key (pull requests, forks) then price and check those models as fal described them.",
  positionals: { manifest: "manifests whose models to ask about (default fal-jobs.yaml unless --model is given)" },
  maxPositionals: Infinity,
  options: {
    model: { type: "string", multiple: true, value: "ID", help: "a model to ask about as well (repeatable)" },
    out: { type: "string", value: "FILE", help: "where to write the catalog (default fal-jobs.catalog.json beside the first manifest)" },
  },
  notes: ["Environment: FAL_KEY (required).", "Exit codes: 0 written, 1 fal could not be asked or does not list a model (nothing written), 2 usage, 3 internal error."],
  async run({ values, positionals }, env) {
    const falKey = keyFrom(env, "FAL_KEY");
    if (!falKey) throw new UsageError("catalog update asks fal's pricing API, which needs a key: set FAL_KEY");
    const models = (values.model as string[] | undefined) ?? [];
    const manifests = positionals.length > 0 || models.length > 0 ? positionals : ["fal-jobs.yaml"];
    try {
      const result = await updateCatalog({ manifests, models, out: values.out as string | undefined, falKey, endpoints: falEndpointsFromEnv(env) });
      for (const e of result.updated) {
        const price = e.price ? `$${e.price.unit_price} per ${e.price.unit}` : "no price from fal's pricing API";
        writeLines(process.stdout, `${e.endpoint_id}: ${price}; ${e.status}; ${e.input_schema ? "input schema" : "no input schema"}`);
      }
      writeLines(process.stdout, `wrote ${result.path}: ${result.updated.length} model(s) from fal${result.kept ? `, ${result.kept} kept as they were` : ""}. Commit it.`);
      return 0;
    } catch (err) {
      if (!(err instanceof CatalogUpdateError)) throw err;
      writeLines(process.stderr, `fal-jobs: ${err.message}`);
      return 1;
    }
  },
};
