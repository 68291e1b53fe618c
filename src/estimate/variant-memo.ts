import type { Variant } from "../plan/expand.js";

/**
 * Each distinct variant of a job priced once. A 100,000-variant matrix
 * usually varies a prompt that pricing never reads (a flux image is priced
 * by its size and count), so most variants would be estimated identically,
 * each through several intermediate objects.
 *
 * Which fields pricing reads is not declared but observed: the first
 * estimate of an input is made through a view that records every field read
 * of it (`get` only). Pricing is a pure function of the job, its quotes and
 * the fields it reads, so any later variant whose values of those fields
 * equal the recorded ones — compared by an exact encoding, and "absent"
 * where absent — gets the same estimate, with its own label and runs. A
 * read the view cannot record (enumerating the input, `in`, anything but
 * `get`) makes it recompute that variant on the plain input, uncached; a job
 * whose variants rarely repeat stops recording after a trial.
 */

/** The input the model receives, over `defaults` (the model's known defaults). */
export type InputView = (defaults: Record<string, unknown> | undefined) => Record<string, unknown>;

/** The input over the defaults, as a plain object. */
function plainView(input: Record<string, unknown>): InputView {
  return (defaults) => (defaults ? { ...defaults, ...input } : input);
}

/** Different sets of fields read within one job (an input missing a field may make pricing read another). */
const MAX_READ_SETS = 8;
/** Estimates made before the memo judges itself: with fewer found again than made, it steps aside. */
const TRIAL = 64;

/**
 * `notes`: what pricing says of the job as a whole (a set, so once per note). A recorded estimate writes its notes
 * to a scratch set, kept only when the estimate is: one remade on the plain input may not leave the first's behind.
 */
export class VariantMemo<E extends { label: string; runs: number }> {
  private readonly sets: Array<{ fields: string[]; id: string; found: Map<string, E> }> = [];
  private made = 0;
  private hits = 0;
  private off: boolean;

  constructor(
    private readonly notes: Set<string>,
    enabled = true,
  ) {
    this.off = !enabled;
  }

  estimate(variant: Variant, make: (view: InputView, notes: Set<string>) => E): E {
    const input = variant.input;
    if (this.off) return make(plainView(input), this.notes);
    for (const set of this.sets) {
      const hit = set.found.get(keyOf(input, set.fields));
      if (hit) {
        this.hits++;
        return { ...hit, label: variant.label, runs: variant.runs };
      }
    }
    if (++this.made >= TRIAL && this.hits < this.made) this.off = true;
    const reads = new Set<string>();
    const notes = new Set<string>();
    let opaque = false;
    const made = make(recordingView(input, reads, () => (opaque = true)), notes);
    if (opaque) return make(plainView(input), this.notes);
    for (const note of notes) this.notes.add(note);
    const fields = [...reads].sort();
    const id = JSON.stringify(fields);
    let set = this.sets.find((s) => s.id === id);
    if (!set && this.sets.length < MAX_READ_SETS) this.sets.push((set = { fields, id, found: new Map() }));
    set?.found.set(keyOf(input, fields), made);
    return made;
  }
}

/**
 * The input over the defaults, as plainView's object reads, recording each
 * field read. Anything but a read is `opaque` (and changes nothing): the
 * caller then recomputes on the plain input.
 */
function recordingView(input: Record<string, unknown>, reads: Set<string>, opaque: () => void): InputView {
  return (defaults) => {
    const refuse = () => {
      opaque();
      return true;
    };
    return new Proxy(input, {
      get(target, key) {
        if (typeof key !== "string") opaque();
        else reads.add(key);
        // As in { ...defaults, ...input }: the input's own fields, then the defaults' (or the input's prototype without them).
        return Object.hasOwn(target, key) ? target[key as string] : Reflect.get(defaults ?? target, key);
      },
      has: (target, key) => (opaque(), Reflect.has(target, key)),
      ownKeys: (target) => (opaque(), Reflect.ownKeys(target)),
      getOwnPropertyDescriptor: (target, key) => (opaque(), Reflect.getOwnPropertyDescriptor(target, key)),
      set: refuse,
      defineProperty: refuse,
      deleteProperty: refuse,
    });
  };
}

/** The values of `fields` in `input`, encoded so that different values never encode alike. */
function keyOf(input: Record<string, unknown>, fields: readonly string[]): string {
  let key = "";
  for (const f of fields) key += `${Object.hasOwn(input, f) ? encode(input[f]) : "-"}\u0001`;
  return key;
}

let unique = 0;

function encode(v: unknown): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Object.is(v, -0) ? "-0" : `${v}`;
    case "boolean":
      return v ? "t" : "f";
    case "undefined":
      return "u";
    case "bigint":
      return `${v}n`;
    case "object":
      if (v === null) return "z";
      if (Array.isArray(v)) return `[${v.map(encode).join(",")}]`;
      // Plain data only (all a manifest holds): any other object is equal to nothing else.
      if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return `?${unique++}`;
      return `{${Object.keys(v)
        .map((k) => `${JSON.stringify(k)}:${encode((v as Record<string, unknown>)[k])}`)
        .join(",")}}`;
    default:
      // A function or symbol (no manifest holds one): equal to nothing else.
      return `?${unique++}`;
  }
}
