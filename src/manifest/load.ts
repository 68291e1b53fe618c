import { open } from "node:fs/promises";
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import { ManifestError, formatPath, type ManifestIssue } from "./errors.js";
import { checkRules } from "./rules.js";
import { ManifestSchema, type Manifest } from "./schema.js";
import { plainIssues, UNWORDED, type PlainIssue } from "./schema-issues.js";
import { duplicateKeys, plainYamlErrors } from "./yaml-issues.js";
import { inShell } from "../util/shell.js";

/**
 * Input size limits. Real manifests are a few KB; these keep a hostile or
 * generated one from exhausting memory (a 10 MB manifest peaked at 1.6 GB;
 * 1 MiB of YAML peaks near 350 MB).
 */
const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Longest string value or key: far above any prompt or TTS text fal takes, far below the file limit. */
const MAX_STRING_CHARS = 100_000;

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
    const why = code === "ENOENT" ? `file not found (${inShell({ action: "set the `manifest` input", cli: "pass the path of your manifest, or write a starter one with `fal-jobs init`" })})` : String(err);
    throw new ManifestError(file, [{ file, line: 1, column: 1, path: "", message: why }]);
  }
  return parseManifest(text, file);
}

/** The file's text, refused by its size before any of it is read, and read no further than the limit should it grow meanwhile. */
async function readBounded(file: string): Promise<string> {
  const handle = await open(file, "r");
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new ManifestError(file, [{ file, line: 1, column: 1, path: "", message: `not a regular file: ${inShell({ action: "point the `manifest` input at a YAML file", cli: "pass the path of a YAML file" })}` }]);
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
  // Duplicate keys are found by duplicateKeys, in one pass: yaml's uniqueKeys is quadratic in the size of a map.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, strict: true });
  const at = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const fail = (issues: Array<Omit<ManifestIssue, "file">>) => new ManifestError(file, byPosition(issues.map((i) => ({ file, ...i }))));

  // With a syntax error or a key given twice, the data is not what the file says: nothing after this could be trusted.
  const syntax = [...plainYamlErrors(text, doc.errors, lines), ...duplicateKeys(doc, lines)];
  if (syntax.length > 0) throw fail(syntax.map((i) => ({ ...i, path: "" })));

  const long = oversizeScalars(doc);
  if (long.length > 0) throw fail(long.map(({ offset, message }) => ({ ...at(offset), path: "", message })));
  const alias = aliasProblem(doc);
  if (alias) throw fail([{ ...at(alias.offset), path: "", message: alias.message }]);
  let raw: unknown;
  try {
    // aliasProblem is the alias guard, and an exact one: yaml's own maxAliasCount estimate can refuse documents it accepted.
    raw = doc.toJS({ maxAliasCount: -1 }) ?? {};
  } catch (err) {
    throw fail([{ ...at(firstAliasOffset(doc)), path: "", message: `YAML: ${firstLine((err as Error).message)}` }]);
  }

  // The schema and the rules it cannot express run in one pass, so every problem is reported at once.
  const parsed = ManifestSchema.safeParse(raw, { error: UNWORDED });
  const problems: PlainIssue[] = [...(parsed.success ? [] : plainIssues(parsed.error.issues, raw, ManifestSchema)), ...checkRules(raw)];
  if (parsed.success && problems.length === 0) {
    sources.set(parsed.data, { text, file });
    return parsed.data;
  }
  if (problems.length === 0) problems.push({ path: [], message: "the manifest is not valid" });
  const where = locator(doc);
  throw fail(
    dedupe(
      problems.map(({ path, atKey, message }) => ({
        ...at(atKey ? where.keyOffset(path) : where.valueOffset(path)),
        path: formatPath(path),
        message,
      })),
    ),
  );
}

/** Each valid manifest's text, for positioning problems found later (unknown models, inputs a schema refuses). */
const sources = new WeakMap<Manifest, { text: string; file: string }>();

/**
 * Problems found in a valid manifest by later checks (model ids, inputs against a model's schema), positioned
 * like the manifest's own: the YAML is parsed again only when there is something to report, so a manifest
 * without problems keeps no document in memory.
 */
export function manifestProblems(manifest: Manifest, problems: readonly PlainIssue[]): ManifestError {
  const source = sources.get(manifest);
  const file = source?.file ?? "fal-jobs.yaml";
  if (!source) return new ManifestError(file, problems.map(({ path, message }) => ({ file, line: 1, column: 1, path: formatPath(path), message })));
  return problemsAt(source.text, file, problems);
}

/** Problems in a YAML or JSON file the user committed, each at the position of its path (or its nearest parent). */
export function problemsAt(text: string, file: string, problems: readonly PlainIssue[], what: ManifestError["what"] = "manifest"): ManifestError {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const where = locator(doc);
  const issues = problems.map(({ path, atKey, message }) => {
    const p = lines.linePos(atKey ? where.keyOffset(path) : where.valueOffset(path));
    return { file, line: p.line, column: p.col, path: formatPath(path), message };
  });
  return new ManifestError(file, byPosition(dedupe(issues)), what);
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

/**
 * Where the node at a path starts (or its nearest ancestor that exists), and where a key starts. Each map's keys are
 * indexed once: a manifest with thousands of unknown keys in one map must not look each one up by a scan.
 */
function locator(doc: Document): { valueOffset(path: Array<string | number>): number; keyOffset(path: Array<string | number>): number } {
  const index = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let pairs = index.get(map);
    if (!pairs) {
      pairs = new Map();
      for (const pair of map.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (!pairs.has(k)) pairs.set(k, pair);
      }
      index.set(map, pairs);
    }
    return pairs.get(key);
  };
  /** The node at the path, or the nearest ancestor that exists (`complete` false). */
  const walk = (path: Array<string | number>) => {
    let node: unknown = doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (const segment of path) {
      const next = isMap(node) ? pairOf(node, String(segment))?.value : isSeq(node) && typeof segment === "number" ? node.items[segment] : undefined;
      const start = rangeStart(next);
      if (start === undefined) return { node, offset, complete: false };
      node = next;
      offset = start;
    }
    return { node, offset, complete: true };
  };
  return {
    valueOffset: (path) => walk(path).offset,
    keyOffset: (path) => {
      const parent = walk(path.slice(0, -1));
      const pair = parent.complete && isMap(parent.node) ? pairOf(parent.node, String(path.at(-1))) : undefined;
      return rangeStart(pair?.key) ?? parent.offset;
    },
  };
}

function rangeStart(node: unknown): number | undefined {
  return node !== null && typeof node === "object" && "range" in node ? (node as Node).range?.[0] : undefined;
}

function dedupe<T extends { line: number; column: number; message: string }>(issues: T[]): T[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.line}:${i.column}:${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Top to bottom, as a person reads the file and fixes it (a stable sort: one position keeps its order). */
function byPosition(issues: ManifestIssue[]): ManifestIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}
