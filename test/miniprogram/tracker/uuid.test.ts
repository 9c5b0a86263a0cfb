/** Event ids: RFC 9562 v4 formatting, and the wx.getRandomValues pool with its PRNG fallback. */
import {
  createRandomBytes,
  createUuid,
  formatUuidV4,
  wxRandomSource,
} from '../../../miniprogram/services/uuid';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('formats 16 bytes with the version and variant bits set', () => {
  expect(formatUuidV4(new Uint8Array(16).fill(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
  expect(formatUuidV4(new Uint8Array(16))).toBe('00000000-0000-4000-8000-000000000000');
  expect(formatUuidV4(Uint8Array.from({ length: 16 }, (_, i) => i))).toBe(
    '00010203-0405-4607-8809-0a0b0c0d0e0f',
  );
  expect(() => formatUuidV4(new Uint8Array(15))).toThrow(RangeError);
});

test('ids from the PRNG fallback are well-formed and distinct', () => {
  const uuid = createUuid(createRandomBytes(undefined, Math.random));
  const ids = Array.from({ length: 1000 }, uuid);
  ids.forEach((id) => expect(id).toMatch(UUID_V4));
  expect(new Set(ids).size).toBe(1000);
});

test('bytes come from wx.getRandomValues once it has answered, each byte used once', async () => {
  const getRandomValues = jest.fn(
    ({
      length,
      success,
    }: {
      length: number;
      success: (res: { randomValues: ArrayBuffer }) => void;
    }) => {
      success({ randomValues: Uint8Array.from({ length }, (_, i) => i % 251).buffer });
    },
  );
  const source = wxRandomSource({ getRandomValues } as never);
  const bytes = createRandomBytes(source, () => 0);
  await Promise.resolve();
  expect(Array.from(bytes(4))).toEqual([0, 1, 2, 3]);
  expect(Array.from(bytes(4))).toEqual([4, 5, 6, 7]);
  expect(getRandomValues).toHaveBeenCalledTimes(1);
});

test('while the pool is dry, or after wx.getRandomValues fails, the PRNG answers', async () => {
  let fail: (err: unknown) => void = () => {};
  const source = jest.fn(() => new Promise<ArrayBuffer>((_, reject) => (fail = reject)));
  const bytes = createRandomBytes(source, () => 0.5);
  expect(Array.from(bytes(2))).toEqual([128, 128]); // not answered yet
  fail(new Error('getRandomValues:fail'));
  await Promise.resolve();
  expect(Array.from(bytes(2))).toEqual([128, 128]);
  expect(source).toHaveBeenCalledTimes(1); // a failed source is not asked again this launch
});

test('base libraries without wx.getRandomValues have no async source', () => {
  expect(wxRandomSource({})).toBeUndefined();
  expect(wxRandomSource(undefined)).toBeUndefined();
});
