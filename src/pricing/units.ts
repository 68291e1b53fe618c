/**
 * fal's pricing API returns `unit` as free-form text ("megapixels", "images",
 * "video seconds", "1000 characters", "compute seconds", "5_seconds" …).
 * Everything downstream works on these normalized kinds; an unrecognized unit
 * is `opaque`, which can never be estimated from the input alone.
 */
export type UnitKind =
  | "megapixels"
  | "images"
  | "videos"
  | "audios"
  | "requests"
  | "seconds"
  | "five_seconds"
  | "minutes"
  | "kilo_characters"
  | "characters"
  | "tokens"
  | "million_tokens"
  | "compute_seconds"
  | "opaque";

const ALIASES: ReadonlyArray<[RegExp, UnitKind]> = [
  [/^(mega ?pixels?|mp|mpx)$/, "megapixels"],
  [/^(images?|pictures?|img)$/, "images"],
  [/^(videos?)$/, "videos"],
  [/^(audios?|audio files?|tracks?)$/, "audios"],
  [/^(requests?|calls?|generations?|runs?)$/, "requests"],
  [/^(compute ?seconds?|gpu ?seconds?|compute_seconds)$/, "compute_seconds"],
  [/^((video |audio |output )?seconds?|video ?second|sec|s)$/, "seconds"],
  [/^(5 ?seconds?|5_seconds|five seconds)$/, "five_seconds"],
  [/^((audio |video )?minutes?|min)$/, "minutes"],
  [/^(1000 characters?|1k characters?|1_000 characters?|kilo ?characters?|1000_characters)$/, "kilo_characters"],
  [/^(characters?|chars?)$/, "characters"],
  [/^(1m ?tokens?|1m_tokens|million tokens?|1,000,000 tokens?)$/, "million_tokens"],
  [/^(tokens?)$/, "tokens"],
];

export function normalizeUnit(raw: string): UnitKind {
  const key = raw.trim().toLowerCase().replace(/[_-]+/g, " ").replace(/\s+/g, " ");
  const underscored = raw.trim().toLowerCase();
  for (const [re, kind] of ALIASES) {
    if (re.test(key) || re.test(underscored)) return kind;
  }
  return "opaque";
}

/**
 * Units whose count follows from the input alone. The others (tokens, compute
 * seconds, opaque units) depend on what the model does and need `units:` or
 * `max_cost:` in the manifest.
 */
export function isInputMeasurable(kind: UnitKind): boolean {
  return !(kind === "tokens" || kind === "million_tokens" || kind === "compute_seconds" || kind === "opaque");
}

/** Human label for tables: "3 MP", "8 s", "1.2 k chars". */
export function unitLabel(kind: UnitKind, raw?: string): string {
  switch (kind) {
    case "megapixels": return "MP";
    case "images": return "images";
    case "videos": return "videos";
    case "audios": return "audios";
    case "requests": return "requests";
    case "seconds": return "s";
    case "five_seconds": return "× 5 s";
    case "minutes": return "min";
    case "kilo_characters": return "k chars";
    case "characters": return "chars";
    case "tokens": return "tokens";
    case "million_tokens": return "M tokens";
    case "compute_seconds": return "compute s";
    case "opaque": return raw ?? "units";
  }
}
