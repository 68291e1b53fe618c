import { megapixelsPerImage } from "../pricing/measure.js";
import type { UnitKind } from "../pricing/units.js";

/**
 * Billing units counted in what fal actually returned: the last-resort billed
 * figure when neither fal's billing records nor its billable-units header is
 * available. Only facts in the result count; a missing width or duration
 * gives no observation rather than a guess.
 */
export function observeUnits(kind: UnitKind, data: unknown): number | null {
  if (data === null || typeof data !== "object") return null;
  const d = data as Record<string, unknown>;
  const images = Array.isArray(d.images) ? (d.images as Array<Record<string, unknown>>) : d.image && typeof d.image === "object" ? [d.image as Record<string, unknown>] : [];
  switch (kind) {
    case "images":
      return images.length > 0 ? images.length : null;
    case "megapixels": {
      if (images.length === 0) return null;
      let mp = 0;
      for (const img of images) {
        // Anything but a sane pixel size (a null entry, a string, 1e308) is no observation.
        if (!img || typeof img !== "object" || !isPixels(img.width) || !isPixels(img.height)) return null;
        mp += megapixelsPerImage(img.width, img.height);
      }
      return mp;
    }
    case "videos":
      return d.video && typeof d.video === "object" ? 1 : Array.isArray(d.videos) ? d.videos.length : null;
    case "seconds":
    case "five_seconds":
    case "minutes": {
      const media = (d.video ?? d.audio ?? d.audio_file ?? d.audio_url) as Record<string, unknown> | undefined;
      const secs = typeof media?.duration === "number" ? media.duration : typeof d.duration === "number" ? d.duration : null;
      if (secs === null || !Number.isFinite(secs) || secs <= 0) return null;
      return kind === "seconds" ? secs : kind === "minutes" ? secs / 60 : Math.ceil(secs / 5);
    }
    default:
      return null;
  }
}

function isPixels(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v) && v > 0 && v <= 1_000_000;
}

/**
 * The units a run's outputs prove: what they show, but never fewer than the
 * input set (`inputUnits`, when measured). Outputs can prove a model made more
 * than it was asked for; a shorter clip or missing metadata does not show that
 * fal billed less.
 */
export function provenUnits(observed: number | null, inputUnits: number | null): number | null {
  return observed === null ? null : Math.max(observed, inputUnits ?? 0);
}
