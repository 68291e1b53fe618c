import type { Plan } from "../plan/expand.js";
import type { RunRecord } from "./types.js";

/**
 * Progress people can follow during a long real run: every so often, one
 * line per job with its runs done of its total, how many are running and
 * queued, the time since it started and an estimate of the time left, and
 * one line for the whole run. The per-run lines stay in the collapsed log
 * group; these are written outside it. A job that has finished gets one last
 * line and is then left out.
 */

/** What happened to a run: fal accepted it, reported it queued or running, or it ended (in any status). */
export type RunEvent = "submitted" | "queued" | "running" | "finished";

type Stage = "queued" | "running";

interface JobProgress {
  id: string;
  total: number;
  done: number;
  byStatus: Map<string, number>;
  queued: number;
  running: number;
  /** Runs in flight, by the stage they were last seen in: queued at fal (from its submit), or in progress (at fal, then collecting its outputs). */
  stages: Map<string, Stage>;
  startedAt?: number;
  finishedAt?: number;
  /** Its finished line has been written. */
  reported: boolean;
}

export class RunProgress {
  private readonly jobs = new Map<string, JobProgress>();
  private readonly startedAt: number;

  constructor(
    plan: Plan,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
    for (const job of plan.jobs) {
      this.jobs.set(job.id, { id: job.id, total: job.runCount, done: 0, byStatus: new Map(), queued: 0, running: 0, stages: new Map(), reported: false });
    }
  }

  /** The executor's hook: called for every run as it moves on. */
  readonly onRunEvent = (record: RunRecord, event: RunEvent): void => {
    const job = this.jobs.get(record.job);
    if (!job) return;
    job.startedAt ??= this.now();
    const was = job.stages.get(record.id);
    if (was) job[was]--;
    if (event === "finished") {
      job.stages.delete(record.id);
      job.done++;
      job.byStatus.set(record.status, (job.byStatus.get(record.status) ?? 0) + 1);
      if (job.done === job.total) job.finishedAt = this.now();
      return;
    }
    const stage: Stage = event === "running" ? "running" : "queued";
    job.stages.set(record.id, stage);
    job[stage]++;
  };

  counts(): { done: number; total: number } {
    let done = 0;
    let total = 0;
    for (const job of this.jobs.values()) {
      done += job.done;
      total += job.total;
    }
    return { done, total };
  }

  /** The lines for now: each job not yet summed up as finished, then the whole run (with `extra`, e.g. money committed). */
  lines(extra?: string): string[] {
    const now = this.now();
    const out: string[] = [];
    let done = 0;
    let total = 0;
    let eta = 0;
    for (const job of this.jobs.values()) {
      done += job.done;
      total += job.total;
      const left = etaMs(job, now);
      if (left !== undefined) eta = Math.max(eta, left);
      else if (job.done < job.total) eta = NaN;
      if (job.reported) continue;
      if (job.finishedAt !== undefined) job.reported = true;
      out.push(jobLine(job, now, left));
    }
    const parts = [`fal-jobs: ${done}/${total} runs done`, `${formatElapsed(now - this.startedAt)} elapsed`];
    if (done < total) parts.push(Number.isNaN(eta) ? "no ETA until a run of each job has finished" : `ETA ~${formatElapsed(eta)}`);
    if (extra) parts.push(extra);
    out.push(parts.join(" · "));
    return out;
  }
}

function jobLine(job: JobProgress, now: number, left: number | undefined): string {
  const statuses = [...job.byStatus].map(([status, n]) => `${n} ${status}`).join(", ");
  const done = `${job.id}: ${job.done}/${job.total} done${statuses ? ` (${statuses})` : ""}`;
  if (job.finishedAt !== undefined) return `${done}, finished in ${formatElapsed(job.finishedAt - (job.startedAt ?? job.finishedAt))}`;
  const parts = [done];
  const inFlight = [job.running ? `${job.running} in progress` : "", job.queued ? `${job.queued} queued` : ""].filter(Boolean).join(", ");
  if (inFlight) parts.push(inFlight);
  parts.push(`${formatElapsed(job.startedAt === undefined ? 0 : now - job.startedAt)} elapsed`);
  parts.push(left === undefined ? "no ETA until a run has finished" : `ETA ~${formatElapsed(left)}`);
  return parts.join(" · ");
}

/** Time left at the job's pace so far (runs done per elapsed time); undefined before its first run has ended. */
function etaMs(job: JobProgress, now: number): number | undefined {
  if (job.done >= job.total) return 0;
  if (job.done === 0 || job.startedAt === undefined) return undefined;
  return ((now - job.startedAt) / job.done) * (job.total - job.done);
}

/** `42s`, `3m05s`, `1h02m`. */
function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** How often the reporter looks at the counts; it writes only when there is something to say. */
const CHECK_MS = 1000;

/**
 * Writes the lines as the run goes: each time another tenth of the runs is done (so a run of a few seconds shows
 * its pace too), and at least every `heartbeatMs` while nothing moves; then once more at the end. `extra` is asked
 * for each time (it changes as money is committed).
 */
export function startProgressReports(
  progress: RunProgress,
  opts: { heartbeatMs: number; write: (lines: string[]) => void; extra?: () => string; now?: () => number },
): { stop(): void } {
  const now = opts.now ?? Date.now;
  let lastAt = now();
  let lastTenth = 0;
  const timer = setInterval(() => {
    const { done, total } = progress.counts();
    if (done >= total) return; // the last lines come from stop()
    const tenth = Math.floor((done * 10) / total);
    if (tenth === lastTenth && now() - lastAt < opts.heartbeatMs) return;
    lastTenth = tenth;
    lastAt = now();
    opts.write(progress.lines(opts.extra?.()));
  }, CHECK_MS);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      opts.write(progress.lines(opts.extra?.()));
    },
  };
}
