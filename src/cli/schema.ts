import { UsageError } from "../errors.js";
import { lockJsonSchema } from "../lock/schema.js";
import { manifestJsonSchema } from "../manifest/schema.js";
import { reportJsonSchema } from "../report/schema.js";
import { repoCatalogJsonSchema } from "../pricing/repo-catalog.js";
import { bundledCatalog } from "../pricing/bundled-catalog.js";
import type { Command } from "./command.js";

// The manifest's offers the bundled catalog's model ids as suggestions to editors.
const SCHEMAS = { manifest: () => manifestJsonSchema({ modelIds: [...bundledCatalog().entries.keys()] }), report: reportJsonSchema, lock: lockJsonSchema, catalog: repoCatalogJsonSchema } as const;

export const schemaCommand: Command = {
  name: "schema",
  args: "[manifest|report|lock|catalog]",
  summary: "print a JSON Schema: manifest (default), report, lock or catalog",
  description: "Prints a JSON Schema: the manifest's (for editor completion: `# yaml-language-server: $schema=…`), the report's\n(fal-jobs-report/v1), the lock's or the repository catalog's.",
  positionals: { which: "manifest (default), report, lock or catalog" },
  maxPositionals: 1,
  options: {},
  notes: ["Exit codes: 0 printed, 2 usage."],
  async run({ positionals }) {
    const which = positionals[0] ?? "manifest";
    if (!Object.hasOwn(SCHEMAS, which)) throw new UsageError(`schema takes manifest, report, lock or catalog (got "${which}")`);
    process.stdout.write(`${JSON.stringify(SCHEMAS[which as keyof typeof SCHEMAS](), null, 2)}\n`);
    return 0;
  },
};
