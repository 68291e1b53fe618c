import { editDistance } from "../util/closest.js";
import type { InputSchema } from "../pricing/catalog-schema.js";

/**
 * Model ids checked before any money moves. An id is known when the bundled or the repository catalog has it, or —
 * with a key — fal's model API (or its pricing API) does. A misspelt id is an error with the id it most likely
 * meant, whatever else the manifest says of it: a `pricing:` override must not carry a typo past the gate.
 *
 * An id no catalog knows and nothing near it either (a new model, your own app):
 * - with a key, fal's model API decides: listed, it is known; not listed, it is an error — unless the manifest
 *   prices it itself (`pricing:` or `max_cost:`), which is how a team runs its own app: then a warning;
 * - without a key (a pull request's check): an error whose fix is `fal-jobs catalog update` (or the manifest's
 *   own price), unless the manifest prices it: then a warning that the id was not checked. The real run, which
 *   has a key, checks it against fal before it submits anything.
 */

/** What fal's model API says of one endpoint. */
export interface LiveModel {
  endpoint_id: string;
  status: "active" | "deprecated";
  replaced_by?: string;
  input_schema?: InputSchema;
}

export type LiveModels =
  | { status: "skipped"; reason: string }
  | { status: "ok"; models: ReadonlyMap<string, LiveModel> }
  | { status: "failed"; error: string };

/** What the catalogs know of a model they list. */
export interface KnownModel {
  status?: "active" | "deprecated";
  replaced_by?: string;
}

export interface ModelCheckInput {
  /** Each job's model, in manifest order (index = position in `jobs:`). */
  jobs: ReadonlyArray<{ model: string; pricedByManifest: boolean }>;
  /** Ids and aliases the bundled and repository catalogs list. */
  known: ReadonlyMap<string, KnownModel>;
  /** Ids fal's pricing API priced (they exist). */
  livePriced: ReadonlySet<string>;
  live: LiveModels;
  /** For the fix: the repository catalog's file name. */
  repoCatalogFile: string;
}

export interface CheckIssue {
  path: Array<string | number>;
  /** Points at the key rather than its value (an unknown key). */
  atKey?: boolean;
  message: string;
}

export interface ModelCheck {
  issues: CheckIssue[];
  warnings: string[];
}

export function checkModels(input: ModelCheckInput): ModelCheck {
  const issues: CheckIssue[] = [];
  const warnings = new Set<string>();
  const candidates = [...input.known.keys()];
  input.jobs.forEach(({ model, pricedByManifest }, i) => {
    const path = ["jobs", i, "model"];
    const facts = input.known.get(model) ?? (input.live.status === "ok" ? input.live.models.get(model) : undefined);
    if (facts) {
      if (facts.status === "deprecated") warnings.add(deprecated(model, facts.replaced_by));
      return;
    }
    if (input.livePriced.has(model)) return;
    const guess = suggestModel(model, candidates);
    const asked = input.live.status === "ok";
    const where = asked ? "fal's model API does not list it" : `it is in neither the bundled catalog nor ${input.repoCatalogFile}`;
    const update = `run \`fal-jobs catalog update\` with FAL_KEY set and commit ${input.repoCatalogFile}`;
    if (guess) {
      const ifRight = asked ? "" : ` If \`${model}\` is right, ${update}.`;
      issues.push({ path, message: `unknown model \`${model}\` — did you mean \`${guess}\`? (${where}.)${ifRight}` });
      return;
    }
    if (pricedByManifest) {
      warnings.add(
        asked
          ? `fal's model API does not list ${model}: it is priced by the manifest alone. If it is not your own app, check the id`
          : `${model} is in no catalog, so its id was not checked (no fal key): it is priced by the manifest alone. To check it, ${update}`,
      );
      return;
    }
    const fix = asked
      ? "check the id on its fal.ai/models page"
      : `${update} (it records the price, status and input schema of every model in the manifest)`;
    issues.push({ path, message: `unknown model \`${model}\`: ${where}, so nothing knows its price or its inputs: ${fix}, or for your own app give it a \`pricing:\` entry or the job a \`max_cost:\`` });
  });
  if (input.live.status === "failed") warnings.add(`fal's model API failed (${input.live.error}); model ids were checked against the catalogs only`);
  return { issues, warnings: [...warnings] };
}

function deprecated(model: string, replacement: string | undefined): string {
  return `${model} is deprecated at fal (it still runs)${replacement ? `: fal names ${replacement} as its replacement` : ""}`;
}

/**
 * The known id `id` most likely meant: the same id with a `fal-ai/` owner, or one a few edits away (`fal-ai/flux-dev`
 * for `fal-ai/flux/dev`), separators counting as half a difference.
 */
export function suggestModel(id: string, candidates: readonly string[]): string | undefined {
  const lower = id.toLowerCase();
  const exact = candidates.find((c) => c.toLowerCase() === lower || c.toLowerCase() === `fal-ai/${lower}`);
  if (exact) return exact;
  const squash = (s: string) => s.toLowerCase().replace(/[-/_.]/g, "");
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const score = Math.min(editDistance(lower, c.toLowerCase()), editDistance(squash(id), squash(c)) + 0.5);
    if (score < bestScore || (score === bestScore && best !== undefined && c.length < best.length)) {
      bestScore = score;
      best = c;
    }
  }
  return bestScore <= Math.max(2, Math.floor(id.length / 10)) ? best : undefined;
}
