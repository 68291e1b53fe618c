import type { Nano } from "../util/money.js";

/**
 * What runs were billed before, from the lock's entries (lock/history.ts
 * fills it): per job and per model, the billed cost of each past run and what
 * it was estimated at. It estimates runs of models billed by what they do
 * (compute seconds, tokens), whose units the input cannot tell, and shows how
 * far each job's estimates have been from its bills.
 */

/** Billed cost per run over past runs: nearest-rank percentiles, and how many runs they rest on. */
export interface HistoryFigure {
  /** Whose runs: the same job (and model), else any job of the same model. */
  scope: "job" | "model";
  runs: number;
  p50Nano: Nano;
  p95Nano: Nano;
}

/** A job's past runs: what they were estimated at against what fal billed. */
export interface PastAccuracy {
  runs: number;
  estimatedNano: Nano;
  billedNano: Nano;
  /** Billed minus estimated as a % of the estimate, to one decimal; null when the estimates were $0. */
  errorPct: number | null;
  /** Runs billed above their estimate. */
  overEstimateRuns: number;
  billed: HistoryFigure;
}

interface Samples {
  billed: Nano[];
  estimatedNano: Nano;
  billedNano: Nano;
  over: number;
  sorted: boolean;
}

/** A BillingHistory as plain data, to pass between threads. */
export interface HistoryParts {
  byJob: Array<[string, Array<[string, Samples]>]>;
  byModel: Array<[string, Samples]>;
}

export class BillingHistory {
  /** Job id → model → samples. */
  private readonly byJob: Map<string, Map<string, Samples>>;
  private readonly byModel: Map<string, Samples>;

  constructor(parts?: HistoryParts) {
    this.byJob = new Map(parts?.byJob.map(([job, models]) => [job, new Map(models)]));
    this.byModel = new Map(parts?.byModel);
  }

  parts(): HistoryParts {
    return { byJob: [...this.byJob].map(([job, models]) => [job, [...models]]), byModel: [...this.byModel] };
  }

  /** One past run whose billed cost is known. */
  add(job: string, model: string, estimatedNano: Nano, billedNano: Nano): void {
    let models = this.byJob.get(job);
    if (!models) this.byJob.set(job, (models = new Map()));
    record(models, model, estimatedNano, billedNano);
    record(this.byModel, model, estimatedNano, billedNano);
  }

  /** The same job's bills when it has any, else the model's; undefined when neither was billed before. */
  figureFor(job: string, model: string): HistoryFigure | undefined {
    const own = this.byJob.get(job)?.get(model);
    if (own) return figure("job", own);
    const model_ = this.byModel.get(model);
    return model_ && figure("model", model_);
  }

  /** How the job's past estimates compare with its bills; undefined when it has no billed past runs. */
  accuracyOf(job: string, model: string): PastAccuracy | undefined {
    const s = this.byJob.get(job)?.get(model);
    if (!s) return undefined;
    const delta = s.billedNano - s.estimatedNano;
    return {
      runs: s.billed.length,
      estimatedNano: s.estimatedNano,
      billedNano: s.billedNano,
      errorPct: s.estimatedNano > 0 ? Math.round((delta / s.estimatedNano) * 1000) / 10 : null,
      overEstimateRuns: s.over,
      billed: figure("job", s),
    };
  }
}

function record(map: Map<string, Samples>, key: string, estimatedNano: Nano, billedNano: Nano): void {
  let s = map.get(key);
  if (!s) map.set(key, (s = { billed: [], estimatedNano: 0, billedNano: 0, over: 0, sorted: true }));
  s.billed.push(billedNano);
  s.sorted = false;
  s.estimatedNano += estimatedNano;
  s.billedNano += billedNano;
  if (billedNano > estimatedNano) s.over++;
}

function figure(scope: HistoryFigure["scope"], s: Samples): HistoryFigure {
  if (!s.sorted) {
    s.billed.sort((a, b) => a - b);
    s.sorted = true;
  }
  return { scope, runs: s.billed.length, p50Nano: percentile(s.billed, 50), p95Nano: percentile(s.billed, 95) };
}

/** Nearest rank: the smallest sample with at least p % of the samples at or below it (with few runs, p95 is the most billed). */
function percentile(sorted: readonly Nano[], p: number): Nano {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
