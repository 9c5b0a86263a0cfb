/** Blob port: binary artifacts (model weights, exports) in cloud storage or local files. */

export interface BlobStore {
  put(key: string, data: Uint8Array): Promise<void>;
  /** The bytes stored under key, or null if there are none. */
  get(key: string): Promise<Uint8Array | null>;
  /** Removes the blob; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Blob keys are relative slash-separated names: no "..", no leading slash, no odd characters. */
export function assertBlobKey(key: string): void {
  if (key.length > 200 || !KEY.test(key) || key.split('/').some((p) => p === '..' || p === '.')) {
    throw new Error(`invalid blob key: ${JSON.stringify(key)}`);
  }
}

/** Why stored bytes were refused by a store that seals them (the cloud adapter): stable codes. */
export type BlobIntegrityCode = 'BLOB_TAMPERED' | 'BLOB_KEY_MISMATCH';

/**
 * A blob whose stored bytes fail their authentication (changed, truncated, or another key's file
 * put in its place), or that was sealed under another key. Nothing is returned for it.
 */
export class BlobIntegrityError extends Error {
  constructor(
    readonly code: BlobIntegrityCode,
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'BlobIntegrityError';
  }
}
