import type { Nano } from "../util/money.js";

/**
 * The hard budget cap while running. Every started run commits money: its
 * billed cost once known, its estimate until then. A run may start only if
 * what is committed plus its own estimate stays within the limit. JavaScript
 * runs this single-threaded, so check-and-commit is atomic.
 */
export class BudgetLedger {
  private readonly commitments = new Map<string, { nano: Nano; billed: boolean }>();
  private committed: Nano = 0;
  /** Every start decision, for the report and for tests of the invariant. */
  readonly decisions: Array<{ runId: string; committedBefore: Nano; estimateNano: Nano; started: boolean }> = [];

  constructor(readonly limitNano: Nano) {}

  get committedNano(): Nano {
    return this.committed;
  }

  tryStart(runId: string, estimateNano: Nano): boolean {
    const started = this.committed + estimateNano <= this.limitNano;
    this.decisions.push({ runId, committedBefore: this.committed, estimateNano, started });
    if (started) this.set(runId, estimateNano, false);
    return started;
  }

  /** The run's billed cost is known: it replaces the estimate (up or down). */
  settle(runId: string, billedNano: Nano): void {
    if (!this.commitments.has(runId)) return;
    this.set(runId, billedNano, true);
  }

  /** The run was never accepted by fal (rejected submit): nothing can be billed for it. */
  release(runId: string): void {
    const c = this.commitments.get(runId);
    if (!c) return;
    this.committed -= c.nano;
    this.commitments.delete(runId);
  }

  private set(runId: string, nano: Nano, billed: boolean): void {
    const prev = this.commitments.get(runId);
    this.committed += nano - (prev?.nano ?? 0);
    this.commitments.set(runId, { nano, billed });
  }
}
