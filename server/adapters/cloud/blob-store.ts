/**
 * BlobStore over cloud storage. A file's fileID (cloud://env.bucket/path) is only known from
 * its upload, so a small `blobs` collection maps each key to its fileID (and size, time).
 */
import { assertBlobKey, type BlobStore } from '../../ports/blobs';
import { docId, settle, type Cloud, type Database } from './sdk';
import { COLLECTIONS } from './collections';

export const BLOBS = COLLECTIONS.blobs.name;
/** Storage's "file does not exist" code (TCB STORAGE_FILE_NONEXIST). */
const FILE_NONEXIST = -503003;

interface BlobDoc {
  _id: string;
  key: string;
  fileID: string;
  size: number;
  updatedAt: number;
}

function isMissingFile(err: unknown): boolean {
  const e = err as { code?: unknown; errCode?: unknown } | null;
  return !!e && (e.code === 'STORAGE_FILE_NONEXIST' || e.errCode === FILE_NONEXIST);
}

export class CloudBlobStore implements BlobStore {
  constructor(
    private readonly cloud: Cloud,
    private readonly db: Database,
    /** Folder in the environment's storage that holds every blob. */
    private readonly prefix = 'recsys/blobs/',
    private readonly now: () => number = Date.now,
  ) {}

  async put(key: string, data: Uint8Array): Promise<void> {
    assertBlobKey(key);
    const fileContent = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const { fileID } = await this.cloud.uploadFile({ cloudPath: this.prefix + key, fileContent });
    const doc: Omit<BlobDoc, '_id'> = { key, fileID, size: data.byteLength, updatedAt: this.now() };
    await settle(this.db.collection(BLOBS).doc(docId(key)).set({ data: doc }));
  }

  async get(key: string): Promise<Uint8Array | null> {
    assertBlobKey(key);
    const meta = await this.meta(key);
    if (!meta) return null;
    try {
      const res = await this.cloud.downloadFile({ fileID: meta.fileID });
      return new Uint8Array(res.fileContent);
    } catch (err) {
      if (isMissingFile(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    const meta = await this.meta(key);
    if (!meta) return;
    const res = await settle(this.cloud.deleteFile({ fileList: [meta.fileID] }));
    for (const f of res.fileList) {
      if (f.status !== 0 && f.status !== FILE_NONEXIST) throw new Error(`deleting blob ${key} failed: ${f.status} ${f.errMsg}`);
    }
    await settle(this.db.collection(BLOBS).doc(docId(key)).remove());
  }

  private async meta(key: string): Promise<BlobDoc | null> {
    const res = await settle(this.db.collection(BLOBS).where({ _id: docId(key) }).limit(1).get());
    const doc = (res.data as BlobDoc[])[0];
    return doc && doc.key === key ? doc : null;
  }
}
