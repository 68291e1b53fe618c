import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asciiJsonText } from "../src/util/json-text.js";

/**
 * The one-byte text of a report's bytes must be read by JSON.parse exactly as the bytes decoded as they are: the same
 * value, or an error where the bytes give one. Reports come from untrusted runs, so hostile bytes too.
 */

type Parsed = { ok: true; value: unknown } | { ok: false };
const parse = (text: string): Parsed => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
};

/** What JSON.parse makes of `bytes` through asciiJsonText, and of the bytes decoded as they are. */
function both(bytes: Buffer): { ascii: string | undefined; fromAscii: Parsed | undefined; plain: Parsed } {
  const ascii = asciiJsonText(bytes);
  return { ascii, fromAscii: ascii === undefined ? undefined : parse(ascii), plain: parse(bytes.toString("utf8")) };
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

// Bytes of JSON syntax, backslashes and escapes, non-ASCII characters, and bytes that are not UTF-8 at all.
const nonAscii = fc.constantFrom("×", "→", "é", "😀", "\u2028", "\ufeff", "日本");
const inString = fc.oneof(fc.constantFrom("\\", "\\\\", "\\u", "\\u00", "\\u00e9", "\\n", "\\\"", "a", " "), nonAscii);
const syntax = fc.constantFrom("{", "}", "[", "]", ",", ":", '"', '"a"', "1", "-0.5e3", "true", "null", " ", "\n");
const bytesOf = (parts: string[]) => Buffer.from(parts.join(""));
const hostileBytes = fc.oneof(
  // Anything at all.
  fc.array(fc.oneof(syntax, inString, fc.string({ unit: "binary", maxLength: 4 })), { maxLength: 30 }).map(bytesOf),
  // Strings of escapes and characters beyond ASCII, often JSON, and bytes that are not UTF-8 inside them.
  fc.tuple(fc.array(inString, { maxLength: 12 }), fc.uint8Array({ maxLength: 6 }), fc.array(inString, { maxLength: 12 })).map(([a, raw, b]) =>
    Buffer.concat([Buffer.from('{"s":"'), bytesOf(a), Buffer.from(raw.filter((x) => x >= 0x80)), bytesOf(b), Buffer.from('","n":[1,"×"]}')]),
  ),
);

describe("a report's bytes as one-byte JSON text", () => {
  it("is ASCII, and JSON.parse reads it to the same value as the UTF-8 text, for any JSON, compact or indented", () => {
    const unicodeJson = fc.jsonValue({ maxDepth: 3 }).chain((v) => fc.constant(v));
    fc.assert(
      fc.property(unicodeJson, fc.string({ unit: "binary", maxLength: 20 }), fc.constantFrom(0, 2), (value, label, space) => {
        const bytes = Buffer.from(JSON.stringify({ label, value, basis: "1 × 1024×768 → 1 MP" }, null, space));
        const { ascii, fromAscii, plain } = both(bytes);
        expect(ascii).toBeDefined();
        expect(ascii).toMatch(ASCII_ONLY);
        expect(fromAscii).toEqual(plain);
        expect(plain.ok).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("hostile bytes: the same value or, where the bytes are not JSON, no value either", () => {
    let accepted = 0;
    fc.assert(
      fc.property(hostileBytes, (bytes) => {
        const { fromAscii, plain } = both(bytes);
        if (fromAscii === undefined) return;
        expect(fromAscii).toEqual(plain);
        if (plain.ok) accepted++;
      }),
      { numRuns: 5000 },
    );
    // Not only refusals: the property also compared values.
    expect(accepted).toBeGreaterThan(100);
  });

  it("bytes that are not UTF-8, inside a string, read as the replacement characters the decoder makes", () => {
    for (const raw of [[0xc3], [0xe2, 0x86], [0xff, 0xfe], [0xf0, 0x9f, 0x98], [0xc3, 0xa9, 0x80], [0xed, 0xa0, 0x80]]) {
      const bytes = Buffer.concat([Buffer.from('{"s":"a'), Buffer.from(raw), Buffer.from('b"}')]);
      const { ascii, fromAscii, plain } = both(bytes);
      expect(ascii).toMatch(ASCII_ONLY);
      expect(fromAscii).toEqual(plain);
      expect(plain).toMatchObject({ ok: true });
    }
  });

  it("leaves to the plain decoding a character after a backslash, where its escape would read differently", () => {
    // "\é" is not JSON; "\\u00e9" would be.
    expect(asciiJsonText(Buffer.from('{"s":"\\é"}'))).toBeUndefined();
    expect(parse(Buffer.from('{"s":"\\é"}').toString("utf8")).ok).toBe(false);
    // An escaped backslash before it is JSON, read the plain way too.
    expect(asciiJsonText(Buffer.from('{"s":"\\\\é"}'))).toBeUndefined();
  });

  it("finds runs cut in two by the halving, far apart or side by side, and gives up on very many", () => {
    const filler = "x".repeat(5000);
    const text = JSON.stringify({ a: `${filler}→${filler}`, b: "日本語".repeat(50), c: `${"y".repeat(63)}😀`, d: `${filler}×` });
    const { ascii, fromAscii, plain } = both(Buffer.from(text));
    expect(ascii).toMatch(ASCII_ONLY);
    expect(fromAscii).toEqual(plain);
    // Every other character beyond ASCII: thousands of runs.
    const many = Buffer.from(JSON.stringify({ s: "é.".repeat(5000) }));
    expect(asciiJsonText(many)).toBeUndefined();
  });
});
