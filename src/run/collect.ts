import { createHash } from "node:crypto";
import path from "node:path";
import { formatUsd } from "../util/money.js";
import { ensureDirUnder, writeFileNoFollow } from "../util/safe-fs.js";
import { Limiter } from "./limiter.js";
import { findOutputFiles, findTextOutputs, MAX_SCAN_NODES, safeFileName, safeSegment, UniqueNames } from "./outputs.js";
import type { OutputFile, RunRecord } from "./types.js";

/**
 * Keeps what a run produced: downloads every file into
 * `<output-dir>/<job>/<run>/`, saves text results as files, and writes the
 * run's `result.json`. Every file gets a name of its own in the run's folder
 * (see UniqueNames). A file that cannot be fetched or kept (an error, a cap,
 * cancellation) is recorded with its error and its URL (fal keeps media for
 * days), never silently dropped. Nothing is written through a symlink.
 */

interface CollectorLimits {
  /** Files one run may download: model results hold a few, so more means a malformed or hostile result. */
  filesPerRun: number;
  /** Files for the whole manifest, keeping the artifact uploadable. */
  totalFiles: number;
  /** Bytes for the whole manifest: a hosted runner has about 14 GB of free disk. */
  totalBytes: number;
}

const DEFAULT_COLLECTOR_LIMITS: CollectorLimits = { filesPerRun: 200, totalFiles: 10_000, totalBytes: 10 * 1024 ** 3 };

const RESULT_FILE = "result.json";

/** Bytes shared by several downloads (a cap for the whole run): take before writing, give back what a failed attempt took. */
export interface ByteBudget {
  /** The cap, for messages. */
  readonly limit?: number;
  take(bytes: number): boolean;
  give(bytes: number): void;
}

export interface Downloaded {
  bytes: number;
  sha256: string;
  contentType: string | null;
}

/** Fetches one output file to `dest` (the CDN adapter): a file never half-written under its final name. */
type FetchFile = (url: string, dest: string, signal: AbortSignal | undefined, budget: ByteBudget) => Promise<Downloaded>;

export interface CollectorOptions {
  outputDir: string;
  fetchFile: FetchFile;
  /** Downloads in flight at once, across all runs. */
  concurrency: number;
  /** The run's cancellation (SIGTERM, deadline): downloads in flight stop, those not started are recorded as not downloaded. */
  signal?: AbortSignal;
  limits?: Partial<CollectorLimits>;
}

export interface Collector {
  /** Downloads the run's outputs and writes its result.json (with `extra` cost fields). */
  /** `input` is what the model received, kept for result.json. */
  collect(record: RunRecord, input: Record<string, unknown>, data: unknown, extra?: Record<string, unknown>): Promise<void>;
  writeResultFile(record: RunRecord, extra?: Record<string, unknown>): Promise<void>;
}

export function createCollector(opts: CollectorOptions): Collector {
  const limits = { ...DEFAULT_COLLECTOR_LIMITS, ...opts.limits };
  const limiter = new Limiter(opts.concurrency);
  // Compared without case: one folder on macOS and Windows.
  const usedDirs = new Set<string>();
  const results = new Map<string, unknown>();
  const inputs = new Map<string, Record<string, unknown>>();
  let filesLeft = limits.totalFiles;
  let bytesLeft = limits.totalBytes;
  const bytes: ByteBudget = {
    limit: limits.totalBytes,
    take: (n) => (n <= bytesLeft ? ((bytesLeft -= n), true) : false),
    give: (n) => void (bytesLeft += n),
  };

  function runDir(record: RunRecord): string {
    const base = path.join(safeSegment(record.job, 64), safeSegment(record.variant ? `${record.variant}-${record.repeat}` : `run-${record.repeat}`));
    let dir = base;
    for (let n = 2; usedDirs.has(dir.toLowerCase()); n++) dir = `${base}~${n}`;
    usedDirs.add(dir.toLowerCase());
    return dir;
  }

  async function writeResultFile(record: RunRecord, extra: Record<string, unknown> = {}): Promise<void> {
    if (!record.dir) return;
    const body = {
      run: record.id,
      job: record.job,
      model: record.model,
      input: inputs.get(record.id) ?? null,
      request_id: record.request_id,
      status: record.status,
      error: record.error,
      timings: record.timings,
      outputs: record.outputs,
      cost: {
        estimated: formatUsd(record.estimate_nano),
        unit_price: record.unit_price,
        header_units: record.header_units,
        ...extra,
      },
      fal_result: results.get(record.id) ?? null,
    };
    try {
      await writeFileNoFollow(path.join(opts.outputDir, record.dir, RESULT_FILE), `${JSON.stringify(body, null, 2)}\n`);
    } catch (err) {
      // Said once in the run's outputs, where the report shows it.
      if (!record.outputs.some((o) => o.source === RESULT_FILE && o.error)) record.outputs.push(notKept(RESULT_FILE, "", `${RESULT_FILE} not written: ${(err as Error).message}`));
    }
  }

  async function collect(record: RunRecord, input: Record<string, unknown>, data: unknown, extra: Record<string, unknown> = {}): Promise<void> {
    if (!record.submitted) return;
    const dir = runDir(record);
    let abs: string | null = null;
    let dirError: string | null = null;
    try {
      abs = await ensureDirUnder(opts.outputDir, dir);
      record.dir = dir;
    } catch (err) {
      dirError = `not saved: ${(err as Error).message}`;
    }
    inputs.set(record.id, input);
    if (data !== undefined) results.set(record.id, data);

    const scan = findOutputFiles(data);
    const names = new UniqueNames([RESULT_FILE]);
    const planned = scan.files.map((f) => ({ f, name: names.take(safeFileName(f)), out: notKept(f.source, f.url, null, f.contentType) }));
    record.outputs = planned.map((p) => p.out);
    await Promise.all(
      planned.map(async ({ f, name, out }, i) => {
        if (dirError || !abs) return void (out.error = `${dirError}; the file is still at its URL`);
        if (i >= limits.filesPerRun) {
          out.error = `not downloaded: the result lists ${planned.length} files, over the cap of ${limits.filesPerRun} files per run; the file is still at its URL`;
          return;
        }
        await limiter.acquire();
        try {
          if (filesLeft <= 0) {
            out.error = `not downloaded: the cap of ${limits.totalFiles} files for the whole manifest was reached; the file is still at its URL`;
            return;
          }
          filesLeft--;
          const d = await opts.fetchFile(f.url, path.join(abs, name), opts.signal, bytes);
          Object.assign(out, { path: path.join(dir, name), bytes: d.bytes, sha256: d.sha256, content_type: out.content_type ?? d.contentType });
        } catch (err) {
          filesLeft++;
          out.error = (err as Error).message;
        } finally {
          limiter.release();
        }
      }),
    );
    if (!scan.complete) {
      record.outputs.push(notKept("(scan)", "", `result too large to scan: stopped after ${MAX_SCAN_NODES} objects and arrays, so files past that point were not looked for; the whole result is in ${RESULT_FILE}`));
    }
    for (const t of findTextOutputs(data)) {
      const out = notKept(t.source, "", dirError, "text/plain");
      const name = names.take(`${t.source}.txt`);
      if (abs) {
        try {
          await writeFileNoFollow(path.join(abs, name), t.text);
          Object.assign(out, { path: path.join(dir, name), bytes: Buffer.byteLength(t.text), sha256: createHash("sha256").update(t.text).digest("hex") });
        } catch (err) {
          out.error = (err as Error).message;
        }
      }
      record.outputs.push(out);
    }
    await writeResultFile(record, extra);
  }

  return { collect, writeResultFile };
}

function notKept(source: string, url: string, error: string | null, contentType: string | null = null): OutputFile {
  return { source, url, content_type: contentType, path: null, bytes: null, sha256: null, error };
}
