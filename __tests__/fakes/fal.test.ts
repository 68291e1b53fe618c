import { createHash } from "node:crypto";
import { ApiError, createFalClient, ValidationError } from "@fal-ai/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rewriteFalUrl } from "../../src/adapters/fal/client.js";
import { fetchModels, inputSchemaFromOpenApi } from "../../src/adapters/fal/models-api.js";
import { fetchLivePrices } from "../../src/adapters/fal/pricing-api.js";
import { FAL_ADMIN_KEY, FAL_KEY, FakeFal, largeFileSha256 } from "./fal.js";

/** The fake fal server, driven by the real @fal-ai/client (hosts redirected through its fetch option). */

let fal: FakeFal;
const seen: Array<{ url: string; headers: Headers }> = [];
function client(key = FAL_KEY) {
  const endpoints = { queueUrl: fal.url, restUrl: fal.url, apiUrl: `${fal.url}/v1` };
  return createFalClient({
    credentials: key,
    fetch: async (input, init) => {
      const url = rewriteFalUrl(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, endpoints);
      const res = await fetch(url, init);
      seen.push({ url, headers: res.headers });
      return res;
    },
  });
}

beforeEach(async () => {
  fal = await FakeFal.start({ prices: { "fal-ai/flux/dev": { unit_price: 0.025, unit: "megapixels" } } });
  seen.length = 0;
});
afterEach(async () => {
  await fal.close();
});

describe("fake fal queue with the real client", () => {
  it("submit → status stream → result for a model with a subpath; status and result URLs drop the subpath", async () => {
    fal.setModel("fal-ai/flux/dev", { latencyMs: 30, outcome: ({ fake, requestId }) => ({ output: { images: [{ url: `${fake.url}/cdn/${requestId}/0.png`, content_type: "image/png" }] }, billableUnits: 1 }) });
    const fc = client();
    const { request_id } = await fc.queue.submit("fal-ai/flux/dev", { input: { prompt: "a cat" } });
    const stream = await fc.queue.streamStatus("fal-ai/flux/dev", { requestId: request_id, logs: false });
    const states: string[] = [];
    stream.on("data", (d: { status: string }) => states.push(d.status));
    const done = (await stream.done()) as { status: string };
    expect(done.status).toBe("COMPLETED");
    expect(states.at(-1)).toBe("COMPLETED");
    const result = await fc.queue.result("fal-ai/flux/dev", { requestId: request_id });
    expect(result.requestId).toBe(request_id);
    expect((result.data as { images: unknown[] }).images).toHaveLength(1);
    expect(fal.requests.map((r) => r.url.split("?")[0])).toEqual(
      expect.arrayContaining([`/fal-ai/flux/dev`, `/fal-ai/flux/requests/${request_id}/status/stream`, `/fal-ai/flux/requests/${request_id}`]),
    );
    expect(seen.find((s) => s.url.endsWith(`/requests/${request_id}`))!.headers.get("x-fal-billable-units")).toBe("1");
    expect(fal.runs.get(request_id)!.input).toEqual({ prompt: "a cat" });
  });

  it("polls: 202 while queued or running, 200 when completed, with queue positions", async () => {
    // b's position is read while a is still queued: 40 ms of queue was too short on a loaded 2-core machine.
    fal.setModel("acme/slow", { queueMs: 300, latencyMs: 40 });
    const fc = client();
    const a = await fc.queue.submit("acme/slow", { input: {} });
    const b = await fc.queue.submit("acme/slow", { input: {} });
    const sb = (await fc.queue.status("acme/slow", { requestId: b.request_id })) as { status: string; queue_position?: number };
    expect(sb).toMatchObject({ status: "IN_QUEUE", queue_position: 1 });
    let s = (await fc.queue.status("acme/slow", { requestId: a.request_id })) as { status: string };
    while (s.status !== "COMPLETED") {
      await new Promise((r) => setTimeout(r, 10));
      s = (await fc.queue.status("acme/slow", { requestId: a.request_id })) as { status: string };
    }
    expect(fal.requests.filter((r) => r.url.includes("/status")).map((r) => r.status)).toEqual(expect.arrayContaining([202, 200]));
  });

  it("with announceQueueMoves, a queued request's status stream reports each move up the queue", async () => {
    fal.setModel("acme/busy", { queueMs: 500, latencyMs: 10, announceQueueMoves: true });
    const fc = client();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await fc.queue.submit("acme/busy", { input: {} })).request_id);
    const stream = await fc.queue.streamStatus("acme/busy", { requestId: ids[2]!, logs: false });
    const positions: number[] = [];
    stream.on("data", (d: { status: string; queue_position?: number }) => {
      if (d.status === "IN_QUEUE") positions.push(d.queue_position!);
    });
    await stream.done();
    // The two requests ahead of it leave the queue before it does (on a slow machine the stream may open after the first left).
    expect(positions.at(-1)).toBe(0);
    expect(positions.length).toBeGreaterThanOrEqual(2);
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
    expect(new Set(positions).size).toBe(positions.length);
  });

  it("a 422 validation error surfaces as a ValidationError with fal's detail array", async () => {
    const detail = [{ loc: ["body", "image_size"], msg: "Input should be a valid preset", type: "enum" }];
    fal.setModel("acme/strict", { outcome: () => ({ httpError: { status: 422, body: { detail } }, billableUnits: 0 }) });
    const fc = client();
    const { request_id } = await fc.queue.submit("acme/strict", { input: {} });
    await (await fc.queue.streamStatus("acme/strict", { requestId: request_id, logs: false })).done();
    const err = await fc.queue.result("acme/strict", { requestId: request_id }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ApiError<{ detail: unknown }>).body.detail).toEqual(detail);
  });

  it("a failed run still reaches COMPLETED, with error and error_type, and its result throws", async () => {
    fal.setModel("acme/broken", { outcome: () => ({ completedError: { message: "CUDA out of memory", type: "runner_server_error" } }) });
    const fc = client();
    const { request_id } = await fc.queue.submit("acme/broken", { input: {} });
    const done = (await (await fc.queue.streamStatus("acme/broken", { requestId: request_id, logs: false })).done()) as unknown as Record<string, unknown>;
    expect(done).toMatchObject({ status: "COMPLETED", error: "CUDA out of memory", error_type: "runner_server_error" });
    await expect(fc.queue.result("acme/broken", { requestId: request_id })).rejects.toBeInstanceOf(ApiError);
  });

  it("cancels a queued request, and refuses to cancel a finished one", async () => {
    fal.setModel("acme/slow", { queueMs: 10_000 });
    fal.setModel("acme/fast", { latencyMs: 1 });
    const fc = client();
    const slow = await fc.queue.submit("acme/slow", { input: {} });
    await fc.queue.cancel("acme/slow", { requestId: slow.request_id });
    expect(fal.cancels).toEqual([slow.request_id]);
    expect(fal.runs.get(slow.request_id)).toMatchObject({ state: "COMPLETED", cancelled: true });
    const fast = await fc.queue.submit("acme/fast", { input: {} });
    await (await fc.queue.streamStatus("acme/fast", { requestId: fast.request_id, logs: false })).done();
    await expect(fc.queue.cancel("acme/fast", { requestId: fast.request_id })).rejects.toMatchObject({ status: 400 });
  });

  it("finishes a running request on demand, with the outcome its latency would have given; nothing else", async () => {
    fal.setModel("acme/slow", { queueMs: 60_000 });
    fal.setModel("fal-ai/flux/dev", { latencyMs: 60_000 });
    const fc = client();
    const queued = await fc.queue.submit("acme/slow", { input: {} });
    const running = await fc.queue.submit("fal-ai/flux/dev", { input: { prompt: "x", num_images: 2 } });
    await expect.poll(() => fal.runs.get(running.request_id)!.state).toBe("IN_PROGRESS");
    expect(() => fal.finish(queued.request_id)).toThrow(/not running \(IN_QUEUE\)/);
    const stream = await fc.queue.streamStatus("fal-ai/flux/dev", { requestId: running.request_id, logs: false });
    fal.finish(running.request_id);
    expect(((await stream.done()) as { status: string }).status).toBe("COMPLETED");
    const result = await fc.queue.result("fal-ai/flux/dev", { requestId: running.request_id });
    expect((result.data as { images: unknown[] }).images).toHaveLength(2);
    expect(() => fal.finish(running.request_id)).toThrow(/not running \(COMPLETED\)/);
  });

  it("injects 5xx on status polls and result fetches, and rejects unknown keys", async () => {
    const fc = client();
    const { request_id } = await fc.queue.submit("acme/any", { input: {} });
    fal.failStatus(1, 503);
    const raw = await fetch(`${fal.url}/acme/any/requests/${request_id}/status`, { headers: { Authorization: `Key ${FAL_KEY}` } });
    expect(raw.status).toBe(503);
    fal.failResults(1, 502);
    const get = () => fetch(`${fal.url}/acme/any/requests/${request_id}`, { headers: { Authorization: `Key ${FAL_KEY}` } });
    expect((await get()).status).toBe(502);
    expect((await get()).status).not.toBe(502);
    await expect(client("wrong-key").queue.submit("acme/any", { input: {} })).rejects.toMatchObject({ status: 401 });
  });
});

describe("fake fal CDN and Platform API", () => {
  it("serves generated outputs, large streamed files with their length, and dead URLs", async () => {
    const small = await fetch(`${fal.url}/cdn/r1/0.png`);
    const bytes = Buffer.from(await small.arrayBuffer());
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(FakeFal.sha256("/cdn/r1/0.png"));
    const size = 20 * 1024 * 1024 + 123;
    const big = await fetch(fal.addLargeFile("/cdn/big.mp4", size));
    expect(big.headers.get("content-length")).toBe(String(size));
    const h = createHash("sha256");
    for await (const c of big.body!) h.update(c);
    expect(h.digest("hex")).toBe(largeFileSha256(size));
    expect((await fetch(fal.deadPath("/cdn/gone.png"))).status).toBe(404);
    await expect(fetch(fal.deadPath("/cdn/cut.png", 0)).then((r) => r.arrayBuffer())).rejects.toThrow();
  });

  it("pricing: key required, at most 50 ids, unknown ids omitted, faults injectable", async () => {
    const get = (q: string, key = FAL_KEY) => fetch(`${fal.url}/v1/models/pricing?${q}`, { headers: { Authorization: `Key ${key}` } });
    const ok = (await (await get("endpoint_id=fal-ai/flux/dev,acme/unknown")).json()) as { prices: unknown[] };
    expect(ok.prices).toEqual([{ endpoint_id: "fal-ai/flux/dev", unit_price: 0.025, unit: "megapixels", currency: "USD" }]);
    expect((await get("endpoint_id=a/b", "nope")).status).toBe(401);
    expect((await get(Array.from({ length: 51 }, (_, i) => `endpoint_id=a/m${i}`).join("&"))).status).toBe(400);
    fal.failPricing({ status: 503 });
    expect((await get("endpoint_id=fal-ai/flux/dev")).status).toBe(503);
  });

  it("billing events: ADMIN keys only, visible after the lag, paginated", async () => {
    fal.setModel("fal-ai/flux/dev", { latencyMs: 1, outcome: () => ({ output: {}, billableUnits: 2 }) });
    const fc = client();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await fc.queue.submit("fal-ai/flux/dev", { input: { prompt: "x" } })).request_id);
    await new Promise((r) => setTimeout(r, 30));
    const get = (key: string, extra = "") => fetch(`${fal.url}/v1/models/billing-events?request_id=${ids.join(",")}${extra}`, { headers: { Authorization: `Key ${key}` } });
    expect((await get(FAL_KEY)).status).toBe(403);
    fal.setBillingPageSize(2);
    const p1 = (await (await get(FAL_ADMIN_KEY)).json()) as { billing_events: Array<{ output_units: number; cost_total: number }>; has_more: boolean; next_cursor: string };
    expect(p1.billing_events).toHaveLength(2);
    expect(p1.billing_events[0]).toMatchObject({ output_units: 2, cost_total: 0.05 });
    expect(p1.has_more).toBe(true);
    const p2 = (await (await get(FAL_ADMIN_KEY, `&cursor=${p1.next_cursor}`)).json()) as { billing_events: unknown[]; has_more: boolean };
    expect(p2).toMatchObject({ has_more: false });
    expect(p2.billing_events).toHaveLength(1);
    fal.setBillingLag(60_000);
    expect(((await (await get(FAL_ADMIN_KEY)).json()) as { billing_events: unknown[] }).billing_events).toHaveLength(0);
  });
});

describe("fake fal model search and pricing APIs, through our adapters", () => {
  it("finds models by id with or without a key, expands their OpenAPI 3.0 input schema, and leaves out ids it does not know", async () => {
    fal.describeModel("acme/old", { status: "deprecated", display_name: "Old", input: { type: "object", properties: { prompt: { type: "string", nullable: true } } } });
    const api = { apiUrl: `${fal.url}/v1`, retryBaseMs: 1 };
    const keyed = await fetchModels(["acme/old", "acme/none"], { ...api, key: FAL_KEY });
    expect(keyed.status).toBe("ok");
    const models = keyed.status === "ok" ? keyed.models : new Map();
    expect([...models.keys()]).toEqual(["acme/old"]);
    expect(models.get("acme/old")).toEqual({
      endpoint_id: "acme/old",
      status: "deprecated",
      display_name: "Old",
      category: "text-to-image",
      input_schema: { type: "object", properties: { prompt: { type: ["string", "null"] } }, additionalProperties: false },
    });
    expect((await fetchModels(["acme/old"], api)).status).toBe("ok");
    expect(fal.modelQueries.map((q) => [q.ids, q.expand, q.keyed])).toEqual([[["acme/old", "acme/none"], "openapi-3.0", true], [["acme/old"], "openapi-3.0", false]]);
    expect(await fetchModels(["acme/old"], { ...api, key: "wrong-key" })).toEqual({ status: "failed", error: "model API answered 401: Invalid or missing API key" });
  });

  it("prices sent as text or as fractions of a cent are read as numbers; a price that is not a number is no price, never $0", async () => {
    fal.setPrice("acme/text-price", { unit_price: "0.0035", unit: "images" });
    fal.setPrice("acme/fraction", { unit_price: 0.000125, unit: "seconds" });
    fal.setPrice("acme/garbage", { unit_price: "free", unit: "images" });
    const live = await fetchLivePrices(["acme/text-price", "acme/fraction", "acme/garbage"], { apiUrl: `${fal.url}/v1`, key: FAL_KEY, retryBaseMs: 1 });
    expect(live.status === "ok" && Object.fromEntries([...live.prices].map(([id, p]) => [id, p.unit_price]))).toEqual({ "acme/text-price": 0.0035, "acme/fraction": 0.000125 });
  });

  it("takes the submit body's schema out of a model's OpenAPI document, references and all", () => {
    const doc = {
      paths: {
        "/acme/m/requests/{request_id}": { get: {} },
        "/acme/m": { post: { requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/In" } } } } } },
      },
      components: { schemas: { In: { type: "object", properties: { size: { $ref: "#/components/schemas/Size" }, loras: { type: "array", items: { $ref: "#/components/schemas/In" } } } }, Size: { type: "object", "x-fal": 1, properties: { w: { type: "integer" } } } } },
    };
    expect(inputSchemaFromOpenApi(doc, "acme/m")).toEqual({
      type: "object",
      properties: { size: { $ref: "#/$defs/Size" }, loras: { type: "array", items: { $ref: "#/$defs/In" } } },
      additionalProperties: false,
      $defs: { In: { type: "object", properties: { size: { $ref: "#/$defs/Size" }, loras: { type: "array", items: { $ref: "#/$defs/In" } } } }, Size: { type: "object", properties: { w: { type: "integer" } } } },
    });
    expect(inputSchemaFromOpenApi({ paths: {} }, "acme/m")).toBeUndefined();
    // OpenAPI 3.0's draft-4 exclusive bounds become JSON Schema's.
    const bounded = { paths: { "/acme/b": { post: { requestBody: { content: { "application/json": { schema: { type: "object", properties: { a: { type: "number", minimum: 0, exclusiveMinimum: true }, b: { type: "number", maximum: 1, exclusiveMaximum: false } } } } } } } } } };
    expect(inputSchemaFromOpenApi(bounded, "acme/b")).toEqual({ type: "object", properties: { a: { type: "number", exclusiveMinimum: 0 }, b: { type: "number", maximum: 1 } }, additionalProperties: false });
  });
});
