import { bucketOf, hashToken } from '../../../server/engine/features/hash';

describe('hashToken (MurmurHash3 x86_32)', () => {
  it('matches the reference implementation on known vectors', () => {
    expect(hashToken('', 0)).toBe(0);
    expect(hashToken('', 1)).toBe(0x514e28b7);
    expect(hashToken('hello', 0)).toBe(0x248bfa47);
    expect(hashToken('Hello, world!', 1234)).toBe(0xfaf6cdb3);
    expect(hashToken('The quick brown fox jumps over the lazy dog', 0)).toBe(0x2e4ff723);
  });

  it('is stable across runs with the default seed (changing these breaks stored models)', () => {
    expect(hashToken('user.id=u1')).toBe(hashToken('user.id=u1'));
    expect([hashToken('item.category=美食'), hashToken('ctx.hour=9')]).toEqual([
      1327934133, 1684025461,
    ]);
  });

  it('hashes UTF-8 bytes, long tokens included', () => {
    expect(hashToken('é', 0)).toBe(hashToken('\u00e9', 0));
    const long = 'x'.repeat(5000);
    expect(hashToken(long)).toBe(hashToken(long));
    expect(hashToken(long)).not.toBe(hashToken(long + 'y'));
  });

  it('buckets fall inside the space', () => {
    for (let i = 0; i < 1000; i++) {
      const b = bucketOf(`f=${i}`, 10);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(1024);
    }
  });
});
