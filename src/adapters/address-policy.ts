import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";

/**
 * Which addresses an output download may connect to: public unicast only. A
 * result URL is data from a model run; on a self-hosted runner, fetching an
 * internal host (cloud metadata, an admin page) would copy it into the
 * artifact. The check runs on the address actually connected to (a DNS
 * lookup hook), so a name that resolves differently later cannot slip past.
 */

/** The kind of a non-public address (`"loopback"`, `"private"`, …), or null for a public one. Text that is not an IP address is refused. */
export function blockedAddressKind(ip: string): string | null {
  const text = ip.replace(/%.*$/, ""); // an IPv6 zone id says which interface, not which address
  if (isIP(text) === 4) return ipv4Kind(parseIpv4(text));
  if (isIP(text) === 6) return ipv6Kind(parseIpv6(text));
  return "not an IP address";
}

/** [first, prefix length, kind], most specific first where ranges nest. */
const V4_RANGES: Array<[number, number, string]> = [
  [v4("0.0.0.0"), 8, "unspecified"],
  [v4("10.0.0.0"), 8, "private"],
  [v4("100.64.0.0"), 10, "CGNAT"],
  [v4("127.0.0.0"), 8, "loopback"],
  [v4("169.254.0.0"), 16, "link-local"],
  [v4("172.16.0.0"), 12, "private"],
  [v4("192.0.0.0"), 24, "reserved"], // IETF protocol assignments
  [v4("192.0.2.0"), 24, "reserved"], // documentation
  [v4("192.168.0.0"), 16, "private"],
  [v4("198.18.0.0"), 15, "reserved"], // benchmarking
  [v4("198.51.100.0"), 24, "reserved"],
  [v4("203.0.113.0"), 24, "reserved"],
  [v4("224.0.0.0"), 4, "multicast"],
  [v4("240.0.0.0"), 4, "reserved"], // includes 255.255.255.255
];

function ipv4Kind(n: number): string | null {
  for (const [first, bits, kind] of V4_RANGES) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if ((n & mask) >>> 0 === first) return kind;
  }
  return null;
}

function ipv6Kind(g: number[]): string | null {
  const zeroTo = (end: number) => g.slice(0, end).every((x) => x === 0);
  const low32 = ((g[6]! << 16) | g[7]!) >>> 0;
  if (zeroTo(8)) return "unspecified";
  if (zeroTo(7) && g[7] === 1) return "loopback";
  // Forms that carry an IPv4 address: judged by that address, since that is where the packets go.
  if (zeroTo(5) && g[5] === 0xffff) return ipv4Kind(low32); // ::ffff:a.b.c.d, IPv4-mapped
  if (zeroTo(6)) return ipv4Kind(low32); // ::a.b.c.d, IPv4-compatible (deprecated)
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return ipv4Kind(low32); // NAT64 well-known prefix
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return "private"; // local-use NAT64
  if (g[0] === 0x2002) return ipv4Kind(((g[1]! << 16) | g[2]!) >>> 0); // 6to4
  if (g[0] === 0x2001 && g[1] === 0) return "reserved"; // Teredo: the IPv4 inside is obfuscated; no CDN needs it
  if (g[0] === 0x2001 && g[1] === 0xdb8) return "reserved"; // documentation
  if (g[0] === 0x100 && zeroTo(4)) return "reserved"; // discard-only
  if ((g[0]! & 0xfe00) === 0xfc00) return "unique-local";
  if ((g[0]! & 0xffc0) === 0xfe80) return "link-local";
  if ((g[0]! & 0xffc0) === 0xfec0) return "reserved"; // site-local (deprecated)
  if ((g[0]! & 0xff00) === 0xff00) return "multicast";
  return null;
}

function v4(text: string): number {
  return parseIpv4(text);
}

function parseIpv4(text: string): number {
  return text.split(".").reduce((n, part) => ((n << 8) | Number(part)) >>> 0, 0);
}

/** Eight 16-bit groups; `text` is already known to be valid IPv6 (net.isIP). */
function parseIpv6(text: string): number[] {
  let s = text.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const n = parseIpv4(dotted[1]!);
    s = `${s.slice(0, -dotted[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = s.split("::") as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(":").map((x) => parseInt(x, 16)) : []);
  const h = groups(head);
  if (tail === undefined) return h;
  const t = groups(tail);
  return [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/** Thrown from the lookup hook; the download reports it as is and does not retry. */
export class AddressRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AddressRefused";
  }
}

/**
 * A `lookup` for http(s).request that refuses a host name when any address it
 * resolves to is not public (one bad answer is enough: a rebinding name may
 * mix them). Node calls it when it connects, so the address checked is the
 * one used.
 */
export function guardLookup(base: LookupFunction = dnsLookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses, family: isIP(addresses) }]) as LookupAddress[];
      for (const a of list) {
        const kind = blockedAddressKind(a.address);
        if (kind) return callback(new AddressRefused(`refusing to download from ${hostname}: ${hostname} resolves to ${a.address}, ${article(kind)} ${kind} address`) as NodeJS.ErrnoException, "", 0);
      }
      if (list.length === 0) return callback(Object.assign(new Error(`${hostname}: no addresses`), { code: "ENOTFOUND" }), "", 0);
      if (options.all) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** Why a URL host that is an IP literal may not be fetched, or null (a name is checked when it resolves). */
export function literalHostRefusal(hostname: string): string | null {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (!isIP(host)) return null;
  const kind = blockedAddressKind(host);
  return kind ? `refusing to download from ${hostname}: ${article(kind)} ${kind} address` : null;
}

function article(kind: string): string {
  return kind === "unspecified" ? "an" : "a";
}
