/**
 * Sealing the cloud adapter's blobs. Cloud storage is one bucket whose read permission is set for
 * the ad images every client must see (所有用户可读), so what the functions keep there (model
 * weights keyed by hashed user features, the trainer's state with pending impressions naming
 * openids) must be neither findable nor readable by a client:
 *
 * - the path of a blob is an HMAC of its key (`recsys/blobs/<64 hex>`), not the key itself, so
 *   it cannot be guessed from the key names the code uses (`train/state/r12.json`);
 * - its bytes are AES-256-GCM with a fresh 96-bit IV per write, the blob key as associated data
 *   (a file moved under another key's path is refused), behind a header naming the key's id (a
 *   function holding another key says so instead of reporting tampering).
 *
 * Both subkeys are derived (HKDF-SHA256) from one 32-byte secret the functions hold in their
 * environment (BLOB_ENCRYPTION_KEY); it never reaches the database, storage or a client.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import { BlobIntegrityError } from '../../ports/blobs';

/** "RSB1": recsys sealed blob, format 1. */
const MAGIC = Buffer.from('RSB1', 'latin1');
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + KEY_ID_BYTES + IV_BYTES;

const derive = (secret: Buffer, info: string): Buffer =>
  Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));

export class BlobCipher {
  private readonly encKey: Buffer;
  private readonly pathKey: Buffer;
  /** Public fingerprint of the secret (not of either subkey): tells keys apart in errors and logs. */
  readonly keyId: Buffer;

  constructor(secret: Uint8Array) {
    if (secret.byteLength !== 32)
      throw new Error(`blob encryption key must be 32 bytes, got ${secret.byteLength}`);
    const s = Buffer.from(secret);
    this.encKey = derive(s, 'recsys blob encryption v1');
    this.pathKey = derive(s, 'recsys blob path v1');
    this.keyId = createHash('sha256')
      .update(derive(s, 'recsys blob key id v1'))
      .digest()
      .subarray(0, KEY_ID_BYTES);
  }

  /** The storage name of a blob key: 64 hex characters, the same for the same key and secret. */
  pathOf(key: string): string {
    return createHmac('sha256', this.pathKey).update(key, 'utf8').digest('hex');
  }

  seal(key: string, plain: Uint8Array): Buffer {
    const iv = randomBytes(IV_BYTES);
    const c = createCipheriv('aes-256-gcm', this.encKey, iv);
    c.setAAD(Buffer.from(key, 'utf8'));
    const body = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([MAGIC, this.keyId, iv, body, c.getAuthTag()]);
  }

  /** The plaintext of a sealed blob of `key`; BlobIntegrityError when it is not one, or not intact. */
  open(key: string, sealed: Uint8Array): Uint8Array {
    const b = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (b.length < HEADER_BYTES + TAG_BYTES || !b.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new BlobIntegrityError(
        'BLOB_TAMPERED',
        key,
        `blob ${key} is not a sealed blob (truncated or replaced)`,
      );
    }
    const keyId = b.subarray(MAGIC.length, MAGIC.length + KEY_ID_BYTES);
    if (!keyId.equals(this.keyId)) {
      throw new BlobIntegrityError(
        'BLOB_KEY_MISMATCH',
        key,
        `blob ${key} was sealed with key id ${keyId.toString('hex')}, this function holds ${this.keyId.toString('hex')}: ` +
          'set the same BLOB_ENCRYPTION_KEY on every function',
      );
    }
    const iv = b.subarray(MAGIC.length + KEY_ID_BYTES, HEADER_BYTES);
    const d = createDecipheriv('aes-256-gcm', this.encKey, iv);
    d.setAAD(Buffer.from(key, 'utf8'));
    d.setAuthTag(b.subarray(b.length - TAG_BYTES));
    try {
      return new Uint8Array(
        Buffer.concat([d.update(b.subarray(HEADER_BYTES, b.length - TAG_BYTES)), d.final()]),
      );
    } catch {
      throw new BlobIntegrityError(
        'BLOB_TAMPERED',
        key,
        `blob ${key} failed authentication (changed, truncated, or another blob's file)`,
      );
    }
  }
}
