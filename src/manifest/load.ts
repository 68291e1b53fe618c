import { open } from "node:fs/promises";
import { isAlias, isCollection, isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from "yaml";
import type { $ZodIssue } from "zod/v4/core";
import { ManifestError, formatPath, type ManifestIssue } from "./errors.js";
import { ManifestSchema, MAX_COMBINATIONS_PER_MANIFEST, MAX_RUNS_PER_MANIFEST, type Manifest } from "./schema.js";
import { matrixReferences, renderedLength } from "./template.js";

/**
 * Input size limits. Real manifests are a few KB; these keep a hostile or
 * generated one from exhausting memory (a 10 MB manifest peaked at 1.6 GB;
 * 1 MiB of YAML peaks near 350 MB).
 */
const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Longest string value or key: far above any prompt or TTS text fal takes, far below the file limit. */
const MAX_STRING_CHARS = 100_000;
/** Characters the matrices may render into inputs and labels, all jobs together (strings without references are shared). */
const MAX_RENDERED_CHARS = 25_000_000;

/**
 * Reads and validates a manifest. Every problem is collected (YAML syntax,
 * schema, cross-field rules) and thrown at once as a ManifestError whose
 * issues carry file, line and column, so nothing downstream ever sees a
 * half-valid manifest.
 */
export async function loadManifestFile(file: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readBounded(file);
  } catch (err) {
    if (err instanceof ManifestError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "file not found (set the `manifest` input or pass a path)" : String(err);
    throw new ManifestError(file, [{ file, line: 1, column: 1, path: "", message: why }]);
  }
  return parseManifest(text, file);
}

/** The file's text, refused by its size before any of it is read, and read no further than the limit should it grow meanwhile. */
async function readBounded(file: string): Promise<string> {
  const handle = await open(file, "r");
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new ManifestError(file, [{ file, line: 1, column: 1, path: "", message: "not a regular file: point `manifest` at a YAML file" }]);
    if (stat.size > MAX_MANIFEST_BYTES) throw tooBig(file, stat.size);
    const buf = Buffer.alloc(stat.size + 1);
    let n = 0;
    for (let read = -1; read !== 0 && n < buf.length; n += read) ({ bytesRead: read } = await handle.read(buf, n, buf.length - n, n));
    if (n > MAX_MANIFEST_BYTES) throw tooBig(file, n);
    return buf.toString("utf8", 0, n);
  } finally {
    await handle.close();
  }
}

function tooBig(file: string, bytes: number): ManifestError {
  const message =
    `the manifest is ${bytes} bytes, over the limit of 1 MiB (${MAX_MANIFEST_BYTES} bytes); manifests are usually a few KB: ` +
    "split it into several manifests (one step each), or let a matrix generate long lists";
  return new ManifestError(file, [{ file, line: 1, column: 1, path: "", message }]);
}

export function parseManifest(text: string, file = "fal-jobs.yaml"): Manifest {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_MANIFEST_BYTES) throw tooBig(file, bytes);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  const at = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };

  if (doc.errors.length > 0) {
    throw new ManifestError(
      file,
      doc.errors.map((e) => ({
        file,
        ...at(e.pos[0]),
        path: "",
        message: `YAML ${e.code.toLowerCase().replace(/_/g, " ")}: ${firstLine(e.message)}${yamlHint(e.code)}`,
      })),
    );
  }

  const long = oversizeScalars(doc);
  if (long.length > 0) throw new ManifestError(file, long.map(({ offset, message }) => ({ file, ...at(offset), path: "", message })));
  const alias = aliasProblem(doc);
  if (alias) throw new ManifestError(file, [{ file, ...at(alias.offset), path: "", message: alias.message }]);
  let raw: unknown;
  try {
    // aliasProblem is the alias guard, and an exact one: yaml's own maxAliasCount estimate can refuse documents it accepted.
    raw = doc.toJS({ maxAliasCount: -1 });
  } catch (err) {
    throw new ManifestError(file, [{ file, ...at(firstAliasOffset(doc)), path: "", message: `YAML: ${firstLine((err as Error).message)}` }]);
  }
  const parsed = ManifestSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => toManifestIssue(issue, doc, file, at));
    throw new ManifestError(file, dedupe(issues));
  }

  const semantic = checkSemantics(parsed.data).map(({ path, message }) => ({
    file,
    ...at(offsetOf(doc, path)),
    path: formatPath(path),
    message,
  }));
  if (semantic.length > 0) throw new ManifestError(file, semantic);
  return parsed.data;
}

/** Values that aliases may add to a manifest, all together: shared inputs take tens, a billion laughs takes billions. */
const MAX_ALIAS_VALUES = 10_000;

/**
 * Checks every alias before the document becomes data: that it has an anchor
 * before it, that it is not inside its own anchor (a cycle, which would make
 * every later walk endless), and that all aliases together add at most
 * MAX_ALIAS_VALUES values. One pass in document order, resolving aliases as
 * yaml does (the last anchor of that name before the alias).
 */
function aliasProblem(doc: Document): { offset: number; message: string } | undefined {
  const anchors = new Map<string, unknown>();
  const size = new Map<unknown, number>(); // values in an anchored node, its aliases expanded
  const open = new Set<unknown>();
  let added = 0;
  let problem: { offset: number; message: string } | undefined;
  const walk = (node: unknown): number => {
    if (problem || node === null || typeof node !== "object") return 0;
    if (isAlias(node)) {
      const offset = node.range?.[0] ?? 0;
      const target = anchors.get(node.source);
      if (target === undefined) {
        problem = { offset, message: `YAML alias *${node.source} has no anchor: define \`&${node.source}\` on a value before this alias, or write the value out` };
      } else if (open.has(target)) {
        problem = { offset, message: `YAML alias *${node.source} is inside the value it names (a cycle): move it out of \`&${node.source}\`` };
      } else {
        const n = size.get(target) ?? 1;
        added += n;
        if (added > MAX_ALIAS_VALUES) {
          problem = { offset, message: `YAML aliases expand to more than ${MAX_ALIAS_VALUES} values (here they pass the limit): write the values out, or use a matrix` };
        }
        return n;
      }
      return 0;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node);
    let n = 1;
    if (isCollection(node)) {
      open.add(node);
      for (const item of node.items) n += walk(item);
      open.delete(node);
    } else if (isPair(node)) {
      n = walk(node.key) + walk(node.value);
    }
    if (anchor) size.set(node, n);
    return n;
  };
  walk(doc.contents);
  return problem;
}

/**
 * Strings (values and keys) over MAX_STRING_CHARS, and numbers past ±2^53,
 * at most ten of them. Such a number is not exact in JSON, and in a size or
 * count it makes units × price Infinity.
 */
function oversizeScalars(doc: Document): Array<{ offset: number; message: string }> {
  const out: Array<{ offset: number; message: string }> = [];
  visit(doc, {
    Scalar: (_, node) => {
      const v = node.value;
      const message =
        typeof v === "string" && v.length > MAX_STRING_CHARS
          ? `this string is ${v.length} characters; the limit is ${MAX_STRING_CHARS}: shorten it (no fal model takes a prompt this long)`
          : typeof v === "number" && Number.isFinite(v) && Math.abs(v) > Number.MAX_SAFE_INTEGER
            ? `${v} is beyond ±${Number.MAX_SAFE_INTEGER} (2^53 − 1), where numbers stop being exact: use a smaller number`
            : undefined;
      if (message) out.push({ offset: node.range?.[0] ?? 0, message });
      return out.length >= 10 ? visit.BREAK : undefined;
    },
  });
  return out;
}

function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, { Alias: (_, node) => { offset = node.range?.[0] ?? 0; return visit.BREAK; } });
  return offset;
}

/** Rules the schema cannot express: unique ids, matrix references, run count. */
function checkSemantics(m: Manifest): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  const seen = new Map<string, number>();
  let totalRuns = 0;
  let totalCombos = 0;
  let rendered = 0;
  m.jobs.forEach((job, i) => {
    const prev = seen.get(job.id);
    if (prev !== undefined) {
      out.push({ path: ["jobs", i, "id"], message: `duplicate job id "${job.id}" (also jobs[${prev}]); ids must be unique` });
    } else {
      seen.set(job.id, i);
    }
    if (job.units !== undefined && job.max_cost !== undefined) {
      out.push({ path: ["jobs", i, "max_cost"], message: "set either `units` or `max_cost`, not both" });
    }
    const axes = new Set(Object.keys(job.matrix ?? {}));
    for (const ref of matrixReferences(job.input)) {
      if (!axes.has(ref.name)) {
        const known = axes.size ? `defined: ${[...axes].join(", ")}` : "this job has no `matrix`";
        out.push({ path: ["jobs", i, "input", ...ref.path], message: `\${{ matrix.${ref.name} }} is not a matrix axis (${known})` });
      }
    }
    let combos = 1;
    for (const values of Object.values(job.matrix ?? {})) combos *= values.length;
    totalRuns += combos * job.repeat;
    totalCombos += combos;
    if (job.matrix && rendered <= MAX_RENDERED_CHARS) {
      const jobChars = combos * renderedPerCombo(job.input, job.matrix);
      rendered += jobChars;
      if (rendered > MAX_RENDERED_CHARS) {
        out.push({
          path: ["jobs", i, "matrix"],
          message:
            `this job's ${combos} combinations render up to ${jobChars} characters of inputs and labels; the limit is ${MAX_RENDERED_CHARS} characters ` +
            "for the manifest: use fewer matrix values, or shorter strings around `${{ matrix.* }}`",
        });
      }
    }
  });
  if (totalCombos > MAX_COMBINATIONS_PER_MANIFEST) {
    out.push({
      path: ["jobs"],
      message: `the matrices expand to ${totalCombos} matrix combinations; the limit is ${MAX_COMBINATIONS_PER_MANIFEST} (identical runs need no matrix: use \`repeat\`; or split the manifest)`,
    });
  }
  if (totalRuns > MAX_RUNS_PER_MANIFEST) {
    out.push({ path: ["jobs"], message: `the jobs expand to ${totalRuns} runs; the limit is ${MAX_RUNS_PER_MANIFEST} (lower repeat or split the matrix)` });
  }
  return out;
}

/** Characters one combination of a job renders: its templated strings and its label (`a=cat,b=square`). */
function renderedPerCombo(input: unknown, matrix: Record<string, unknown[]>): number {
  const longest = new Map<string, number>();
  let label = 0;
  for (const [axis, values] of Object.entries(matrix)) {
    let max = 0;
    for (const v of values) max = Math.max(max, typeof v === "string" ? v.length : (JSON.stringify(v)?.length ?? 0));
    longest.set(axis, max);
    label += axis.length + max + 2;
  }
  return label + renderedLength(input, (axis) => longest.get(axis) ?? "undefined".length);
}

function toManifestIssue(
  issue: $ZodIssue,
  doc: Document,
  file: string,
  at: (offset: number) => { line: number; column: number },
): ManifestIssue {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    const allowed = allowedKeys(path);
    const guess = closest(key, allowed);
    const names = issue.keys.map((k) => `\`${k}\``).join(", ");
    const hint = guess ? ` — did you mean \`${guess}\`?` : allowed.length ? ` (allowed: ${allowed.join(", ")})` : "";
    return { file, ...at(keyOffset(doc, path, key)), path: formatPath([...path, key]), message: `unknown key ${names}${hint}` };
  }
  return { file, ...at(offsetOf(doc, path)), path: formatPath(path), message: describeIssue(issue) };
}

function describeIssue(issue: $ZodIssue): string {
  if (issue.code === "invalid_type") {
    if (issue.message.includes("received undefined")) return `missing required \`${String(issue.path.at(-1) ?? "value")}\` (expected ${issue.expected})`;
    return `expected ${issue.expected}: ${issue.message.replace(/^Invalid input: /, "")}`;
  }
  if (issue.code === "invalid_union") {
    const field = issue.path.at(-1);
    if (field === "budget") return "a budget is a number in USD (5 or 12.50) or {limit, per_job_limit, warn_at, unknown_price}";
    if (field === "timeout") return "a timeout is seconds (600) or a duration (30s, 10m, 1h30m)";
    return "not a valid value here";
  }
  // A record key (a pricing model id): say what is wrong with it, not just that it is.
  if (issue.code === "invalid_key" && issue.issues[0]) return `key: ${issue.issues[0].message}`;
  return issue.message.replace(/^Invalid input: /, "");
}

/** Keys allowed at a path, for "did you mean" hints on typos. */
function allowedKeys(path: Array<string | number>): string[] {
  const tail = path.filter((p) => typeof p === "string");
  const last = tail.at(-1);
  if (path.length === 0) return Object.keys(ManifestSchema.shape);
  if (last === "jobs" || (path[0] === "jobs" && path.length === 2)) return ["id", "model", "description", "input", "repeat", "matrix", "units", "max_cost", "concurrency", "timeout", "retries"];
  if (last === "defaults") return ["concurrency", "timeout", "retries"];
  if (last === "budget") return ["limit", "per_job_limit", "warn_at", "unknown_price"];
  if (path[0] === "pricing") return ["unit", "unit_price", "currency"];
  return [];
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return bestDist <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** Start offset of the node at `path`, or of its nearest existing ancestor. */
function offsetOf(doc: Document, path: Array<string | number>): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
    if (node && typeof node === "object" && "range" in node && node.range) return node.range[0];
  }
  return 0;
}

function keyOffset(doc: Document, path: Array<string | number>, key: string): number {
  const parent = path.length === 0 ? doc.contents : (doc.getIn(path, true) as unknown);
  if (isMap(parent)) {
    for (const pair of parent.items) {
      if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) return pair.key.range[0];
    }
  }
  return offsetOf(doc, path);
}

function dedupe(issues: ManifestIssue[]): ManifestIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.line}:${i.column}:${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

function yamlHint(code: string): string {
  switch (code) {
    case "DUPLICATE_KEY":
      return " (remove or rename one of them)";
    case "BAD_INDENT":
    case "MISSING_CHAR":
      return " (check the indentation and that `${{ … }}` strings are quoted)";
    case "TAB_AS_INDENT":
      return " (indent with spaces, not tabs)";
    default:
      return "";
  }
}
