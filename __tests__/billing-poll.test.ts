import { describe, expect, it } from "vitest";
import { pollBillingEvents } from "../src/adapters/fal/billing-api.js";
import { eventCostNano } from "../src/billing/reconcile.js";

/** fal may bill one request in several records that appear at different times. */
describe("polling billing records", () => {
  it("reads requests found early once more at the end, so a record that came later is summed in", async () => {
    const record = (id: string, cost: number) => ({ request_id: id, endpoint_id: "a/b", output_units: 1, unit_price: cost, cost_total: cost, cost_estimate_nano_usd: Math.round(cost * 1e9), percent_discount: 0 });
    let call = 0;
    const fetchFake: typeof fetch = async (input) => {
      call++;
      const ids = new URL(String(input)).searchParams.get("request_id")!.split(",");
      // Round 1: r1 has one record, r2 none. Later: r1 has a second record, r2 its first.
      const all = call === 1 ? [record("r1", 0.5)] : [record("r1", 0.5), record("r1", 1.5), record("r2", 0.25)];
      return Response.json({ billing_events: all.filter((e) => ids.includes(e.request_id)), has_more: false, next_cursor: null });
    };
    const lookup = await pollBillingEvents(["r1", "r2"], { apiUrl: "http://127.0.0.1:9/v1", adminKey: "k", fetch: fetchFake, deadlineMs: 5_000, initialDelayMs: 1 });
    expect(lookup.status).toBe("ok");
    const events = (lookup as { events: Map<string, Parameters<typeof eventCostNano>[0]> }).events;
    expect(eventCostNano(events.get("r1")!)).toBe(2e9);
    expect(eventCostNano(events.get("r2")!)).toBe(0.25e9);
    expect(call).toBe(3);
  });
});
