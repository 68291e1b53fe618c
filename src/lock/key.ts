import { hash } from "node:crypto";
import type { Plan, PlannedJob, PlannedRun } from "../plan/expand.js";
import { compileCanonical } from "./canonical.js";

/**
 * The run key: what identifies a generation, whatever the manifest calls it.
 *
 *   key = hex(sha256(canonicalJson([KEY_SCHEME, model, input, repeat])))
 *
 * `input` is the job's input after matrix and template substitution, as fal
 * receives it; `repeat` is the 1-based repeat number. Nothing else goes in:
 * renaming a job, reordering jobs or matrix axes, or reformatting the YAML
 * keeps every key; any change to what fal would receive changes it. When the
 * same model and input appear more than once in the manifest (two identical
 * jobs, a matrix value written twice), the n-th occurrence (n ≥ 2) appends n:
 * canonicalJson([KEY_SCHEME, model, input, repeat, n]). Occurrences are
 * interchangeable, so reordering them keeps the set of keys.
 *
 * Changing any of this re-runs every locked generation: it bumps KEY_SCHEME
 * and the lock's version, and the pinned keys in the tests.
 */
export const KEY_SCHEME = "fal-jobs-run-key/1";

export interface RunKeys {
  /** The key of one run of the plan (jobs with `cache: false` have keys too; they are just never looked up). */
  of(run: Pick<PlannedRun, "job" | "variantIndex" | "repeat">): string;
  /** Same, by position. */
  at(job: PlannedJob, variantIndex: number, repeat: number): string;
}

export function runKeys(plan: Plan): RunKeys {
  // Made on first use: an estimate with no lock entries and no shards never needs a key.
  let keys: RunKeys | undefined;
  const get = () => (keys ??= keysFromList(plan, hashKeys(keyRequest(plan))));
  return { at: (job, variantIndex, repeat) => get().at(job, variantIndex, repeat), of: (run) => get().of(run) };
}

/**
 * What hashing a plan's keys needs, as plain data (it may be hashed on
 * another thread): per job its variants' encodings up to the repeat, and
 * how many repeats each has in the full plan.
 */
export interface KeyRequest {
  prefixes: string[][];
  repeats: number[][];
}

export function keyRequest(plan: Plan): KeyRequest {
  return {
    prefixes: plan.jobs.map((job) => {
      const head = `[${JSON.stringify(KEY_SCHEME)},${JSON.stringify(job.model)},`;
      const encode = compileCanonical(job.spec.input);
      return job.variants.map((v) => `${head}${encode(v.input)},`);
    }),
    repeats: plan.jobs.map((job) =>
      job.variants.map((v) => {
        if (v.repeats) throw new Error("internal: run keys are made from the full plan, not a restricted one");
        return v.runs;
      }),
    ),
  };
}

/**
 * Every run's key, in plan order (job, variant, repeat). A variant whose
 * model and input appeared before is its n-th occurrence: equal prefixes
 * give equal first-repeat keys, so the key itself counts occurrences.
 */
export function hashKeys(req: KeyRequest): string[] {
  const keys: string[] = [];
  const seen = new Map<string, number>();
  for (let j = 0; j < req.prefixes.length; j++) {
    const prefixes = req.prefixes[j]!;
    for (let v = 0; v < prefixes.length; v++) {
      const first = hash("sha256", `${prefixes[v]!}1]`);
      const n = (seen.get(first) ?? 0) + 1;
      seen.set(first, n);
      const repeats = req.repeats[j]![v]!;
      for (let r = 1; r <= repeats; r++) keys.push(r === 1 && n === 1 ? first : hash("sha256", `${prefixes[v]!}${r}${n > 1 ? `,${n}` : ""}]`));
    }
  }
  return keys;
}

/** Where each variant's runs start in plan order (job, variant, repeat), and how many runs there are. */
export function runOffsets(repeats: readonly (readonly number[])[]): { offsets: number[][]; total: number } {
  let total = 0;
  const offsets = repeats.map((job) => job.map((runs) => ((total += runs), total - runs)));
  return { offsets, total };
}

/** RunKeys over hashKeys' list for `plan` (the full plan the request was made from). */
export function keysFromList(plan: Plan, keys: readonly string[]): RunKeys {
  const { offsets, total } = runOffsets(plan.jobs.map((job) => job.variants.map((v) => v.runs)));
  if (total !== keys.length) throw new Error(`internal: ${keys.length} run keys for a plan of ${total} runs`);
  const keyAt = (job: PlannedJob, variantIndex: number, repeat: number): string => keys[offsets[job.index]![variantIndex]! + repeat - 1]!;
  return { at: keyAt, of: (run) => keyAt(run.job, run.variantIndex, run.repeat) };
}
