import type { ErrorObject, ValidateFunction } from "ajv";
import { closest, editDistance } from "../manifest/schema-issues.js";
import type { Plan } from "../plan/expand.js";
import type { InputSchema } from "../pricing/catalog-schema.js";
import type { CheckIssue } from "./model-check.js";

/**
 * Each run's input checked against its model's input schema, where one is known, before anything is estimated or
 * submitted: unknown keys (with the key most likely meant), types, enums, ranges, required fields. A matrix's
 * inputs are checked after substitution, and reported at the template in the manifest with the combinations
 * that fail. fal ignores keys it does not read, so a typo there (`num_image`) would silently change what runs and
 * what it costs; a wrong enum is a 422 that fal may still bill.
 *
 * The validator (ajv) loads only when some job has a schema: a manifest of models without one starts no faster
 * or slower than before.
 */

export interface ModelSchema {
  schema: InputSchema;
  /** Names of inputs that change the price: near-misses of these are errors even where the schema is partial. */
  priceParams: readonly string[];
}

export interface InputCheck {
  issues: CheckIssue[];
  warnings: string[];
  /** Jobs whose inputs were checked. */
  checked: string[];
  /** Jobs whose model has no known input schema. */
  unchecked: Array<{ job: string; model: string }>;
}

/** How many failing matrix combinations an issue names before "and N more". */
const SHOWN_COMBOS = 3;

export async function checkInputs(plan: Plan, schemaFor: (model: string) => ModelSchema | undefined): Promise<InputCheck> {
  const out: InputCheck = { issues: [], warnings: [], checked: [], unchecked: [] };
  const todo = plan.jobs.map((job) => ({ job, schema: schemaFor(job.model) }));
  if (!todo.some((t) => t.schema)) {
    out.unchecked = plan.jobs.map((j) => ({ job: j.id, model: j.model }));
    return out;
  }
  const compile = await validatorFactory();
  const compiled = new Map<string, ValidateFunction | Error>();
  for (const { job, schema } of todo) {
    if (!schema) {
      out.unchecked.push({ job: job.id, model: job.model });
      continue;
    }
    let validate = compiled.get(job.model);
    if (!validate) {
      try {
        validate = compile(schema.schema);
      } catch (err) {
        validate = err as Error;
      }
      compiled.set(job.model, validate);
    }
    if (validate instanceof Error) {
      out.warnings.push(`the input schema known for ${job.model} could not be read (${validate.message}); ${job.id}'s inputs were not checked`);
      out.unchecked.push({ job: job.id, model: job.model });
      continue;
    }
    out.checked.push(job.id);
    // One issue per place and problem, naming the combinations that have it.
    const found = new Map<string, { issue: CheckIssue; labels: string[]; templated: boolean }>();
    for (const variant of job.variants) {
      const input = variant.input;
      if (!validate(input)) {
        for (const problem of wordErrors(validate.errors ?? [], input, schema.schema, job.model)) {
          const path = ["jobs", job.index, "input", ...problem.path];
          const key = `${JSON.stringify(path)}\0${problem.message}`;
          const seen = found.get(key) ?? { issue: { path, atKey: problem.atKey, message: problem.message }, labels: [], templated: isTemplated(job.spec.input, problem.path) };
          seen.labels.push(variant.label);
          found.set(key, seen);
        }
      }
      for (const w of nearMisses(input, schema, job.model)) {
        if (w.error) {
          const path = ["jobs", job.index, "input", w.key];
          const key = `${JSON.stringify(path)}\0${w.message}`;
          if (!found.has(key)) found.set(key, { issue: { path, atKey: true, message: w.message }, labels: [variant.label], templated: false });
        } else out.warnings.push(`${job.id}: ${w.message}`);
      }
    }
    for (const { issue, labels, templated } of found.values()) {
      const named = labels.filter(Boolean);
      if (templated && named.length > 0 && named.length < job.variants.length) {
        const shown = named.slice(0, SHOWN_COMBOS).join("; ");
        issue.message = `with ${shown}${named.length > SHOWN_COMBOS ? ` and ${named.length - SHOWN_COMBOS} more combination(s)` : ""}: ${issue.message}`;
      }
      out.issues.push(issue);
    }
  }
  out.warnings = [...new Set(out.warnings)];
  return out;
}

type Compile = (schema: InputSchema) => ValidateFunction;

let factory: Promise<Compile> | undefined;

/** ajv, loaded on first use. Formats are not checked (fal's `format: uri` on a data URI would be a false alarm). */
function validatorFactory(): Promise<Compile> {
  factory ??= import("ajv").then((mod) => {
    // ajv is CommonJS: in the bundle its exports arrive as the module's default.
    const Ajv = mod.Ajv ?? (mod as unknown as { default: typeof mod }).default.Ajv;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, verbose: true });
    return (schema) => ajv.compile(schema);
  });
  return factory;
}

interface Worded {
  path: Array<string | number>;
  atKey?: boolean;
  message: string;
}

/** ajv's errors in the words a person needs, one per problem, at the value's path within the input. */
function wordErrors(errors: readonly ErrorObject[], input: unknown, root: InputSchema, model: string): Worded[] {
  const unions = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  const out: Worded[] = [];
  for (const e of errors) {
    const at = pointer(e.instancePath, input);
    const union = unions.find((u) => u !== e && isWithin(e.instancePath, u.instancePath));
    if (union) {
      // A branch's own complaint: the union speaks for the value, unless the value is a map or list whose own
      // fields are wrong (`image_size: {width: "x"}`), where the deeper problem is the useful one.
      const unionValue = valueAt(input, pointer(union.instancePath, input));
      const deeper = e.instancePath.length > union.instancePath.length;
      if (!(deeper && unionValue !== null && typeof unionValue === "object")) continue;
    }
    if ((e.keyword === "anyOf" || e.keyword === "oneOf") && hasDeeperErrors(errors, e, input)) continue;
    const worded = word(e, at, valueAt(input, at), root, model);
    if (worded) out.push(worded);
  }
  return out;
}

function hasDeeperErrors(errors: readonly ErrorObject[], union: ErrorObject, input: unknown): boolean {
  const v = valueAt(input, pointer(union.instancePath, input));
  return v !== null && typeof v === "object" && errors.some((e) => e.instancePath.length > union.instancePath.length && isWithin(e.instancePath, union.instancePath));
}

const isWithin = (path: string, parent: string) => path === parent || path.startsWith(`${parent}/`);

function word(e: ErrorObject, at: Array<string | number>, value: unknown, root: InputSchema, model: string): Worded | undefined {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return { path: at, message: `missing \`${String(p.missingProperty)}\`: ${model} requires it` };
    case "additionalProperties": {
      const key = String(p.additionalProperty);
      const allowed = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
      const guess = closest(key, allowed);
      const tail = guess ? ` — did you mean \`${guess}\`?` : allowed.length ? `: its inputs are ${list(allowed, 20)}` : "";
      return { path: [...at, key], atKey: true, message: `unknown input \`${key}\` for ${model} (fal would ignore it)${tail}` };
    }
    case "enum": {
      const allowed = (p.allowedValues as unknown[]) ?? [];
      const quoted = typeof value !== "string" && allowed.includes(String(value)) ? `: write it quoted, "${String(value)}"` : "";
      return { path: at, message: `must be ${oneOf(allowed.map(show))}, not ${show(value)}${quoted}` };
    }
    case "const":
      return { path: at, message: `must be ${show(p.allowedValue)}, not ${show(value)}` };
    case "type": {
      const expected = String(p.type).split(",");
      // fal's models coerce numeric text to numbers: "2" for an integer is not a mistake fal would refuse.
      if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)) && expected.some((t) => t === "number" || (t === "integer" && Number.isInteger(Number(value))))) return undefined;
      return { path: at, message: `must be ${oneOf(expected.map(noun))}, not ${show(value)}` };
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const bound = { minimum: "at least", maximum: "at most", exclusiveMinimum: "more than", exclusiveMaximum: "less than" }[e.keyword];
      return { path: at, message: `must be ${bound} ${String(p.limit)}, not ${show(value)}` };
    }
    case "multipleOf":
      return { path: at, message: `must be a multiple of ${String(p.multipleOf)}, not ${show(value)}` };
    case "minLength":
      return { path: at, message: Number(p.limit) === 1 ? "must not be empty" : `must be at least ${String(p.limit)} characters` };
    case "maxLength":
      return { path: at, message: `must be at most ${String(p.limit)} characters` };
    case "minItems":
      return { path: at, message: `needs at least ${String(p.limit)} item(s)` };
    case "maxItems":
      return { path: at, message: `may have at most ${String(p.limit)} item(s)` };
    case "pattern":
      return { path: at, message: `${show(value)} does not have the form ${model} expects (${String(p.pattern)})` };
    case "anyOf":
    case "oneOf": {
      const branches = ((e.schema as unknown[]) ?? []).map((b) => describe(resolve(b, root), root)).filter(Boolean);
      return { path: at, message: branches.length ? `must be ${oneOf([...new Set(branches)])}, not ${show(value)}` : `${show(value)} is not a valid value here` };
    }
    default:
      return { path: at, message: `${show(value)} is not a valid value here (${e.message ?? e.keyword})` };
  }
}

/** A branch of a union, as a person would name what it accepts. */
function describe(schema: unknown, root: InputSchema): string {
  if (schema === null || typeof schema !== "object") return "";
  const s = schema as { enum?: unknown[]; const?: unknown; type?: string | string[]; properties?: object; anyOf?: unknown[] };
  if (s.enum) return oneOf(s.enum.map(show));
  if (s.const !== undefined) return show(s.const);
  if (s.anyOf) return oneOf(s.anyOf.map((b) => describe(resolve(b, root), root)).filter(Boolean));
  if (s.type === "object" && s.properties) return `a map {${Object.keys(s.properties).join(", ")}}`;
  if (s.type) return oneOf((Array.isArray(s.type) ? s.type : [s.type]).map(noun));
  return "";
}

/** A local `$ref` (`#/$defs/X`) resolved against the root schema; anything else as it is. */
function resolve(schema: unknown, root: InputSchema): unknown {
  const ref = (schema as { $ref?: unknown } | null)?.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return schema;
  let node: unknown = root;
  for (const seg of ref.slice(2).split("/")) node = (node as Record<string, unknown> | undefined)?.[seg.replace(/~1/g, "/").replace(/~0/g, "~")];
  return node ?? schema;
}

/**
 * Keys a partial schema does not list that are a letter or two from one it does (`num_image`): an error when the
 * listed one changes the price (the typo would change the cost silently), else a warning, since the model may
 * have inputs the catalog does not list.
 */
function nearMisses(input: Record<string, unknown>, schema: ModelSchema, model: string): Array<{ key: string; message: string; error: boolean }> {
  const s = schema.schema as { properties?: object; additionalProperties?: unknown };
  if (s.additionalProperties === false || !s.properties) return [];
  const listed = Object.keys(s.properties);
  const out: Array<{ key: string; message: string; error: boolean }> = [];
  for (const key of Object.keys(input)) {
    if (listed.includes(key) || key.length < 4) continue;
    const guess = listed.find((l) => l.length >= 4 && editDistance(key.toLowerCase(), l.toLowerCase()) <= 2);
    if (!guess) continue;
    const error = schema.priceParams.includes(guess);
    out.push({
      key,
      error,
      message: `unknown input \`${key}\` for ${model} — did you mean \`${guess}\`?${error ? ` (\`${guess}\` sets the price; fal would ignore \`${key}\`)` : " (the catalog lists only some of this model's inputs, so this is not an error)"}`,
    });
  }
  return out;
}

/** Whether the manifest wrote a `${{ … }}` template at, or above, this path of the input. */
function isTemplated(input: unknown, path: ReadonlyArray<string | number>): boolean {
  let v = input;
  for (let i = 0; ; i++) {
    if (typeof v === "string") return v.includes("${{");
    if (i >= path.length || v === null || typeof v !== "object") return false;
    v = (v as Record<string | number, unknown>)[path[i]!];
  }
}

/** A JSON pointer (`/image_size/width`) as a path, numbers where the data has a list. */
function pointer(ptr: string, data: unknown): Array<string | number> {
  if (ptr === "") return [];
  const out: Array<string | number> = [];
  let v = data;
  for (const raw of ptr.slice(1).split("/")) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const key = Array.isArray(v) && /^\d+$/.test(seg) ? Number(seg) : seg;
    out.push(key);
    v = v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[key] : undefined;
  }
  return out;
}

function valueAt(data: unknown, path: ReadonlyArray<string | number>): unknown {
  let v = data;
  for (const p of path) v = v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

const NOUNS: Record<string, string> = { string: "text", number: "a number", integer: "a whole number", boolean: "true or false", array: "a list", object: "a map", null: "empty" };
const noun = (t: string) => NOUNS[t] ?? t;

function show(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "empty";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a map";
  return String(v);
}

function oneOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

function list(items: string[], max: number): string {
  return items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}
