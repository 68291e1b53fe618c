import { DEFAULT_SETTINGS, type Job, type Manifest } from "../manifest/schema.js";
import { parseDurationMs } from "../util/duration.js";
import { compileTemplate } from "../manifest/template.js";

/**
 * The plan: every job expanded into its distinct inputs (one per matrix
 * combination) and the runs of each (repeat). Runs of one variant share one
 * input object, so a 100,000-run manifest does not hold 100,000 copies.
 */
export interface Plan {
  jobs: PlannedJob[];
  totalRuns: number;
}

export interface PlannedJob {
  id: string;
  index: number;
  model: string;
  /** The job as the manifest wrote it. */
  spec: Job;
  settings: RunSettings;
  variants: Variant[];
  runCount: number;
}

interface RunSettings {
  concurrency: number;
  timeoutMs: number;
  retries: number;
  /** Whether the lock may stand in for a run (`cache: false` runs every time). */
  cache: boolean;
}

export interface Variant {
  /** The matrix combination (`animal=cat,size=square`, in the order the axes are written), or "" without a matrix. */
  label: string;
  input: Record<string, unknown>;
  /** How many runs use this input (the job's `repeat`, or fewer in a restricted plan). */
  runs: number;
  /** In a restricted plan, which repeats (1-based) to run; absent: 1..runs. */
  repeats?: readonly number[];
}

export interface PlannedRun {
  /** Stable id: `thumbs[animal=cat,size=square]#1`. */
  id: string;
  job: PlannedJob;
  variant: Variant;
  variantIndex: number;
  /** 1-based repeat number within the variant. */
  repeat: number;
}

/** `planned`: called with each job as soon as it is planned (the lock thread hashes its keys while the next is built). */
export function buildPlan(manifest: Manifest, planned?: (job: PlannedJob) => void): Plan {
  const jobs = manifest.jobs.map((job, index): PlannedJob => {
    const render = compileTemplate(job.input);
    // The combination itself is not kept: once rendered, only its label is needed (100,000 objects fewer to hold).
    const variants = expandMatrix(job.matrix).map(({ combo, label }): Variant => ({ label, input: render(combo) as Record<string, unknown>, runs: job.repeat }));
    const made: PlannedJob = {
      id: job.id,
      index,
      model: job.model,
      spec: job,
      settings: resolveSettings(manifest, job),
      variants,
      runCount: variants.length * job.repeat,
    };
    planned?.(made);
    return made;
  });
  return { jobs, totalRuns: jobs.reduce((n, j) => n + j.runCount, 0) };
}

/** How many runs buildPlan will make of the manifest, without making them. */
export function countRuns(manifest: Manifest): number {
  let runs = 0;
  for (const job of manifest.jobs) runs += Object.values(job.matrix ?? {}).reduce((n, values) => n * values.length, 1) * job.repeat;
  return runs;
}

function resolveSettings(manifest: Manifest, job: Job): RunSettings {
  const d = manifest.defaults ?? {};
  return {
    concurrency: job.concurrency ?? d.concurrency ?? DEFAULT_SETTINGS.concurrency,
    timeoutMs: parseDurationMs(job.timeout ?? d.timeout ?? DEFAULT_SETTINGS.timeout),
    retries: job.retries ?? d.retries ?? DEFAULT_SETTINGS.retries,
    cache: job.cache ?? d.cache ?? DEFAULT_SETTINGS.cache,
  };
}

/**
 * Cartesian product, first axis varying slowest (as GitHub's matrix does),
 * with each combination's label (`animal=cat,size=square`, "" without a matrix).
 * Labels are built from per-value parts formatted once, not per combination.
 */
function expandMatrix(matrix: Record<string, unknown[]> | undefined): Array<{ combo: Record<string, unknown>; label: string }> {
  let combos: Array<{ combo: Record<string, unknown>; label: string }> = [{ combo: {}, label: "" }];
  for (const [name, values] of Object.entries(matrix ?? {})) {
    const parts = values.map((v) => `${name}=${typeof v === "string" ? v : JSON.stringify(v)}`);
    const next: typeof combos = [];
    for (const c of combos) {
      for (let i = 0; i < values.length; i++) next.push({ combo: { ...c.combo, [name]: values[i] }, label: c.label ? `${c.label},${parts[i]}` : parts[i]! });
    }
    combos = next;
  }
  return combos;
}

export function runId(jobId: string, variant: Pick<Variant, "label">, repeat: number): string {
  return `${jobId}${variant.label ? `[${variant.label}]` : ""}#${repeat}`;
}

/** Every run of the plan in a stable order: job, then variant, then repeat. */
export function* iterateRuns(plan: Plan): Generator<PlannedRun> {
  for (const job of plan.jobs) {
    for (let v = 0; v < job.variants.length; v++) {
      const variant = job.variants[v]!;
      if (variant.repeats) {
        for (const r of variant.repeats) yield { id: runId(job.id, variant, r), job, variant, variantIndex: v, repeat: r };
      } else {
        for (let r = 1; r <= variant.runs; r++) yield { id: runId(job.id, variant, r), job, variant, variantIndex: v, repeat: r };
      }
    }
  }
}

/**
 * The same plan (a full one) with only the runs `keep` accepts. Jobs keep
 * their places and, where any run is kept, so do their variants (a variant
 * may have no runs left), so estimates and reports indexed by the full
 * plan's positions stay aligned with it. A job with no run kept has no
 * variants: a manifest the lock fully holds costs no copies.
 */
// One empty list for every variant a restricted plan keeps no run of (a shard of 100,000 runs keeps 5,000).
const NO_REPEATS: readonly number[] = Object.freeze([]);

export function restrictPlan(plan: Plan, keep: (job: PlannedJob, variantIndex: number, repeat: number) => boolean): Plan {
  const jobs = plan.jobs.map((job): PlannedJob => {
    let kept = 0;
    const chosen = job.variants.map((variant, v) => {
      let repeats: number[] | undefined;
      for (let r = 1; r <= variant.runs; r++) if (keep(job, v, r)) (repeats ??= []).push(r);
      kept += repeats?.length ?? 0;
      return repeats;
    });
    if (kept === job.runCount) return job;
    if (kept === 0) return { ...job, variants: [], runCount: 0 };
    const variants = job.variants.map((variant, v): Variant => {
      const repeats = chosen[v] ?? NO_REPEATS;
      return repeats.length === variant.runs ? variant : { ...variant, runs: repeats.length, repeats };
    });
    return { ...job, variants, runCount: kept };
  });
  return { jobs, totalRuns: jobs.reduce((n, j) => n + j.runCount, 0) };
}
