import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { downloadFile, type DownloadPolicy } from "../adapters/download.js";
import { formatUsd } from "../util/money.js";
import { Limiter } from "./limiter.js";
import { findOutputFiles, findTextOutputs, safeFileName, safeSegment } from "./outputs.js";
import type { RunRecord } from "./types.js";

/**
 * Keeps what a run produced: downloads every file into
 * `<output-dir>/<job>/<run>/`, saves text results as files, and writes the
 * run's `result.json`. A file that cannot be fetched is recorded with its
 * error and its URL (fal keeps media for days), never silently dropped.
 */

export interface CollectorOptions {
  outputDir: string;
  policy: DownloadPolicy;
  /** Downloads in flight at once, across all runs. */
  concurrency: number;
  signal?: AbortSignal;
  /** Inputs by run id, for result.json. */
  inputOf: (record: RunRecord) => Record<string, unknown>;
}

export interface Collector {
  /** Downloads the run's outputs and writes its result.json (with `extra` cost fields). */
  collect(record: RunRecord, data: unknown, extra?: Record<string, unknown>): Promise<void>;
  writeResultFile(record: RunRecord, extra?: Record<string, unknown>): Promise<void>;
}

export function createCollector(opts: CollectorOptions): Collector {
  const limiter = new Limiter(opts.concurrency);
  const usedDirs = new Set<string>();
  const results = new Map<string, unknown>();

  function runDir(record: RunRecord): string {
    const base = path.join(safeSegment(record.job, 64), safeSegment(record.variant ? `${record.variant}-${record.repeat}` : `run-${record.repeat}`));
    let dir = base;
    for (let n = 2; usedDirs.has(dir); n++) dir = `${base}~${n}`;
    usedDirs.add(dir);
    return dir;
  }

  async function writeResultFile(record: RunRecord, extra: Record<string, unknown> = {}): Promise<void> {
    if (!record.dir) return;
    const body = {
      run: record.id,
      job: record.job,
      model: record.model,
      input: opts.inputOf(record),
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
    await writeFile(path.join(opts.outputDir, record.dir, "result.json"), `${JSON.stringify(body, null, 2)}\n`);
  }

  async function collect(record: RunRecord, data: unknown, extra: Record<string, unknown> = {}): Promise<void> {
    if (!record.submitted) return;
    record.dir = runDir(record);
    const abs = path.join(opts.outputDir, record.dir);
    await mkdir(abs, { recursive: true });
    if (data !== undefined) results.set(record.id, data);

    const files = findOutputFiles(data);
    record.outputs = files.map((f) => ({ source: f.source, url: f.url, content_type: f.contentType, path: null, bytes: null, sha256: null, error: null }));
    await Promise.all(
      files.map(async (f, i) => {
        const out = record.outputs[i]!;
        const name = safeFileName(f);
        await limiter.acquire();
        try {
          const d = await downloadFile(f.url, path.join(abs, name), opts.policy, opts.signal);
          Object.assign(out, { path: path.join(record.dir!, name), bytes: d.bytes, sha256: d.sha256, content_type: out.content_type ?? d.contentType });
        } catch (err) {
          out.error = (err as Error).message;
        } finally {
          limiter.release();
        }
      }),
    );
    for (const t of findTextOutputs(data)) {
      const name = `${t.source}.txt`;
      await writeFile(path.join(abs, name), t.text);
      record.outputs.push({ source: t.source, url: "", content_type: "text/plain", path: path.join(record.dir, name), bytes: Buffer.byteLength(t.text), sha256: null, error: null });
    }
    await writeResultFile(record, extra);
  }

  return { collect, writeResultFile };
}
