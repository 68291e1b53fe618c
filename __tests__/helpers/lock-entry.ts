import type { LockEntry } from "../../src/lock/schema.js";

/** A valid lock entry: job a's first run of flux/dev, billed as estimated ($0.025), one output, kept in store 7.1. */
export const LOCK_ENTRY: LockEntry = {
  job: "a",
  run: "a#1",
  model: "fal-ai/flux/dev",
  request_id: "req-1",
  finished_at: "2026-12-01T00:00:00.000Z",
  estimated_nano: 25_000_000,
  billed: "0.025",
  billed_nano: 25_000_000,
  billed_source: "header",
  outputs: [{ name: "a/run-1/images_0.png", content_type: "image/png", size: 3, sha256: "a".repeat(64), url: "https://v3.fal.media/x.png" }],
  stored_in: "7.1",
};
