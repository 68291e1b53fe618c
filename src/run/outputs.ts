/**
 * Finds what a run produced: every file fal returned (images[], image, video,
 * audio, audio_url, audio_file, or any object with a url and a content type or
 * file name) and the text results (LLM output, transcripts), and names each one
 * safely for the output directory.
 */

export interface FoundFile {
  /** JSON path in the result: `images[0]`, `video`, `audio_url`. */
  source: string;
  url: string;
  contentType: string | null;
  fileName: string | null;
}

export interface FoundText {
  source: string;
  text: string;
}

/**
 * Containers (objects, arrays) visited at most per result. There is no depth
 * limit (a file nested deep is still a file paid for); this bounds the work
 * on a hostile or enormous result instead, and the caller says so when hit.
 */
export const MAX_SCAN_NODES = 100_000;

export interface FoundFiles {
  files: FoundFile[];
  /** False when the scan stopped at the node cap: files past it were not looked for. */
  complete: boolean;
}

/** Iterative, in document order. */
export function findOutputFiles(data: unknown, maxNodes = MAX_SCAN_NODES): FoundFiles {
  const files: FoundFile[] = [];
  // A bare URL string under a file key (`audio_url: "https://…"`) is a file too: queued as `bare` to keep the order.
  type Item = { path: string; value: unknown; bare?: false } | { path: string; value: string; bare: true };
  const stack: Item[] = data !== null && typeof data === "object" ? [{ path: "", value: data }] : [];
  let visited = 0;
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item.bare) {
      files.push({ source: item.path, url: item.value, contentType: null, fileName: null });
      continue;
    }
    const { value, path } = item;
    if (++visited > maxNodes) return { files, complete: false };
    // Only what can hold or be a file is queued: a long array of numbers costs no allocations.
    const children: Item[] = [];
    const isContainer = (v: unknown) => v !== null && typeof v === "object";
    if (Array.isArray(value)) {
      value.forEach((v, i) => isContainer(v) && children.push({ path: `${path}[${i}]`, value: v }));
    } else {
      const obj = value as Record<string, unknown>;
      if (typeof obj.url === "string" && isFileLike(obj, path)) {
        files.push({
          source: path || "file",
          url: obj.url,
          contentType: typeof obj.content_type === "string" ? obj.content_type : null,
          fileName: typeof obj.file_name === "string" ? obj.file_name : null,
        });
        continue;
      }
      for (const [k, v] of Object.entries(obj)) {
        if (typeof v === "string" && BARE_URL_KEYS.test(k) && /^https?:\/\//.test(v)) children.push({ path: join(path, k), value: v, bare: true });
        else if (isContainer(v)) children.push({ path: join(path, k), value: v });
      }
    }
    // Reversed onto the stack, so they come off in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return { files, complete: true };
}

const BARE_URL_KEYS = /^(audio|video|image|file|mesh|model)_url$/;

const FILE_KEYS = /(^|\.|\])(images?|videos?|audios?|audio_url|audio_file|files?|mesh|model_mesh|output|outputs)(\[\d+\])?$/;

function isFileLike(obj: Record<string, unknown>, path: string): boolean {
  return typeof obj.content_type === "string" || typeof obj.file_name === "string" || typeof obj.file_size === "number" || FILE_KEYS.test(path);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Top-level text results worth a file of their own. */
export function findTextOutputs(data: unknown): FoundText[] {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return [];
  const out: FoundText[] = [];
  for (const key of ["output", "text", "transcript", "response", "completion"]) {
    const v = (data as Record<string, unknown>)[key];
    if (typeof v === "string" && v.length > 0) out.push({ source: key, text: v });
  }
  return out;
}

const EXT_BY_TYPE: Record<string, string> = {
  "image/png": ".png",
  "image/jpeg": ".jpg",
  "image/webp": ".webp",
  "image/gif": ".gif",
  "video/mp4": ".mp4",
  "video/webm": ".webm",
  "audio/mpeg": ".mp3",
  "audio/wav": ".wav",
  "audio/x-wav": ".wav",
  "audio/ogg": ".ogg",
  "audio/flac": ".flac",
  "model/gltf-binary": ".glb",
  "application/json": ".json",
  "text/plain": ".txt",
};

/**
 * A file name made only from the JSON path and a vetted extension: never from
 * a server-chosen name alone, so it cannot traverse (`../`) or hide (`.x`).
 * Different paths can map to one name (`images[0]`, `images_0`; long paths
 * cut to one stem): UniqueNames settles that.
 */
export function safeFileName(file: FoundFile): string {
  let stem = file.source.replace(/\[(\d+)\]/g, "_$1").replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 80) || "file";
  // Names Windows cannot create, whatever the extension: the artifact may be unpacked there.
  if (/^(con|prn|aux|nul|com\d|lpt\d)$/i.test(stem)) stem += "_";
  return `${stem}${extensionOf(file)}`;
}

function extensionOf(file: FoundFile): string {
  const byType = file.contentType ? EXT_BY_TYPE[file.contentType.split(";")[0]!.trim().toLowerCase()] : undefined;
  if (byType) return byType;
  // Only a name with a stem counts: `.bashrc` has no extension. `.part` is what unfinished downloads are called.
  const fromName = (name: string | null) => /[^/.][^/]*\.([A-Za-z0-9]{1,5})$/.exec(name ?? "")?.[1]?.toLowerCase();
  const ext = fromName(file.fileName) ?? fromName(urlPathOf(file.url));
  return ext && ext !== "part" ? `.${ext}` : ".bin";
}

/**
 * Hands out file names within one directory, each once. Compared without
 * case, since artifacts are often unpacked on macOS or Windows; a taken name
 * gets `~2`, `~3`… before its extension. Reserved names (the run's own
 * `result.json`) are never handed out.
 */
export class UniqueNames {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(name.toLowerCase());
  }

  take(name: string): string {
    const dot = name.lastIndexOf(".");
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
    let candidate = name;
    for (let n = 2; this.taken.has(candidate.toLowerCase()); n++) candidate = `${stem}~${n}${ext}`;
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }
}

function urlPathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}

/** A directory name for a run: readable, filesystem-safe, bounded. Uniqueness is the caller's (`runDir` in collect.ts). */
export function safeSegment(text: string, max = 100): string {
  const s = text.replace(/[^A-Za-z0-9._=,-]+/g, "_").replace(/^[._]+/, "").replace(/_+$/, "");
  return (s || "run").slice(0, max);
}
