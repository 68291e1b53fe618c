import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fetchCreditBalance } from "../src/adapters/fal/account-api.js";
import { checkCredits } from "../src/gate/credit-check.js";
import { toNano } from "../src/util/money.js";
import { FAL_ADMIN_KEY, FAL_KEY, FakeFal } from "./fakes/fal.js";

let fal: FakeFal;
beforeEach(async () => {
  fal = await FakeFal.start();
});
afterEach(async () => {
  await fal.close();
});

const opts = (over: Partial<Parameters<typeof fetchCreditBalance>[0]> = {}) => ({ apiUrl: fal.env().FAL_API_URL!, adminKey: FAL_ADMIN_KEY, retryBaseMs: 1, ...over });

describe("fal's account API: the credit balance", () => {
  it("reads credits.current_balance and its currency, asking for expand=credits", async () => {
    fal.setCredits({ current_balance: 42.5, currency: "USD" });
    expect(await fetchCreditBalance(opts())).toEqual({ status: "ok", balance: 42.5, currency: "USD" });
    expect(fal.accountQueries).toEqual(["credits"]);
  });

  it("takes a balance given as a string, as fal gives some figures", async () => {
    fal.setCredits({ current_balance: "7.25" });
    expect(await fetchCreditBalance(opts())).toEqual({ status: "ok", balance: 7.25, currency: "USD" });
  });

  it("a key that is not ADMIN scope is refused (403), once, and the key is not in the message", async () => {
    const lookup = await fetchCreditBalance(opts({ adminKey: FAL_KEY }));
    expect(lookup).toMatchObject({ status: "refused", message: expect.stringMatching(/answered 403.*ADMIN-scope key/) });
    expect(JSON.stringify(lookup)).not.toContain(FAL_KEY);
  });

  it("rides out a 5xx: tried again, then read", async () => {
    fal.failAccount({ status: 502 });
    expect(await fetchCreditBalance(opts())).toMatchObject({ status: "ok" });
    expect(fal.accountQueries).toHaveLength(2);
  });

  it("fails after its retries when fal keeps failing, and on an answer that is not a balance", async () => {
    fal.failAccount({ status: 500 }, { status: 500 }, { status: 500 });
    expect(await fetchCreditBalance(opts({ retries: 2 }))).toMatchObject({ status: "failed", message: expect.stringMatching(/answered 500/) });
    expect(fal.accountQueries).toHaveLength(3);
    fal.failAccount("no-credits");
    expect(await fetchCreditBalance(opts())).toEqual({ status: "failed", message: "fal's account API answered without a credit balance" });
  });

  it("a 4xx that is not an outage is not tried again", async () => {
    fal.failAccount({ status: 404 });
    expect(await fetchCreditBalance(opts())).toMatchObject({ status: "failed", message: expect.stringMatching(/answered 404/) });
    expect(fal.accountQueries).toHaveLength(1);
  });

  it("no answer in time fails, after its retries", async () => {
    fal.failAccount("hang", "hang");
    expect(await fetchCreditBalance(opts({ timeoutMs: 100, retries: 1 }))).toEqual({ status: "failed", message: "fal's account API did not answer in time" });
  });

  it("an unreachable API fails", async () => {
    expect(await fetchCreditBalance(opts({ apiUrl: "http://127.0.0.1:9/v1", retries: 0 }))).toMatchObject({ status: "failed", message: expect.stringMatching(/unreachable/) });
  });
});

describe("the credit check's verdict", () => {
  const needed = toNano(5);

  it("covered at or above what the run can commit, short below it, with the budget that would fit", () => {
    expect(checkCredits({ status: "ok", balance: 5, currency: "USD" }, needed).status).toBe("covered");
    const short = checkCredits({ status: "ok", balance: 4.99, currency: "USD" }, needed);
    expect(short).toMatchObject({ status: "short", balanceNano: toNano(4.99), neededNano: needed });
    expect(short.detail).toMatch(/credits \(\$4\.99\) do not cover the most this run can commit \(\$5\.00\).*lower the budget to at most \$4\.99/);
  });

  it("a negative balance is short, and shown as negative", () => {
    const c = checkCredits({ status: "ok", balance: -2, currency: "USD" }, needed);
    expect(c.status).toBe("short");
    expect(c.detail).toMatch(/credits \(-\$2\.00\)/);
    expect(c.detail).toMatch(/at most \$0\.00/);
  });

  it("skipped without a key, with a refused key, and for a balance in another currency; failed when unread", () => {
    expect(checkCredits(undefined, needed)).toMatchObject({ status: "skipped", detail: expect.stringMatching(/no `fal-admin-key`/) });
    expect(checkCredits({ status: "refused", message: "403" }, needed).status).toBe("skipped");
    expect(checkCredits({ status: "ok", balance: 1e6, currency: "EUR" }, needed)).toMatchObject({ status: "skipped", detail: expect.stringMatching(/in EUR/) });
    expect(checkCredits({ status: "failed", message: "timeout" }, needed)).toMatchObject({ status: "failed", detail: expect.stringMatching(/nothing was submitted/) });
  });
});
