/**
 * A lock's entries by run key, for the lock thread's comparison with a plan.
 *
 * A Map of 100,000 hex keys costs a string hash and a rehash-as-it-grows per
 * entry, and every key string besides; serializeLock writes the entries
 * sorted by key, so they arrive in order and a sorted table does: per entry
 * the key's 32 bytes and its first 48 bits as a double, searched by
 * bisection. The plan's keys are looked up as bytes too.
 */

const KEY_BYTES = 32;
/** The first 6 bytes of a key: 48 bits, exact in a double, distinct for all but a few pairs in 100 million keys. */
const HEAD_BYTES = 6;

export class KeyIndex<E> {
  private heads = new Float64Array(1024);
  private bytes = Buffer.alloc(1024 * KEY_BYTES);
  private values: E[] = [];
  /** Whether the keys were added in order; when not, `order` sorts them (made on first use). */
  private sorted = true;
  private order: Int32Array | null = null;

  get size(): number {
    return this.values.length;
  }

  /**
   * Adds an entry by its key (64 lowercase hex digits, checked by the caller).
   * False when it does not come after the last key added, in order: the line
   * read then gives way to the general one, which adds in any order (`set`).
   */
  addInOrder(key: string, value: E): boolean {
    const n = this.values.length;
    const at = this.append(key, value);
    return n === 0 || this.compareAt(at - 1, at) < 0;
  }

  /** Adds a key not yet there, in any order. */
  set(key: string, value: E): void {
    this.append(key, value);
    this.sorted = false;
  }

  clear(): void {
    this.values = [];
    this.sorted = true;
    this.order = null;
  }

  private append(key: string, value: E): number {
    const n = this.values.length;
    if (n === this.heads.length) {
      const heads = new Float64Array(n * 2);
      heads.set(this.heads);
      this.heads = heads;
      const bytes = Buffer.alloc(n * 2 * KEY_BYTES);
      this.bytes.copy(bytes);
      this.bytes = bytes;
    }
    // A sorted order made before is one key short now.
    this.order = null;
    this.bytes.write(key, n * KEY_BYTES, KEY_BYTES, "hex");
    this.heads[n] = this.bytes.readUIntBE(n * KEY_BYTES, HEAD_BYTES);
    this.values.push(value);
    return n;
  }

  /** The order of keys `a` and `b` (by index of addition). */
  private compareAt(a: number, b: number): number {
    const heads = this.heads[a]! - this.heads[b]!;
    return heads !== 0 ? heads : this.bytes.compare(this.bytes, b * KEY_BYTES, (b + 1) * KEY_BYTES, a * KEY_BYTES, (a + 1) * KEY_BYTES);
  }

  private sortedOrder(): Int32Array | null {
    if (this.sorted) return null;
    if (this.order === null) {
      const order = Int32Array.from(this.values.keys());
      order.sort((a, b) => this.compareAt(a, b));
      this.order = order;
    }
    return this.order;
  }

  /**
   * The index (of addition) of the i-th key in `keys` (32 bytes each), or
   * -1. The general read's keys (`set`) are sorted on the first call.
   */
  find(keys: Buffer, i: number): number {
    const offset = i * KEY_BYTES;
    const order = this.sortedOrder();
    const head = keys.readUIntBE(offset, HEAD_BYTES);
    const at = (i: number) => (order === null ? i : order[i]!);
    let lo = 0;
    let hi = this.values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.heads[at(mid)]! < head) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.values.length && this.heads[at(i)] === head; i++) {
      const e = at(i);
      if (keys.compare(this.bytes, e * KEY_BYTES, (e + 1) * KEY_BYTES, offset, offset + KEY_BYTES) === 0) return e;
    }
    return -1;
  }

  value(index: number): E {
    return this.values[index]!;
  }

  key(index: number): string {
    return this.bytes.toString("hex", index * KEY_BYTES, (index + 1) * KEY_BYTES);
  }

  /** The entries, in the order they were added. */
  entries(): E[] {
    return this.values;
  }
}
