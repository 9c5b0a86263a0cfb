/**
 * The items a session served, as a Bloom filter (Bloom 1970) that rides in the feed cursor of a
 * user whose pages are not logged (no recorded consent, or being erased): the server keeps
 * nothing of theirs, yet a page never repeats an item. A filter has no false negatives, so a
 * served item is always excluded; a false positive only skips an item never served (with
 * 8192 bits and 4 probes: about 0.2 % of the catalog after 500 items served, 2 % after 1000).
 * Probes by double hashing (Kirsch & Mitzenmacher 2006) of two 32-bit FNV-1a hashes.
 */

export const FILTER_BYTES = 1024;
const BITS = FILTER_BYTES * 8;
const PROBES = 4;

function fnv1a(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class ServedFilter {
  private constructor(private readonly bits: Uint8Array) {}

  static empty(): ServedFilter {
    return new ServedFilter(new Uint8Array(FILTER_BYTES));
  }

  static of(ids: Iterable<string>): ServedFilter {
    const f = ServedFilter.empty();
    for (const id of ids) f.add(id);
    return f;
  }

  /** From `encode()`'s bytes; null when they are not a filter of this size. */
  static decode(bytes: Uint8Array): ServedFilter | null {
    return bytes.length === FILTER_BYTES ? new ServedFilter(Uint8Array.from(bytes)) : null;
  }

  private probe(id: string, visit: (byte: number, mask: number) => boolean): boolean {
    const h1 = fnv1a(id, 0x811c9dc5);
    const h2 = fnv1a(id, 0x2b992ddf) | 1;
    for (let k = 0; k < PROBES; k++) {
      const bit = (h1 + Math.imul(k, h2)) >>> 0;
      const i = bit % BITS;
      if (!visit(i >>> 3, 1 << (i & 7))) return false;
    }
    return true;
  }

  add(id: string): void {
    this.probe(id, (byte, mask) => ((this.bits[byte] |= mask), true));
  }

  has(id: string): boolean {
    return this.probe(id, (byte, mask) => (this.bits[byte] & mask) !== 0);
  }

  copy(): ServedFilter {
    return new ServedFilter(Uint8Array.from(this.bits));
  }

  encode(): Uint8Array {
    return this.bits;
  }
}
