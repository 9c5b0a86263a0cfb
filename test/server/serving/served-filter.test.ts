/** The Bloom filter a carried feed session keeps its served items in: no false negatives, few false positives, a byte round trip. */
import { FILTER_BYTES, ServedFilter } from '../../../server/serving/served-filter';

const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('ServedFilter', () => {
  it('holds every item added (a served item is never served again)', () => {
    const served = ids(1000, 'item');
    const f = ServedFilter.of(served);
    expect(served.every((id) => f.has(id))).toBe(true);
  });

  it('names few items never added: under 1 % after 500 served, under 4 % after 1000', () => {
    const others = ids(20_000, 'other');
    const rate = (n: number) => {
      const f = ServedFilter.of(ids(n, 'item'));
      return others.filter((id) => f.has(id)).length / others.length;
    };
    expect(ServedFilter.empty().has('item-0')).toBe(false);
    expect(rate(500)).toBeLessThan(0.01);
    expect(rate(1000)).toBeLessThan(0.04);
  });

  it('round-trips through its bytes, refuses another length, and copies apart', () => {
    const f = ServedFilter.of(['a', 'b']);
    const back = ServedFilter.decode(Uint8Array.from(f.encode()))!;
    expect(['a', 'b'].every((id) => back.has(id))).toBe(true);
    expect(ServedFilter.decode(new Uint8Array(FILTER_BYTES - 1))).toBeNull();
    const copy = f.copy();
    copy.add('c');
    expect(copy.has('c')).toBe(true);
    expect(f.has('c')).toBe(false);
  });
});
