import { describe, expect, it } from "vitest";
import { blockedAddressKind, guardLookup } from "../src/adapters/address-policy.js";

/** Which addresses a download may connect to: public unicast only. */

describe("blockedAddressKind", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["100.64.0.1", "CGNAT"],
    ["100.127.255.255", "CGNAT"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "reserved"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.1", "reserved"],
    ["198.18.0.1", "reserved"],
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["febf::1", "link-local"],
    ["fc00::1", "unique-local"],
    ["fd12:3456:789a::1", "unique-local"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.1.2.3", "private"],
    ["::ffff:a9fe:a9fe", "link-local"],
    ["0:0:0:0:0:ffff:c0a8:0101", "private"],
    ["::127.0.0.1", "loopback"],
    ["64:ff9b::127.0.0.1", "loopback"],
    ["64:ff9b::a00:1", "private"],
    ["2002:7f00:1::", "loopback"],
    ["2002:c0a8:101::1", "private"],
    ["2001:db8::1", "reserved"],
    ["fec0::1", "reserved"],
  ])("%s is %s", (ip, kind) => {
    expect(blockedAddressKind(ip)).toBe(kind);
  });

  it.each(["8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "172.15.255.255", "100.128.0.1", "169.255.0.1", "11.0.0.1", "2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"])(
    "%s is public",
    (ip) => {
      expect(blockedAddressKind(ip)).toBeNull();
    },
  );

  it("refuses what is not an address rather than guess", () => {
    for (const text of ["", "localhost", "example.com", "1.2.3", "1.2.3.4.5", "::g", "1::2::3"]) expect(blockedAddressKind(text)).toBe("not an IP address");
  });

  it("URL parsing turns numeric host forms into the dotted or bracketed forms the classifier sees", () => {
    const hosts = ["https://2130706433/", "https://0x7f000001/", "https://017700000001/", "https://127.1/", "https://0x7f.0.0.1/", "https://[::ffff:127.0.0.1]/", "https://[0::1]/"].map((u) =>
      new URL(u).hostname.replace(/^\[|\]$/g, ""),
    );
    for (const h of hosts) expect(blockedAddressKind(h)).toBe("loopback");
  });
});

describe("guardLookup", () => {
  type Cb = (err: NodeJS.ErrnoException | null, address: string | Array<{ address: string; family: number }>, family?: number) => void;
  const fakeDns = (addresses: Array<{ address: string; family: number }>) => (_host: string, _opts: unknown, cb: Cb) => cb(null, addresses);
  const lookupWith = (addresses: Array<{ address: string; family: number }>, all: boolean) =>
    new Promise<{ err: Error | null; address: unknown; family?: number }>((resolve) =>
      guardLookup(fakeDns(addresses) as never)("cdn.example.test", { all }, (err, address, family) => resolve({ err, address, family })),
    );

  it("passes public answers through, in both callback shapes", async () => {
    expect(await lookupWith([{ address: "93.184.216.34", family: 4 }], false)).toEqual({ err: null, address: "93.184.216.34", family: 4 });
    expect(await lookupWith([{ address: "2606:4700::1", family: 6 }], true)).toMatchObject({ err: null, address: [{ address: "2606:4700::1", family: 6 }] });
  });

  it("refuses a name when any answer is not public (a rebinding name may mix them)", async () => {
    const { err } = await lookupWith([{ address: "93.184.216.34", family: 4 }, { address: "127.0.0.1", family: 4 }], true);
    expect(err?.message).toMatch(/cdn\.example\.test resolves to 127\.0\.0\.1, a loopback address/);
  });
});
