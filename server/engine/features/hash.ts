/** The one token hash of the engine: MurmurHash3 x86_32 over the token's UTF-8 bytes. */
import murmurhash from 'murmurhash';

/** Seed of every feature hash; changing it invalidates every stored model. */
export const HASH_SEED = 0x5eed;

const encoder = new TextEncoder();
// Reused scratch buffer: tokens are short, and encoding into it avoids one allocation per token.
let scratch = new Uint8Array(256);

/** MurmurHash3 x86_32 of the UTF-8 bytes of `token` (unsigned 32-bit). Stable across runs and platforms. */
export function hashToken(token: string, seed: number = HASH_SEED): number {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  if (token.length * 3 > scratch.length) scratch = new Uint8Array(token.length * 3);
  const { written } = encoder.encodeInto(token, scratch);
  return murmurhash.v3(scratch.subarray(0, written), seed) >>> 0;
}

/** Bucket of a token in a hashed space of 2^bits buckets. */
export function bucketOf(token: string, bits: number): number {
  return hashToken(token) & ((1 << bits) - 1);
}
