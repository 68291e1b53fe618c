import { hash } from "node:crypto";
import type { Plan, PlannedJob, PlannedRun, Variant } from "../plan/expand.js";
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
  const get = () => (keys ??= keysFromList(plan, planKeys(plan)));
  return { at: (job, variantIndex, repeat) => get().at(job, variantIndex, repeat), of: (run) => get().of(run) };
}

/**
 * What hashing some of a plan's keys needs, as plain data that crosses to
 * another thread cheaply: variants' encodings up to the repeat, in plan
 * order, one per line of one string (canonical JSON has no raw line break),
 * and how many repeats each has in the full plan.
 */
export interface KeyChunk {
  prefixes: string;
  runs: number[];
}

/**
 * Jobs' variants in chunks of at most `size`, in plan order: a thread can hash one while the next is encoded (given
 * job by job, each job's last chunk may be smaller).
 */
export function* keyChunks(jobs: readonly PlannedJob[], size: number): Generator<KeyChunk> {
  let lines: string[] = [];
  let runs: number[] = [];
  for (const { prefix, repeats } of keyPrefixes(jobs)) {
    lines.push(prefix);
    runs.push(repeats);
    if (lines.length >= size) {
      yield { prefixes: lines.join("\n"), runs };
      lines = [];
      runs = [];
    }
  }
  if (lines.length) yield { prefixes: lines.join("\n"), runs };
}

/** Per job, how many repeats each variant has (the full plan's). */
export function keyRepeats(plan: Plan): number[][] {
  return plan.jobs.map((job) => job.variants.map(fullRuns));
}

function fullRuns(v: Variant): number {
  if (v.repeats) throw new Error("internal: run keys are made from the full plan, not a restricted one");
  return v.runs;
}

/** Each variant's encoding up to the repeat, and its repeats, in plan order. */
function* keyPrefixes(jobs: readonly PlannedJob[]): Generator<{ prefix: string; repeats: number }> {
  for (const job of jobs) {
    const head = `[${JSON.stringify(KEY_SCHEME)},${JSON.stringify(job.model)},`;
    const encode = compileCanonical(job.spec.input);
    for (const v of job.variants) yield { prefix: `${head}${encode(v.input)},`, repeats: fullRuns(v) };
  }
}

/** The plan's keys (see KeyHasher). */
export function planKeys(plan: Plan): string {
  const hasher = new KeyHasher();
  for (const { prefix, repeats } of keyPrefixes(plan.jobs)) hasher.add(prefix, repeats);
  return hasher.keys();
}

/** Hex digits in a run key. */
const KEY_LENGTH = 64;

/**
 * Every run's key, in plan order (job, variant, repeat), from each variant's
 * encoding given in that order, packed into one string of KEY_LENGTH digits
 * each (one string rather than 100,000: less for the collector to trace, and
 * one copy to cross threads); keyAt reads one. A variant whose model and
 * input appeared before is its n-th occurrence: equal prefixes give equal
 * first-repeat keys, so the key itself counts occurrences.
 */
export class KeyHasher {
  /** Keys packed CHUNK at a time: 100,000 key strings kept until the end would each be copied by the collector. */
  private readonly packed: string[] = [];
  private list: string[] = [];
  private readonly occurrences = new Occurrences((position) => this.keyAt(position));

  add(prefix: string, runs: number): void {
    const first = hash("sha256", `${prefix}1]`);
    const n = this.occurrences.count(first, this.packed.length * CHUNK + this.list.length);
    for (let r = 1; r <= runs; r++) {
      this.list.push(r === 1 && n === 1 ? first : hash("sha256", `${prefix}${r}${n > 1 ? `,${n}` : ""}]`));
      if (this.list.length === CHUNK) {
        this.packed.push(this.list.join(""));
        this.list = [];
      }
    }
  }

  /** A chunk's variants (keyChunks), in order after those added before. */
  addChunk(chunk: KeyChunk): void {
    let lines = 1;
    for (let i = chunk.prefixes.indexOf("\n"); i !== -1; i = chunk.prefixes.indexOf("\n", i + 1)) lines++;
    if (lines !== chunk.runs.length) throw new Error(`internal: a key chunk of ${lines} encodings for ${chunk.runs.length} variants`);
    let start = 0;
    for (const runs of chunk.runs) {
      const end = chunk.prefixes.indexOf("\n", start);
      this.add(chunk.prefixes.slice(start, end === -1 ? undefined : end), runs);
      start = end + 1;
    }
  }

  keys(): string {
    return this.packed.join("") + this.list.join("");
  }

  private keyAt(position: number): string {
    const chunk = Math.floor(position / CHUNK);
    return chunk < this.packed.length ? keyAt(this.packed[chunk]!, position % CHUNK) : this.list[position % CHUNK]!;
  }
}

const CHUNK = 4096;

/**
 * Each key's occurrences, counted without keeping the keys (the hasher has
 * them). A Map of 100,000 key strings would cost about half as much as
 * hashing them; keys are random, so their first 28 bits index an
 * open-addressing table of integers directly, and a whole key is read back
 * and compared only where those bits are equal.
 */
class Occurrences {
  /** Per slot: 1 + the index of a distinct key in the arrays below; 0: empty. At most half full, so probes stay short. */
  private slots = new Int32Array(1 << 12);
  private readonly heads: number[] = [];
  /** Where each distinct key is among all keys, to read it back. */
  private readonly positions: number[] = [];
  private readonly counts: number[] = [];

  constructor(private readonly keyAt: (position: number) => string) {}

  /** The occurrence (1, 2 …) of `key`, the key at `position`. */
  count(key: string, position: number): number {
    if (this.heads.length * 2 >= this.slots.length) this.grow();
    const h = head(key);
    const mask = this.slots.length - 1;
    let i = h & mask;
    for (let at = this.slots[i]!; at !== 0; i = (i + 1) & mask, at = this.slots[i]!) {
      if (this.heads[at - 1] === h && this.keyAt(this.positions[at - 1]!) === key) return ++this.counts[at - 1]!;
    }
    this.heads.push(h);
    this.positions.push(position);
    this.counts.push(1);
    this.slots[i] = this.heads.length;
    return 1;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    this.heads.forEach((h, d) => {
      let i = h & mask;
      while (this.slots[i] !== 0) i = (i + 1) & mask;
      this.slots[i] = d + 1;
    });
  }
}

/** The i-th key in `keys` (planKeys' or KeyHasher's packed form). */
export function keyAt(keys: string, i: number): string {
  return keys.slice(i * KEY_LENGTH, (i + 1) * KEY_LENGTH);
}

/** A key's first 7 hex digits (28 bits) as an integer. */
function head(key: string): number {
  let h = 0;
  for (let i = 0; i < 7; i++) {
    const c = key.charCodeAt(i);
    h = h * 16 + (c <= 57 ? c - 48 : c - 87);
  }
  return h;
}

/** Where each variant's runs start in plan order (job, variant, repeat), and how many runs there are. */
export function runOffsets(repeats: readonly (readonly number[])[]): { offsets: number[][]; total: number } {
  let total = 0;
  const offsets = repeats.map((job) => job.map((runs) => ((total += runs), total - runs)));
  return { offsets, total };
}

/** RunKeys over the plan's keys (planKeys, KeyHasher) for `plan` (the full plan they were made from). */
export function keysFromList(plan: Plan, keys: string): RunKeys {
  const { offsets, total } = runOffsets(plan.jobs.map((job) => job.variants.map((v) => v.runs)));
  if (total * KEY_LENGTH !== keys.length) throw new Error(`internal: ${keys.length / KEY_LENGTH} run keys for a plan of ${total} runs`);
  const at = (job: PlannedJob, variantIndex: number, repeat: number): string => keyAt(keys, offsets[job.index]![variantIndex]! + repeat - 1);
  return { at, of: (run) => at(run.job, run.variantIndex, run.repeat) };
}
