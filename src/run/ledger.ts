import type { Nano } from "../util/money.js";

/**
 * The hard budget cap while running. Every started run commits money: its
 * billed cost once known, its estimate until then. A run may start only if
 * what is committed plus its own estimate stays within the limit, and within
 * the per-job limit for its job when there is one. JavaScript runs this
 * single-threaded, so check-and-commit is atomic.
 */
export class BudgetLedger {
  private readonly commitments = new Map<string, { nano: Nano; job: string }>();
  private readonly byJob = new Map<string, Nano>();
  private committed: Nano = 0;
  /** Every start decision, for the report and for tests of the invariant. */
  readonly decisions: Array<{ runId: string; committedBefore: Nano; estimateNano: Nano; started: boolean }> = [];

  /** `perJobLimitNano`: one limit for every job, or each job's own (a shard's share of each job's limit). */
  constructor(
    readonly limitNano: Nano,
    private readonly perJobLimitNano?: Nano | ((job: string) => Nano),
  ) {}

  /** The job's limit, when there is one. */
  jobLimitNano(job: string): Nano | undefined {
    return typeof this.perJobLimitNano === "function" ? this.perJobLimitNano(job) : this.perJobLimitNano;
  }

  get committedNano(): Nano {
    return this.committed;
  }

  jobCommittedNano(job: string): Nano {
    return this.byJob.get(job) ?? 0;
  }

  tryStart(runId: string, estimateNano: Nano, job = ""): boolean {
    const jobLimit = this.jobLimitNano(job);
    const jobOk = jobLimit === undefined || this.jobCommittedNano(job) + estimateNano <= jobLimit;
    const started = jobOk && this.committed + estimateNano <= this.limitNano;
    this.decisions.push({ runId, committedBefore: this.committed, estimateNano, started });
    if (started) this.set(runId, estimateNano, job);
    return started;
  }

  /**
   * A run paid for already (an earlier attempt of this workflow run submitted it; this one collects it): its
   * money is committed whatever the limit says, so that runs started after it see it.
   */
  commitPaid(runId: string, estimateNano: Nano, job = ""): void {
    this.set(runId, estimateNano, job);
  }

  /** The run's billed cost is known: it replaces the estimate (up or down). */
  settle(runId: string, billedNano: Nano): void {
    const c = this.commitments.get(runId);
    if (!c) return;
    this.set(runId, billedNano, c.job);
  }

  /** The run was never accepted by fal (rejected submit): nothing can be billed for it. */
  release(runId: string): void {
    const c = this.commitments.get(runId);
    if (!c) return;
    this.committed -= c.nano;
    this.byJob.set(c.job, this.jobCommittedNano(c.job) - c.nano);
    this.commitments.delete(runId);
  }

  private set(runId: string, nano: Nano, job: string): void {
    const delta = nano - (this.commitments.get(runId)?.nano ?? 0);
    this.committed += delta;
    this.byJob.set(job, this.jobCommittedNano(job) + delta);
    this.commitments.set(runId, { nano, job });
  }
}
