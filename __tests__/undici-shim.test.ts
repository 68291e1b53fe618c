import { describe, expect, it } from "vitest";
import * as real from "undici";
import { fetch, loadUndici, ProxyAgent } from "../src/shims/undici.js";

/** The bundle's stand-in for undici must behave as the real one once loaded. */
describe("lazy undici shim", () => {
  it("refuses use before loading, then builds real proxy agents and fetches", async () => {
    expect(() => new ProxyAgent("http://127.0.0.1:3128")).toThrow(/before loadUndici/);
    await loadUndici();
    const agent = new ProxyAgent("http://127.0.0.1:3128");
    expect(agent).toBeInstanceOf(real.ProxyAgent);
    await agent.close();
    await expect(fetch("http://127.0.0.1:9/")).rejects.toThrow(/fetch failed/);
  });
});
