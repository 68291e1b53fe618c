/**
 * What fal's Platform API calls (pricing, billing events) share: lists asked
 * for by id in batches of at most 50, paged by cursor, and error bodies.
 */

const PLATFORM_BATCH = 50;

/**
 * Calls `page` for every page of every batch of `ids`: it fetches one page and
 * returns the next cursor, or null at the end. A cursor that never ends stops
 * after `maxPages` pages of a batch rather than spinning forever.
 */
export async function forEachPage(ids: readonly string[], page: (batch: string[], cursor: string | null) => Promise<string | null>, maxPages = 1000): Promise<void> {
  for (let i = 0; i < ids.length; i += PLATFORM_BATCH) {
    const batch = ids.slice(i, i + PLATFORM_BATCH);
    let cursor: string | null = null;
    for (let pages = 0; pages < maxPages; pages++) {
      cursor = await page(batch, cursor);
      if (!cursor) break;
    }
  }
}

/** The message in an error body (`{error: {message}}` or `{detail: "…"}`), or "". Not redacted: callers know the key. */
export async function errorText(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string }; detail?: unknown };
    return body.error?.message ?? (typeof body.detail === "string" ? body.detail : "");
  } catch {
    return "";
  }
}
