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

const MAX_DEPTH = 8;

export function findOutputFiles(data: unknown): FoundFile[] {
  const out: FoundFile[] = [];
  walk(data, "", 0, out);
  return out;
}

function walk(value: unknown, path: string, depth: number, out: FoundFile[]): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${path}[${i}]`, depth + 1, out));
    return;
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj.url === "string" && isFileLike(obj, path)) {
    out.push({
      source: path || "file",
      url: obj.url,
      contentType: typeof obj.content_type === "string" ? obj.content_type : null,
      fileName: typeof obj.file_name === "string" ? obj.file_name : null,
    });
    return;
  }
  for (const [k, v] of Object.entries(obj)) {
    // A bare URL string under a file key (`audio_url: "https://…"`) is a file too.
    if (typeof v === "string" && BARE_URL_KEYS.test(k) && /^https?:\/\//.test(v)) {
      out.push({ source: join(path, k), url: v, contentType: null, fileName: null });
    } else {
      walk(v, join(path, k), depth + 1, out);
    }
  }
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
 * a server-chosen name alone, so it cannot traverse (`../`), hide (`.x`), or
 * collide (JSON paths are unique within a result).
 */
export function safeFileName(file: FoundFile): string {
  const stem = file.source.replace(/\[(\d+)\]/g, "_$1").replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 80) || "file";
  return `${stem}${extensionOf(file)}`;
}

function extensionOf(file: FoundFile): string {
  const byType = file.contentType ? EXT_BY_TYPE[file.contentType.split(";")[0]!.trim().toLowerCase()] : undefined;
  if (byType) return byType;
  // Only a name with a stem counts: `.bashrc` has no extension.
  const fromName = (name: string | null) => /[^/.][^/]*\.([A-Za-z0-9]{1,5})$/.exec(name ?? "")?.[1]?.toLowerCase();
  const ext = fromName(file.fileName) ?? fromName(urlPathOf(file.url));
  return ext ? `.${ext}` : ".bin";
}

function urlPathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}

/** A directory name for a run: readable, filesystem-safe, bounded. Uniqueness is the caller's (see RunDirs). */
export function safeSegment(text: string, max = 100): string {
  const s = text.replace(/[^A-Za-z0-9._=,-]+/g, "_").replace(/^[._]+/, "").replace(/_+$/, "");
  return (s || "run").slice(0, max);
}
