import type { OutputUnit, Validator } from "@cfworker/json-schema";
import { closest, editDistance } from "../util/closest.js";
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
 * The validator (@cfworker/json-schema: it interprets a schema rather than compiling one to code, so checking a
 * handful of inputs costs next to nothing at start-up) loads only when some job has a schema.
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
  const compiled = new Map<string, Validator | Error>();
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
    const record = (problems: Worded[], label: string) => {
      for (const problem of problems) {
        const path = ["jobs", job.index, "input", ...problem.path];
        const key = `${JSON.stringify(path)}\0${problem.message}`;
        const seen = found.get(key) ?? { issue: { path, atKey: problem.atKey, message: problem.message }, labels: [], templated: isTemplated(job.spec.input, problem.path) };
        seen.labels.push(label);
        found.set(key, seen);
      }
    };
    // The first run's input is checked whole; the others differ from it only where the manifest wrote a template, so
    // only those fields are checked again, each distinct value once: a 100,000-run matrix costs a few lookups a run.
    const [first, ...rest] = job.variants;
    if (first) {
      const result = validate.validate(first.input);
      if (!result.valid) record(wordErrors(result.errors, first.input, schema.schema, job.model), first.label);
      for (const w of nearMisses(first.input, schema, job.model)) {
        if (w.error) record([{ path: [w.key], atKey: true, message: w.message }], first.label);
        else out.warnings.push(`${job.id}: ${w.message}`);
      }
    }
    const fields = [...templatedFields(job.spec.input)].map((key) => fieldChecker(key, schema.schema, job.model, compile));
    for (const variant of rest) for (const check of fields) record(check(variant.input[check.key]), variant.label);
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

type Compile = (schema: InputSchema) => Validator;

let factory: Promise<Compile> | undefined;

/** The validator, loaded on first use. Formats are not checked (fal's `format: uri` on a data URI would be a false alarm). */
function validatorFactory(): Promise<Compile> {
  factory ??= import("@cfworker/json-schema").then(({ Validator }) => (schema) => new Validator(schema as object, "2020-12", false));
  return factory;
}

interface Worded {
  path: Array<string | number>;
  atKey?: boolean;
  message: string;
}

/** Keywords whose errors only say that something beneath them failed: the failure beneath is the one to report. */
const WRAPPERS = new Set(["properties", "patternProperties", "$ref", "$dynamicRef", "items", "prefixItems", "allOf", "false", "dependentSchemas", "unevaluatedProperties", "if", "then", "else"]);

/** The validator's errors in the words a person needs, one per problem, at the value's path within the input. */
function wordErrors(errors: readonly OutputUnit[], input: unknown, root: InputSchema, model: string): Worded[] {
  const unions = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  const out: Worded[] = [];
  for (const e of errors) {
    if (WRAPPERS.has(e.keyword)) continue;
    const at = pointer(e.instanceLocation, input);
    const union = unions.find((u) => u !== e && e.keywordLocation.startsWith(`${u.keywordLocation}/`));
    if (union) {
      // A branch's own complaint: the union speaks for the value, unless the value is a map or list whose own
      // fields are wrong (`image_size: {width: "x"}`), where the deeper problem is the useful one.
      const unionValue = valueAt(input, pointer(union.instanceLocation, input));
      const deeper = e.instanceLocation.length > union.instanceLocation.length;
      if (!(deeper && unionValue !== null && typeof unionValue === "object")) continue;
    }
    if ((e.keyword === "anyOf" || e.keyword === "oneOf") && hasDeeperErrors(errors, e, input)) continue;
    out.push(...word(e.keyword, schemaAt(root, e.keywordLocation), at, valueAt(input, at), root, model));
  }
  return out;
}

function hasDeeperErrors(errors: readonly OutputUnit[], union: OutputUnit, input: unknown): boolean {
  const v = valueAt(input, pointer(union.instanceLocation, input));
  return v !== null && typeof v === "object" && errors.some((e) => !WRAPPERS.has(e.keyword) && e.keywordLocation.startsWith(`${union.keywordLocation}/`) && e.instanceLocation.length > union.instanceLocation.length);
}

/** The schema object that holds the keyword at `keywordLocation` (`#/properties/x/$ref/maximum`), following `$ref`s. */
function schemaAt(root: InputSchema, keywordLocation: string): Record<string, unknown> {
  const segments = keywordLocation.replace(/^#\/?/, "").split("/").filter(Boolean).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  let node: unknown = root;
  for (const seg of segments.slice(0, -1)) {
    if (seg === "$ref") node = resolve(node, root);
    else node = (node as Record<string, unknown> | undefined)?.[seg];
  }
  return node !== null && typeof node === "object" ? (node as Record<string, unknown>) : {};
}

function word(keyword: string, s: Record<string, unknown>, at: Array<string | number>, value: unknown, root: InputSchema, model: string): Worded[] {
  switch (keyword) {
    case "required": {
      const present = value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
      return ((s.required as string[] | undefined) ?? []).filter((k) => !(k in present)).map((k) => ({ path: at, message: `missing \`${k}\`: ${model} requires it` }));
    }
    case "additionalProperties": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
      const allowed = Object.keys((s.properties as object | undefined) ?? {});
      return Object.keys(value)
        .filter((key) => !allowed.includes(key))
        .map((key) => {
          const guess = closest(key, allowed);
          const tail = guess ? ` — did you mean \`${guess}\`?` : allowed.length ? `: its inputs are ${list(allowed, 20)}` : "";
          return { path: [...at, key], atKey: true, message: `unknown input \`${key}\` for ${model} (fal would ignore it)${tail}` };
        });
    }
    case "enum": {
      const allowed = (s.enum as unknown[] | undefined) ?? [];
      const quoted = typeof value !== "string" && allowed.includes(String(value)) ? `: write it quoted, "${String(value)}"` : "";
      return [{ path: at, message: `must be ${oneOf(allowed.map(show))}, not ${show(value)}${quoted}` }];
    }
    case "const":
      return [{ path: at, message: `must be ${show(s.const)}, not ${show(value)}` }];
    case "type": {
      const expected = (Array.isArray(s.type) ? s.type : [s.type]).map(String);
      // fal's models coerce numeric text to numbers: "2" for an integer is not a mistake fal would refuse.
      if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)) && expected.some((t) => t === "number" || (t === "integer" && Number.isInteger(Number(value))))) return [];
      return [{ path: at, message: `must be ${oneOf(expected.map(noun))}, not ${show(value)}` }];
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const bound = { minimum: "at least", maximum: "at most", exclusiveMinimum: "more than", exclusiveMaximum: "less than" }[keyword];
      return [{ path: at, message: `must be ${bound} ${String(s[keyword])}, not ${show(value)}` }];
    }
    case "multipleOf":
      return [{ path: at, message: `must be a multiple of ${String(s.multipleOf)}, not ${show(value)}` }];
    case "minLength":
      return [{ path: at, message: Number(s.minLength) === 1 ? "must not be empty" : `must be at least ${String(s.minLength)} characters` }];
    case "maxLength":
      return [{ path: at, message: `must be at most ${String(s.maxLength)} characters` }];
    case "minItems":
      return [{ path: at, message: `needs at least ${String(s.minItems)} item(s)` }];
    case "maxItems":
      return [{ path: at, message: `may have at most ${String(s.maxItems)} item(s)` }];
    case "pattern":
      return [{ path: at, message: `${show(value)} does not have the form ${model} expects (${String(s.pattern)})` }];
    case "anyOf":
    case "oneOf": {
      const branches = ((s[keyword] as unknown[] | undefined) ?? []).map((b) => describe(resolve(b, root), root)).filter(Boolean);
      return [{ path: at, message: branches.length ? `must be ${oneOf([...new Set(branches)])}, not ${show(value)}` : `${show(value)} is not a valid value here` }];
    }
    default:
      return [{ path: at, message: `${show(value)} is not a valid value here (${keyword})` }];
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

/** The input's top-level keys whose value holds a `${{ … }}` template: the only ones that differ between runs. */
function templatedFields(input: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  const has = (v: unknown): boolean =>
    typeof v === "string" ? v.includes("${{") : Array.isArray(v) ? v.some(has) : v !== null && typeof v === "object" ? Object.values(v).some(has) : false;
  for (const [k, v] of Object.entries(input)) if (has(v)) out.add(k);
  return out;
}

type FieldCheck = ((value: unknown) => Worded[]) & { key: string };

/**
 * Checks one top-level field's value against its property's schema, each distinct value once. A property whose
 * schema says no more than its type (a prompt) is checked once per kind of value.
 */
function fieldChecker(key: string, root: InputSchema, model: string, compile: Compile): FieldCheck {
  const property = (root.properties as Record<string, unknown> | undefined)?.[key];
  const schema = property === undefined ? undefined : { ...(resolve(property, root) as object), ...(root.$defs ? { $defs: root.$defs } : {}) } as InputSchema;
  const validator = schema && compile(schema);
  const typeOnly = schema !== undefined && Object.keys(schema).every((k) => TYPE_ONLY.has(k));
  const seen = new Map<string, Worded[]>();
  const check = (value: unknown): Worded[] => {
    if (!validator || !schema) return [];
    const id = typeOnly ? (value === null ? "null" : Array.isArray(value) ? "array" : typeof value) : JSON.stringify(value) ?? "undefined";
    let problems = seen.get(id);
    if (!problems) {
      const result = validator.validate(value);
      problems = result.valid ? [] : wordErrors(result.errors, value, schema, model).map((p) => ({ ...p, path: [key, ...p.path] }));
      seen.set(id, problems);
    }
    return problems;
  };
  return Object.assign(check, { key });
}

/** Schema keywords that say nothing about a value beyond its JSON type. */
const TYPE_ONLY = new Set(["type", "title", "description", "default", "examples", "$defs", "deprecated", "readOnly", "writeOnly"]);

/** Whether the manifest wrote a `${{ … }}` template at, or above, this path of the input. */
function isTemplated(input: unknown, path: ReadonlyArray<string | number>): boolean {
  let v = input;
  for (let i = 0; ; i++) {
    if (typeof v === "string") return v.includes("${{");
    if (i >= path.length || v === null || typeof v !== "object") return false;
    v = (v as Record<string | number, unknown>)[path[i]!];
  }
}

/** An instance location (`#/image_size/width`) as a path, numbers where the data has a list. */
function pointer(location: string, data: unknown): Array<string | number> {
  const ptr = location.replace(/^#/, "");
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
