import type { $ZodIssue, $ZodType } from "zod/v4/core";
import { idFromFalUrl } from "./schema.js";
import { closest } from "../util/closest.js";

/**
 * zod's issues with a manifest, in the words a colleague would use: what is
 * wrong, what the value is, and how to fix it. zod's own wording ("expected
 * record, received string", "Too small: expected number to be >=1") never
 * reaches a person: the parse runs with UNWORDED as its error map, so every
 * issue the schema did not word itself arrives here with an empty message.
 */

/** One problem, located by its path in the data; `atKey` points at the key rather than its value. */
export interface PlainIssue {
  path: Array<string | number>;
  atKey?: boolean;
  message: string;
}

/** The parse's error map: leaves the issues the schema did not word itself empty, for `plainIssues` to word. */
export const UNWORDED = (): string => "";

export function plainIssues(issues: readonly $ZodIssue[], data: unknown, schema: $ZodType): PlainIssue[] {
  const out: Worded[] = [];
  for (const issue of issues) collect(issue, [], data, schema, out);
  // A missing key that the fix of another issue supplies (`modle:` → `model:`) is not a second problem.
  const covered = new Set(out.flatMap((i) => i.covers ?? []));
  return out.filter((i) => !(i.missing && covered.has(pathKey(i.path)))).map(({ path, atKey, message }) => ({ path, atKey, message }));
}

/** An issue as worded, with what its fix also takes care of. */
interface Worded extends PlainIssue {
  /** A required key that is not there. */
  missing?: boolean;
  /** Paths of missing keys the fix of this issue supplies. */
  covers?: string[];
}

const pathKey = (path: ReadonlyArray<string | number>) => JSON.stringify(path);

function collect(issue: $ZodIssue, base: Array<string | number>, data: unknown, schema: $ZodType, out: Worded[]): void {
  const path = [...base, ...issue.path.filter((p): p is string | number => typeof p !== "symbol")];
  const value = valueAt(data, path);
  switch (issue.code) {
    case "unrecognized_keys":
      for (const key of issue.keys) out.push({ path: [...path, key], atKey: true, ...unknownKey(path, key, data, schema) });
      return;
    case "invalid_union": {
      // Each alternative that is not simply the wrong type says what is wrong with the value as written.
      const fitting = issue.errors.filter((branch) => !(branch.length === 1 && branch[0]!.code === "invalid_type" && branch[0]!.path.length === 0));
      if (fitting.length === 1) for (const inner of fitting[0]!) collect(inner, path, data, schema, out);
      else out.push({ path, message: issue.message || unionMessage(path, value) });
      return;
    }
    case "invalid_key": {
      const why = issue.issues.map((i) => i.message).find(Boolean) ?? "it is not a valid name here";
      out.push({ path, atKey: true, message: `the name ${code(String(path.at(-1)))} is not allowed: ${why}` });
      return;
    }
    default: {
      // A model's page URL pasted as its id: say which id that is.
      const fromUrl = issue.code === "invalid_format" && typeof value === "string" ? idFromFalUrl(value) : undefined;
      if (fromUrl) {
        out.push({ path, message: `this is the model's page on fal.ai, not its id: write \`${fromUrl}\`` });
        return;
      }
      out.push({ path, message: issue.message || describe(issue, path, value, schema), missing: issue.code === "invalid_type" && value === undefined });
    }
  }
}

function describe(issue: $ZodIssue, path: Array<string | number>, value: unknown, schema: $ZodType): string {
  switch (issue.code) {
    case "invalid_type":
      return value === undefined ? missing(path) : wrongType(issue.expected === "number" && isInt(schema, path) ? "int" : issue.expected, path, value);
    case "too_small":
    case "too_big":
      return outOfRange(issue, value);
    case "invalid_value":
      return `must be ${oneOf(issue.values.map((v) => code(String(v))))}, not ${shown(value)}`;
    case "not_multiple_of":
      return `must be a multiple of ${String(issue.divisor)}, not ${shown(value)}`;
    default:
      return `${shown(value)} is not a valid value here`;
  }
}

/** What to add when a required key is missing, with a value that would do. */
const REQUIRED_EXAMPLES: Record<string, string> = {
  id: "`id: hero` (a unique name for the job)",
  model: "`model: fal-ai/flux/dev` (the fal endpoint id)",
  jobs: "`jobs:` with at least one job, each starting `- id: …` with `model: …` beneath it",
  limit: "`limit: 5` (USD)",
  unit: "`unit: images` (fal's billing unit for the model)",
  unit_price: "`unit_price: 0.035` (USD per unit)",
};

function missing(path: Array<string | number>): string {
  const field = String(path.at(-1) ?? "value");
  return `missing: add ${REQUIRED_EXAMPLES[field] ?? `\`${field}: …\``}`;
}

const NOUNS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list (`- item` lines, or `[a, b]`)",
  record: "a map of `key: value` entries",
  object: "a map of `key: value` entries",
};

function wrongType(expected: string, path: Array<string | number>, value: unknown): string {
  const field = path.at(-1);
  const noun = NOUNS[expected] ?? expected;
  if (path.length === 0) return `the manifest must be a map with \`version: 1\` and \`jobs:\`, not ${shown(value)}`;
  if (path.length === 1 && field === "jobs" && isRecord(value)) return jobsAsMap(value);
  if (value === null) return `has no value: give it ${noun}${expected === "record" || expected === "object" ? " (indent its keys under it)" : ""}`;
  if (expected === "array" && !Array.isArray(value) && !isRecord(value)) return `must be a list, not ${shown(value)}: write \`[${flow(value)}]\``;
  if ((expected === "record" || expected === "object") && field === "input" && typeof value === "string") {
    return `must be a map of the model's input fields, not ${shown(value)}: write \`input: {prompt: ${JSON.stringify(value)}}\``;
  }
  if ((expected === "number" || expected === "int") && typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return `must be ${noun}, not the text ${JSON.stringify(value)}: remove the quotes`;
  }
  if (expected === "int" && typeof value === "number") return `must be a whole number, not ${value}`;
  return `must be ${noun}, not ${shown(value)}`;
}

/** `jobs:` written as a map (`hero: {model: …}`, or one job's keys without the `- `) instead of a list. */
function jobsAsMap(value: Record<string, unknown>): string {
  const keys = Object.keys(value);
  if (keys.some((k) => k === "id" || k === "model")) {
    const id = typeof value.id === "string" ? value.id : "hero";
    return `must be a list of jobs: put \`- \` before the first key of each job (\`- id: ${id}\`), and indent the job's other keys to line up with \`id:\``;
  }
  const first = keys[0] ?? "hero";
  return `must be a list of jobs, not a map: write \`- id: ${first}\` instead of \`${first}:\`, with the job's keys indented to line up with \`id:\``;
}

function outOfRange(issue: $ZodIssue & { code: "too_small" | "too_big" }, value: unknown): string {
  const small = issue.code === "too_small";
  const limit = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === "array") return small ? `needs at least ${limit} entr${limit === 1 ? "y" : "ies"}` : `may have at most ${limit} entries`;
  if (issue.origin === "string") return small ? (limit === 1 ? "must not be empty" : `must be at least ${limit} characters`) : `must be at most ${limit} characters`;
  const bound = small ? (issue.inclusive ? `at least ${limit}` : `more than ${limit}`) : issue.inclusive ? `at most ${limit}` : `less than ${limit}`;
  return `must be ${bound}, not ${shown(value)}`;
}

function unionMessage(path: Array<string | number>, value: unknown): string {
  const field = path.at(-1);
  if (field === "budget") return `must be a number in USD (5 or 12.50) or a map {limit, per_job_limit, warn_at, unknown_price}, not ${shown(value)}`;
  if (field === "timeout") return `must be seconds (600) or a duration (30s, 10m, 1h30m), not ${shown(value)}`;
  return `${shown(value)} is not a valid value here`;
}

function unknownKey(path: Array<string | number>, key: string, data: unknown, schema: $ZodType): { message: string; covers?: string[] } {
  const allowed = allowedKeys(schema, path);
  const guess = closest(key, allowed);
  if (guess) return { message: `unknown key ${code(key)} — did you mean ${code(guess)}?`, covers: [pathKey([...path, guess])] };
  const isJob = path.length === 2 && path[0] === "jobs";
  if (isJob && wrapsJob(valueAt(data, [...path, key]))) {
    return {
      message: `unknown key ${code(key)}: it wraps a job's keys. Write \`- id: ${key}\` instead of \`- ${key}:\`, with the job's other keys lined up under \`id:\``,
      // Its id and model are in there: the job is missing nothing else.
      covers: [pathKey([...path, "id"]), pathKey([...path, "model"])],
    };
  }
  if (isJob) return { message: `unknown key ${code(key)}: a job's own keys are ${allowed.join(", ")}; if it is for the model, put it under \`input:\`` };
  return { message: allowed.length ? `unknown key ${code(key)}: the keys here are ${allowed.join(", ")}` : `unknown key ${code(key)}: remove it` };
}

/** The value of a job's unknown key that holds the job's own keys (`- hero: {model: …}`). */
function wrapsJob(value: unknown): boolean {
  return isRecord(value) && ("model" in value || "input" in value);
}

/** The keys the schema allows in the object at `path`, for "did you mean" and lists of what is allowed. */
function allowedKeys(schema: $ZodType, path: Array<string | number>): string[] {
  const def = defOf(objectOrSelf(schemaAt(schema, path)));
  return def.type === "object" ? Object.keys(def.shape ?? {}).filter((k) => !k.startsWith("$")) : [];
}

/** The schema of the value at `path` (the object alternative where a union allows one). */
function schemaAt(schema: $ZodType, path: Array<string | number>): $ZodType | undefined {
  let node: $ZodType | undefined = schema;
  for (const segment of path) {
    const def = defOf(objectOrSelf(node));
    node =
      def.type === "array" && typeof segment === "number" ? def.element
      : def.type === "object" ? def.shape?.[String(segment)]
      : def.type === "record" ? def.valueType
      : undefined;
  }
  return node;
}

interface SchemaDef {
  type?: string;
  format?: string;
  innerType?: $ZodType;
  element?: $ZodType;
  valueType?: $ZodType;
  shape?: Record<string, $ZodType>;
  options?: $ZodType[];
}

function defOf(schema: $ZodType | undefined): SchemaDef {
  let def = (schema?._zod.def ?? {}) as SchemaDef;
  while (def.innerType) def = def.innerType._zod.def as SchemaDef;
  return def;
}

/** A whole number in the schema: zod says "expected number" for `repeat: "3"`, but a person needs to hear "whole". */
function isInt(schema: $ZodType, path: Array<string | number>): boolean {
  const format = defOf(schemaAt(schema, path)).format;
  return format === "safeint" || format === "int32";
}

/** The object alternative of a union (a budget is a number or an object), else the schema itself. */
function objectOrSelf(schema: $ZodType | undefined): $ZodType | undefined {
  const def = defOf(schema);
  return def.type === "union" ? def.options?.find((o) => defOf(o).type === "object") : schema;
}

function valueAt(data: unknown, path: ReadonlyArray<string | number>): unknown {
  let v = data;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = Object.hasOwn(v, p) ? (v as Record<string | number, unknown>)[p] : undefined;
  }
  return v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A value as a person would describe what they wrote. */
function shown(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "empty";
  if (typeof value === "string") return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  return String(value);
}

/** A scalar as YAML flow text, for a suggested fix. */
function flow(value: unknown): string {
  return typeof value === "string" && !/^[\w./-]+$/.test(value) ? JSON.stringify(value) : String(value);
}

const code = (s: string) => `\`${s}\``;

function oneOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}
