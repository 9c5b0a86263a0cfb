/** Device-side event ids: RFC 9562 version-4 UUIDs, from wx.getRandomValues bytes when available. */

// Why not a library: wx has no crypto.randomUUID and no synchronous CSPRNG, so npm's uuid
// would need an injected byte source anyway, and formatting 16 bytes is the whole remaining
// job. Why a pool: track() is synchronous while wx.getRandomValues (base library 2.15.0+) is
// asynchronous, so bytes are fetched ahead in the background. When the pool is dry (at launch,
// on old base libraries, after a failure) bytes come from the injected PRNG instead: the server
// de-duplicates on (user, eventId), so an id needs uniqueness, not secrecy.

/** Synchronous source of n random bytes. */
export type RandomBytes = (n: number) => Uint8Array;
/** Asynchronous source of n random bytes (wx.getRandomValues). */
export type AsyncRandomBytes = (n: number) => Promise<ArrayBuffer>;

const POOL_BYTES = 512; // 32 ids per wx.getRandomValues round trip

/** Formats 16 random bytes as a version-4 UUID (RFC 9562 §5.4): version 0100, variant 10. */
export function formatUuidV4(bytes: ArrayLike<number>): string {
  if (bytes.length !== 16) throw new RangeError(`formatUuidV4 needs 16 bytes, got ${bytes.length}`);
  const b = Array.from(bytes, (x) => x & 0xff);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Bytes from a pool refilled by `source`, or from `random` while the pool is dry. */
export function createRandomBytes(
  source: AsyncRandomBytes | undefined,
  random: () => number = Math.random,
): RandomBytes {
  let pool = new Uint8Array(0);
  let refilling = false;
  const refill = (): void => {
    if (!source || refilling) return;
    refilling = true;
    source(POOL_BYTES).then(
      (buffer) => {
        pool = new Uint8Array(buffer);
        refilling = false;
      },
      () => {
        source = undefined; // unsupported or broken here: stay on the PRNG for this launch
        refilling = false;
      },
    );
  };
  refill();
  return (n) => {
    if (pool.length < n) {
      refill();
      return Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
    }
    const out = pool.slice(0, n);
    pool = pool.subarray(n); // bytes are used once, never handed out twice
    if (pool.length < POOL_BYTES / 4) refill();
    return out;
  };
}

/** wx.getRandomValues as an AsyncRandomBytes, or undefined on base libraries without it. */
export function wxRandomSource(
  w: { getRandomValues?: WechatMiniprogram.Wx['getRandomValues'] } | undefined,
): AsyncRandomBytes | undefined {
  const getRandomValues = w?.getRandomValues?.bind(w);
  if (typeof getRandomValues !== 'function') return undefined;
  return (length) =>
    new Promise((resolve, reject) => {
      getRandomValues({ length, success: (res) => resolve(res.randomValues), fail: reject });
    });
}

/** A UUID v4 generator over a byte source. */
export function createUuid(randomBytes: RandomBytes): () => string {
  return () => formatUuidV4(randomBytes(16));
}
