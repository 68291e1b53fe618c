import { hash } from "node:crypto";
import type { Plan, PlannedJob, PlannedRun } from "../plan/expand.js";
import { canonicalJson } from "./canonical.js";

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
  // Per variant: the encoding up to the repeat, and its occurrence number. Repeats share the prefix.
  const prefixes: string[][] = [];
  const occurrence: number[][] = [];
  const seen = new Map<string, number>();
  for (const job of plan.jobs) {
    const jobPrefix = `[${JSON.stringify(KEY_SCHEME)},${JSON.stringify(job.model)},`;
    const jobPrefixes: string[] = [];
    const jobOccurrences: number[] = [];
    for (const variant of job.variants) {
      const prefix = `${jobPrefix}${canonicalJson(variant.input)},`;
      const n = (seen.get(prefix) ?? 0) + 1;
      seen.set(prefix, n);
      jobPrefixes.push(prefix);
      jobOccurrences.push(n);
    }
    prefixes.push(jobPrefixes);
    occurrence.push(jobOccurrences);
  }
  const at = (job: PlannedJob, variantIndex: number, repeat: number): string => {
    const n = occurrence[job.index]![variantIndex]!;
    const text = `${prefixes[job.index]![variantIndex]!}${repeat}${n > 1 ? `,${n}` : ""}]`;
    return hash("sha256", text);
  };
  return { at, of: (run) => at(run.job, run.variantIndex, run.repeat) };
}
