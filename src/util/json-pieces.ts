/**
 * The text of a JSON file, `${JSON.stringify(value, null, space)}\n`, in
 * pieces to be written one after another. A merged report holds 100,000 runs
 * (84 MB): as one string, V8 builds it in a buffer it keeps regrowing and,
 * once it meets the first character beyond Latin-1 (the "→" in a job's
 * basis), copies it all to two bytes a character, which the write then
 * encodes back to UTF-8.
 * In pieces, each top-level member on its own and each array member's
 * elements a slice at a time, the runs stay one-byte strings, and every piece
 * stays small: 100 runs are 84 KB, below the size V8 gives pages of their own
 * (those cost fresh memory each, measured in page faults). For plain data (no
 * toJSON, no replacer) the pieces join to exactly the one string; the tests
 * hold them to it.
 */
export function* jsonFilePieces(value: Readonly<Record<string, unknown>>, space: 0 | 2 = 0, slice = 100): Generator<string> {
  const pretty = space > 0;
  let members = 0;
  for (const key of Object.keys(value)) {
    const member = value[key];
    // Before the first member "{" (and its line break), between members the comma.
    const lead = members === 0 ? (pretty ? "{\n" : "{") : pretty ? ",\n" : ",";
    if (Array.isArray(member) && member.length > 0) {
      members++;
      yield* arrayMember(lead, key, member, pretty, slice);
      continue;
    }
    // One member alone in an object of its own: JSON.stringify leaves out what it would leave out here (undefined).
    const text = JSON.stringify({ [key]: member }, null, space);
    if (text === "{}") continue;
    members++;
    yield lead + (pretty ? text.slice(2, -2) : text.slice(1, -1));
  }
  yield members === 0 ? "{}\n" : pretty ? "\n}\n" : "}\n";
}

function* arrayMember(lead: string, key: string, items: readonly unknown[], pretty: boolean, slice: number): Generator<string> {
  const name = JSON.stringify(key);
  yield pretty ? `${lead}  ${name}: [\n` : `${lead}${name}:[`;
  for (let at = 0; at < items.length; at += slice) {
    const part = items.slice(at, at + slice);
    const comma = at === 0 ? "" : pretty ? ",\n" : ",";
    // Compact "[a,b]" → "a,b". Pretty: the slice two levels deep, `[\n  [\n    a,\n    b\n  ]\n]`, is already
    // indented as the member's elements are: cut the two openings and closings around them.
    yield comma + (pretty ? JSON.stringify([part], null, 2).slice(6, -6) : JSON.stringify(part).slice(1, -1));
  }
  yield pretty ? "\n  ]" : "]";
}
