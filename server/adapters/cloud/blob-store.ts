/**
 * BlobStore over cloud storage. A file's fileID (cloud://env.bucket/path) is only known from
 * its upload, so a small `blobs` collection (仅管理端可读写, like every collection) maps each key
 * to its fileID (and size, time).
 *
 * The bucket is readable by every client (ad images, docs/cloud-deploy.md), so every blob is
 * sealed (blob-cipher.ts): stored at an unguessable path, AES-256-GCM encrypted and
 * authenticated. A blob written before sealing (its record has no `sealed` mark) is read once
 * as it was, rewritten sealed, and its old file deleted.
 */
import { assertBlobKey, type BlobStore } from '../../ports/blobs';
import type { BlobCipher } from './blob-cipher';
import { docId, settle, type Cloud, type Database } from './sdk';
import { COLLECTIONS } from './collections';

export const BLOBS = COLLECTIONS.blobs.name;
/** Folder in the environment's storage that holds every blob. */
export const BLOB_PREFIX = 'recsys/blobs/';
/** Storage's "file does not exist" code (TCB STORAGE_FILE_NONEXIST). */
export const FILE_NONEXIST = -503003;

interface BlobDoc {
  _id: string;
  key: string;
  fileID: string;
  size: number;
  updatedAt: number;
  /** 1: the file is sealed by the environment's key; absent: a plaintext file from before sealing. */
  sealed?: 1;
}

export function isMissingFile(err: unknown): boolean {
  const e = err as { code?: unknown; errCode?: unknown } | null;
  return !!e && (e.code === 'STORAGE_FILE_NONEXIST' || e.errCode === FILE_NONEXIST);
}

export class CloudBlobStore implements BlobStore {
  constructor(
    private readonly cloud: Cloud,
    private readonly db: Database,
    private readonly cipher: BlobCipher,
    private readonly prefix = BLOB_PREFIX,
    private readonly now: () => number = Date.now,
  ) {}

  async put(key: string, data: Uint8Array): Promise<void> {
    assertBlobKey(key);
    const before = await this.meta(key);
    const fileContent = this.cipher.seal(key, data);
    const { fileID } = await this.cloud.uploadFile({
      cloudPath: this.prefix + this.cipher.pathOf(key),
      fileContent,
    });
    const doc: Omit<BlobDoc, '_id'> = {
      key,
      fileID,
      size: data.byteLength,
      updatedAt: this.now(),
      sealed: 1,
    };
    await settle(this.db.collection(BLOBS).doc(docId(key)).set({ data: doc }));
    // A plaintext file from before sealing lived at the key's own path: it must not outlive its record.
    if (before && before.fileID !== fileID) await this.deleteFile(key, before.fileID);
  }

  async get(key: string): Promise<Uint8Array | null> {
    assertBlobKey(key);
    return this.read(key, true);
  }

  private async read(key: string, retry: boolean): Promise<Uint8Array | null> {
    const meta = await this.meta(key);
    if (!meta) return null;
    let stored: Uint8Array;
    try {
      const res = await this.cloud.downloadFile({ fileID: meta.fileID });
      stored = new Uint8Array(res.fileContent);
    } catch (err) {
      if (!isMissingFile(err)) throw err;
      // Another instance may have just sealed this plaintext blob (and deleted its old file).
      if (meta.sealed !== 1 && retry) return this.read(key, false);
      return null;
    }
    if (meta.sealed === 1) return this.cipher.open(key, stored);
    await this.put(key, stored);
    return stored;
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    const meta = await this.meta(key);
    if (!meta) return;
    await this.deleteFile(key, meta.fileID);
    await settle(this.db.collection(BLOBS).doc(docId(key)).remove());
  }

  private async deleteFile(key: string, fileID: string): Promise<void> {
    const res = await settle(this.cloud.deleteFile({ fileList: [fileID] }));
    for (const f of res.fileList) {
      if (f.status !== 0 && f.status !== FILE_NONEXIST)
        throw new Error(`deleting blob ${key} failed: ${f.status} ${f.errMsg}`);
    }
  }

  private async meta(key: string): Promise<BlobDoc | null> {
    const res = await settle(
      this.db
        .collection(BLOBS)
        .where({ _id: docId(key) })
        .limit(1)
        .get(),
    );
    const doc = (res.data as BlobDoc[])[0];
    return doc && doc.key === key ? doc : null;
  }
}
