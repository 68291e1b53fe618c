import { describe, expect, it } from "vitest";
import { fetchBillingEvents } from "../src/adapters/fal/billing-api.js";
import { createFalQueue, describeFalError } from "../src/adapters/fal/client.js";
import { fetchLivePrices } from "../src/adapters/fal/pricing-api.js";
import { redactSecrets, secretProblem } from "../src/util/secret.js";
import { FakeFal } from "./fakes/fal.js";

/**
 * Defence in depth behind the up-front key check: if a damaged key reaches
 * an HTTP client anyway, the error text that comes back (which quotes the
 * header value) never carries any piece of it.
 */

const FIRST = "0b5e7c1a-first-piece-of-key";
const SECOND = "second-piece-4d2f9e";
const DAMAGED = `${FIRST}\n${SECOND}`;
const PIECES = [FIRST, SECOND, "first-piece", "4d2f9e"];
const clean = (text: string) => PIECES.filter((p) => text.includes(p));

describe("secret hygiene", () => {
  it("a key is printable ASCII without whitespace", () => {
    expect(secretProblem("abc:def-123")).toBeUndefined();
    expect(secretProblem("abc\ndef")).toBe("a line break");
    expect(secretProblem("abc\rdef")).toBe("a line break");
    expect(secretProblem("abc def")).toBe("whitespace");
    expect(secretProblem("abc\u0000def")).toBe("a control character");
    expect(secretProblem("abcdéf")).toBe("a non-ASCII character");
  });

  it("redacts refused-header messages whole, pieces of known secrets, and Authorization values", () => {
    expect(clean(redactSecrets(`Headers.append: "Key ${DAMAGED}" is an invalid header value.`))).toEqual([]);
    expect(redactSecrets(`upstream said ${SECOND} is wrong`, [DAMAGED])).toBe("upstream said *** is wrong");
    expect(redactSecrets("request had Authorization: Key abc123def456")).toBe("request had Authorization: ***");
    expect(redactSecrets("model error: prompt too long")).toBe("model error: prompt too long");
  });

  it("the pricing and billing adapters never return header text that quotes the key", async () => {
    const fal = await FakeFal.start();
    try {
      // Each attempt fails the same way; a short backoff keeps the retries from adding 1.5 s of waiting.
      const prices = await fetchLivePrices(["fal-ai/flux/dev"], { apiUrl: `${fal.url}/v1`, key: DAMAGED, timeoutMs: 2000, retryBaseMs: 5 });
      expect(prices.status).toBe("failed");
      expect(clean(JSON.stringify(prices))).toEqual([]);
      const billing = await fetchBillingEvents(["req-1"], { apiUrl: `${fal.url}/v1`, adminKey: DAMAGED });
      expect(billing.status).toBe("failed");
      expect(clean(JSON.stringify(billing))).toEqual([]);
      expect(fal.requests).toEqual([]);
    } finally {
      await fal.close();
    }
  });

  it("errors from the fal queue client carry no piece of the key, in message, stack or description", async () => {
    const fal = await FakeFal.start();
    try {
      const queue = createFalQueue({ key: DAMAGED, endpoints: { queueUrl: fal.url, restUrl: fal.url, apiUrl: `${fal.url}/v1` } });
      const err = await queue.submit("fal-ai/flux/dev", { prompt: "x" }, AbortSignal.timeout(5000)).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err).toBeInstanceOf(Error);
      expect(clean(`${err!.message}\n${err!.stack}\n${describeFalError(err).message}`)).toEqual([]);
      expect(fal.submitCount()).toBe(0);
    } finally {
      await fal.close();
    }
  });
});
