import { UsageError } from "../errors.js";
import { lockJsonSchema } from "../lock/schema.js";
import { manifestJsonSchema } from "../manifest/schema.js";
import { reportJsonSchema } from "../report/schema.js";
import type { Command } from "./command.js";

const SCHEMAS = { manifest: manifestJsonSchema, report: reportJsonSchema, lock: lockJsonSchema } as const;

export const schemaCommand: Command = {
  name: "schema",
  args: "[manifest|report|lock]",
  summary: "print a JSON Schema: manifest (default), report or lock",
  description: "Prints a JSON Schema: the manifest's (for editor completion: `# yaml-language-server: $schema=…`), the report's\n(fal-jobs-report/v1) or the lock's.",
  positionals: { which: "manifest (default), report or lock" },
  maxPositionals: 1,
  options: {},
  notes: ["Exit codes: 0 printed, 2 usage."],
  async run({ positionals }) {
    const which = positionals[0] ?? "manifest";
    if (!Object.hasOwn(SCHEMAS, which)) throw new UsageError(`schema takes manifest, report or lock (got "${which}")`);
    process.stdout.write(`${JSON.stringify(SCHEMAS[which as keyof typeof SCHEMAS](), null, 2)}\n`);
    return 0;
  },
};
