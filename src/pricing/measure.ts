import type { InputCondition, MeasureParams } from "./catalog-schema.js";
import { isInputMeasurable, type UnitKind } from "./units.js";

/**
 * Turns the input a model will actually receive into the billing units fal
 * charges for it. Pure: no I/O, no prices.
 */

/**
 * fal's image_size presets: the six of fal's docs (docs.fal.ai model-arguments), and the HD, full-HD, quad-HD and
 * ultra-HD ones its toolkit adds (fal-ai/fal pull request #1076, toolkit/image/image.py; square_hd keeps 1024²).
 */
const IMAGE_SIZE_PRESETS: Readonly<Record<string, { width: number; height: number }>> = {
  square_hd: { width: 1024, height: 1024 },
  square: { width: 512, height: 512 },
  portrait_4_3: { width: 768, height: 1024 },
  portrait_16_9: { width: 576, height: 1024 },
  landscape_4_3: { width: 1024, height: 768 },
  landscape_16_9: { width: 1024, height: 576 },
  portrait_4_3_hd: { width: 960, height: 1280 },
  portrait_16_9_hd: { width: 720, height: 1280 },
  landscape_4_3_hd: { width: 1280, height: 960 },
  landscape_16_9_hd: { width: 1280, height: 720 },
  square_fhd: { width: 1440, height: 1440 },
  portrait_4_3_fhd: { width: 1440, height: 1920 },
  portrait_16_9_fhd: { width: 1080, height: 1920 },
  landscape_4_3_fhd: { width: 1920, height: 1440 },
  landscape_16_9_fhd: { width: 1920, height: 1080 },
  square_qhd: { width: 1920, height: 1920 },
  portrait_4_3_qhd: { width: 1920, height: 2560 },
  portrait_16_9_qhd: { width: 1440, height: 2560 },
  landscape_4_3_qhd: { width: 2560, height: 1920 },
  landscape_16_9_qhd: { width: 2560, height: 1440 },
  square_uhd: { width: 2560, height: 2560 },
  portrait_4_3_uhd: { width: 2880, height: 3840 },
  portrait_16_9_uhd: { width: 2160, height: 3840 },
  landscape_4_3_uhd: { width: 3840, height: 2880 },
  landscape_16_9_uhd: { width: 3840, height: 2160 },
};

/** Presets with which the model picks the size itself (Seedream's `auto`, `auto_2K`, `auto_4K` …). */
const MODEL_CHOSEN_SIZE = /^auto(_\w+)?$/i;

/** Presets some fal models accept (fal-js schemas: Ernie, GLM Image) whose pixel size fal does not document. */
const UNDOCUMENTED_PRESETS = new Set(["portrait_hd", "landscape_hd", "portrait_3_2", "landscape_3_2"]);

/** Outputs per run (`num_images` and the like): fal's models take a handful; a huge count is a typo or an attack. */
const MAX_COUNT = 10_000;
const MAX_PIXELS_PER_SIDE = 100_000;

/** fal bills images rounded up to whole megapixels of 1024 × 1024 pixels. */
const PIXELS_PER_MEGAPIXEL = 1024 * 1024;

export type Measurement =
  /** `upperBound`: the input bounds the units rather than setting them (the model may return fewer outputs). */
  | { ok: true; units: number; basis: string; upperBound?: true }
  | { ok: false; reason: string; fix: string };

export function measureUnits(kind: UnitKind, input: Record<string, unknown>, params: MeasureParams = {}): Measurement {
  if (!isInputMeasurable(kind)) {
    return {
      ok: false,
      reason: `billed in ${kind.replace(/_/g, " ")}, which depend on what the model does, not on the input`,
      fix: "set `units:` (billing units per run) or `max_cost:` (USD per run) on the job",
    };
  }
  switch (kind) {
    case "megapixels":
      return measureMegapixels(input, params);
    case "images":
    case "videos":
    case "audios":
      return measureCount(kind, input, params);
    case "requests":
      return { ok: true, units: 1, basis: "1 request" };
    case "seconds":
    case "five_seconds":
    case "minutes":
      return measureDuration(kind, input, params);
    case "kilo_characters":
    case "characters":
      return measureText(kind, input, params);
    default:
      return { ok: false, reason: `no rule for unit ${kind}`, fix: "set `units:` or `max_cost:` on the job" };
  }
}

/** A whole count from 1 to MAX_COUNT in `field` (default 1 when unset), or why not. */
function wholeCount(input: Record<string, unknown>, field: string): number | { error: string } {
  const v = input[field];
  if (v === undefined) return 1;
  // Digits only as text: Number("1e300") is an integer too, and would make the total Infinity.
  const n = typeof v === "string" ? (/^\s*\d{1,6}\s*$/.test(v) ? Number(v) : NaN) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_COUNT) return { error: `\`${field}\` must be a whole number from 1 to ${MAX_COUNT}, got ${JSON.stringify(v)}` };
  return n;
}

/**
 * Outputs one request is billed for: `count` (num_images). Where each generation may return up to
 * `max_per_count` outputs (Seedream's max_images: between num_images and num_images × max_images images, each
 * billed), the most it may return, flagged as a bound; `of` says how it was reached.
 */
function outputsOf(input: Record<string, unknown>, params: MeasureParams): { n: number; of?: string } | { error: string } {
  const field = params.count ?? "num_images";
  const n = wholeCount(input, field);
  if (typeof n !== "number") return n;
  if (params.max_per_count === undefined) return { n };
  const per = wholeCount(input, params.max_per_count);
  if (typeof per !== "number") return per;
  return per === 1 ? { n } : { n: n * per, of: `${field} ${n} × ${params.max_per_count} ${per}` };
}

function measureCount(kind: UnitKind, input: Record<string, unknown>, params: MeasureParams): Measurement {
  const c = outputsOf(input, params);
  if ("error" in c) return { ok: false, reason: c.error, fix: "fix the input" };
  const noun = kind === "images" ? "image" : kind === "videos" ? "video" : "audio";
  const counted = `${c.n} ${noun}${c.n === 1 ? "" : "s"}`;
  return c.of === undefined ? { ok: true, units: c.n, basis: counted } : { ok: true, units: c.n, basis: `up to ${counted} (${c.of})`, upperBound: true };
}

function imageDimensions(value: unknown): { width: number; height: number } | undefined {
  // Own keys only: "constructor" or "toString" would otherwise find a function and measure NaN megapixels.
  if (typeof value === "string") return Object.hasOwn(IMAGE_SIZE_PRESETS, value) ? IMAGE_SIZE_PRESETS[value] : undefined;
  if (value && typeof value === "object") {
    const { width, height } = value as { width?: unknown; height?: unknown };
    // Whole pixels: two tiny fractions would multiply to 0 MP, an estimate of $0 for a paid image.
    if (isPixels(width) && isPixels(height)) return { width, height };
  }
  return undefined;
}

function isPixels(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= MAX_PIXELS_PER_SIDE;
}

export function megapixelsPerImage(width: number, height: number): number {
  return Math.ceil((width * height) / PIXELS_PER_MEGAPIXEL);
}

function measureMegapixels(input: Record<string, unknown>, params: MeasureParams): Measurement {
  const c = outputsOf(input, params);
  if ("error" in c) return { ok: false, reason: c.error, fix: "fix the input" };
  let mp: number;
  let what: string;
  if (params.megapixels !== undefined) {
    mp = Math.ceil(params.megapixels);
    what = `${mp} MP`;
  } else {
    const field = params.size ?? "image_size";
    const size = input[field];
    const dims = imageDimensions(size);
    if (!dims) return unknownSize(field, size);
    mp = megapixelsPerImage(dims.width, dims.height);
    what = `${dims.width}×${dims.height} → ${mp} MP`;
  }
  if (c.of === undefined) return { ok: true, units: mp * c.n, basis: `${c.n} × ${what}` };
  return { ok: true, units: mp * c.n, basis: `up to ${c.n} (${c.of}) × ${what}`, upperBound: true };
}

/** Why an image size gives no megapixels: unset, chosen by the model, undocumented, or not a size at all. */
function unknownSize(field: string, size: unknown): Measurement {
  const orUnits = "set `units:` (megapixels per run) or `max_cost:` on the job";
  if (typeof size === "string" && MODEL_CHOSEN_SIZE.test(size)) {
    return { ok: false, reason: `\`${field}\` is ${JSON.stringify(size)}: the model picks the size, so its megapixels cannot be known before the run`, fix: `${orUnits}, or give \`${field}\` as {width, height}` };
  }
  if (typeof size === "string" && UNDOCUMENTED_PRESETS.has(size)) {
    return { ok: false, reason: `\`${field}\` is ${JSON.stringify(size)}, a preset whose pixel size fal does not document, so its megapixels cannot be known`, fix: `${orUnits}, or give \`${field}\` as {width, height}` };
  }
  const got = size === undefined ? "is not set and the model's default is not known" : `is ${JSON.stringify(size)}, which is neither a preset nor {width, height}`;
  return { ok: false, reason: `\`${field}\` ${got}`, fix: `set \`${field}\` to a preset (${Object.keys(IMAGE_SIZE_PRESETS).join(", ")}) or {width, height}, or set \`units:\`` };
}

const SECOND_UNITS = new Set(["", "s", "sec", "secs", "second", "seconds"]);

/** Longest media duration an input may ask for: a day. Longer is a typo, and an unbounded one can cost Infinity. */
const MAX_MEDIA_SECONDS = 86_400;

/**
 * "5", 5, "8s", "10 s" → seconds; undefined when the value is not a duration
 * at all. Zero and negative values come back as they are, so the caller can
 * say they must be > 0 instead of billing them as $0.
 */
function parseSeconds(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isNaN(value) ? undefined : value;
  if (typeof value === "string") {
    // Number, then the unit after any spaces. Not one regex: `\s*(unit)?\s*$` backtracks quadratically on "5" + spaces + "x".
    const text = value.trim();
    const number = /^-?\d+(?:\.\d+)?/.exec(text)?.[0];
    if (number !== undefined && SECOND_UNITS.has(text.slice(number.length).trimStart().toLowerCase())) return Number(number);
  }
  return undefined;
}

/** Why `seconds` (read from `field`) cannot be billed, or undefined when it can. */
function outOfRange(field: string, seconds: number, got: unknown): string | undefined {
  if (!(seconds > 0)) return `\`${field}\` must be > 0, got ${JSON.stringify(got)}`;
  if (!(seconds <= MAX_MEDIA_SECONDS)) return `\`${field}\` must be at most ${MAX_MEDIA_SECONDS} seconds (24 h), got ${JSON.stringify(got)}`;
  return undefined;
}

function measureDuration(kind: UnitKind, input: Record<string, unknown>, params: MeasureParams): Measurement {
  let seconds: number | undefined;
  let basis: string;
  if (params.frames) {
    const frames = input[params.frames];
    const fpsField = typeof params.fps === "string" ? params.fps : "fps";
    const fps = typeof params.fps === "string" ? Number(input[params.fps]) : (params.fps ?? 16);
    const fix = `set \`${params.frames}\` to a number of frames, or \`units:\``;
    if (typeof frames !== "number") return { ok: false, reason: `\`${params.frames}\` is not a frame count`, fix };
    if (!(frames > 0) || !Number.isFinite(frames)) return { ok: false, reason: `\`${params.frames}\` must be > 0, got ${JSON.stringify(frames)}`, fix };
    if (!(fps > 0) || !Number.isFinite(fps)) {
      return { ok: false, reason: `\`${fpsField}\` must be > 0 frames per second, got ${JSON.stringify(input[fpsField] ?? params.fps)}`, fix: `set \`${fpsField}\` to a number > 0, or \`units:\`` };
    }
    seconds = frames / fps;
    const bad = outOfRange(`${params.frames} ÷ ${fpsField}`, seconds, seconds);
    if (bad) return { ok: false, reason: bad, fix };
    basis = `${frames} frames ÷ ${fps} fps = ${round(seconds)} s`;
  } else {
    const field = params.duration ?? "duration";
    const v = input[field];
    seconds = parseSeconds(v);
    const fix = `set \`${field}\` (seconds) in the input, or \`units:\``;
    if (seconds === undefined) {
      return {
        ok: false,
        reason: v === undefined ? `\`${field}\` is not set and the model's default is not known` : `\`${field}\` is ${JSON.stringify(v)}, not a duration`,
        fix,
      };
    }
    const bad = outOfRange(field, seconds, v);
    if (bad) return { ok: false, reason: bad, fix };
    basis = `${round(seconds)} s`;
  }
  // A duration asked for is not always the length billed: fal may bill the delivered file's length (a public test:
  // 3 s asked, 3.008 s billed), which nothing knows before the run. The estimate stays at the length asked, says
  // so, and a run is settled from what fal reports or the outputs show (never below the length asked). Frames
  // follow fal's own rule (Wan: frames ÷ 16), so their seconds are not the delivered length.
  const asked = params.frames ? "" : ` ${AS_REQUESTED}`;
  if (kind === "five_seconds") {
    const blocks = Math.ceil(seconds / 5);
    return { ok: true, units: blocks, basis: `${basis} → ${blocks} × 5 s${asked}` };
  }
  if (kind === "minutes") return { ok: true, units: seconds / 60, basis: `${basis} = ${round(seconds / 60)} min${asked}` };
  return { ok: true, units: seconds, basis: `${basis}${asked}` };
}

const AS_REQUESTED = "as requested; fal may bill the delivered length, which can run slightly longer";

const TEXT_FIELDS = ["text", "gen_text", "input", "prompt"];

function measureText(kind: UnitKind, input: Record<string, unknown>, params: MeasureParams): Measurement {
  const field = params.text ?? TEXT_FIELDS.find((f) => typeof input[f] === "string");
  const text = field === undefined ? undefined : input[field];
  if (typeof text !== "string") {
    return { ok: false, reason: `no text field (${params.text ?? TEXT_FIELDS.join("/")}) in the input`, fix: "set the text, or `units:`" };
  }
  // fal counts characters as users see them, not UTF-16 units.
  const chars = [...text].length;
  // 0 characters would be an estimate of $0; fal rejects an empty text or bills a minimum we cannot know.
  if (chars === 0) return { ok: false, reason: `\`${field}\` is empty`, fix: `set the text, or \`units:\`` };
  if (kind === "characters") return { ok: true, units: chars, basis: `${chars} chars` };
  return { ok: true, units: chars / 1000, basis: `${chars} chars ÷ 1000` };
}

/** Does the input satisfy a tier/surcharge condition? Compared as text, case-insensitively. */
export function matchesCondition(input: Record<string, unknown>, when: InputCondition): boolean {
  for (const [key, expected] of Object.entries(when)) {
    const actual = input[key];
    const options = Array.isArray(expected) ? expected : [expected];
    const a = norm(actual);
    if (!options.some((o) => norm(o) === a)) return false;
  }
  return true;
}

function norm(v: unknown): string {
  return typeof v === "string" ? v.trim().toLowerCase() : JSON.stringify(v);
}

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
