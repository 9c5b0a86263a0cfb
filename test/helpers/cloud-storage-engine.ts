/**
 * An in-memory stand-in for WeChat cloud storage: the `storage.*` control-plane actions
 * (upload metadata, download URLs, deletes) and the object store behind the signed URLs
 * they hand out, so the SDK's real uploadFile/downloadFile/deleteFile code runs above it.
 */
import type { Params, ServiceReply } from './cloud-db-engine';

/** Host of the fake object store's URLs; `.invalid` can never resolve on a real network. */
export const COS_HOST = 'cos.test.invalid';

let seq = 0;
const requestId = (): string => `mem-storage-${++seq}`;

export class MemoryStorage {
  private files = new Map<string, Buffer>();

  constructor(readonly env = 'test-env') {}

  reset(): void {
    this.files.clear();
  }

  /** Stored cloud paths, for assertions. */
  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  /**
   * Stores a file as a client's wx.cloud.uploadFile leaves it (after the storage rules let it
   * through: test/server/cloud-deploy-doc.test.ts pins which paths they allow); answers its fileID.
   */
  put(cloudPath: string, bytes: Uint8Array): string {
    this.files.set(cloudPath, Buffer.from(bytes));
    return this.fileId(cloudPath);
  }

  /** A stored file's bytes, for assertions. */
  read(cloudPath: string): Buffer | undefined {
    return this.files.get(cloudPath);
  }

  private fileId(cloudPath: string): string {
    return `cloud://${this.env}.7465-${this.env}-1250000000/${cloudPath}`;
  }

  private pathOf(fileId: unknown): string | null {
    const prefix = `cloud://${this.env}.7465-${this.env}-1250000000/`;
    return typeof fileId === 'string' && fileId.startsWith(prefix)
      ? fileId.slice(prefix.length)
      : null;
  }

  private url(cloudPath: string): string {
    return `https://${COS_HOST}/${cloudPath.split('/').map(encodeURIComponent).join('/')}`;
  }

  handle(action: string, p: Params): ServiceReply {
    switch (action) {
      case 'storage.getUploadMetadata': {
        const path = String(p.path);
        return {
          requestId: requestId(),
          data: {
            url: this.url(path),
            token: 'token',
            authorization: 'auth',
            fileId: this.fileId(path),
            cosFileId: 'cos',
          },
        };
      }
      case 'storage.batchGetDownloadUrl': {
        const list = (p.file_list as { fileid: string; max_age?: number }[]).map((f) => {
          const path = this.pathOf(f.fileid);
          return path !== null && this.files.has(path)
            ? { fileID: f.fileid, tempFileURL: this.url(path), code: 'SUCCESS', maxAge: f.max_age }
            : {
                fileID: f.fileid,
                tempFileURL: '',
                code: 'STORAGE_FILE_NONEXIST',
                message: 'file not exist',
              };
        });
        return { requestId: requestId(), data: { download_list: list } };
      }
      case 'storage.batchDeleteFile': {
        const list = (p.fileid_list as string[]).map((id) => {
          const path = this.pathOf(id);
          if (path === null || !this.files.delete(path))
            return { fileID: id, code: 'STORAGE_FILE_NONEXIST' };
          return { fileID: id };
        });
        return { requestId: requestId(), data: { delete_list: list } };
      }
      default:
        return {
          requestId: requestId(),
          code: 'INVALID_PARAM',
          message: `in-memory storage: unsupported action ${action}`,
        };
    }
  }

  /** The object store behind the URLs: PUT stores, GET reads (404 when absent). */
  http(method: string, url: string, body: Buffer): { statusCode: number; body: Buffer } {
    const u = new URL(url);
    if (u.host !== COS_HOST) throw new Error(`in-memory storage: refusing a request to ${url}`);
    const path = u.pathname.slice(1).split('/').map(decodeURIComponent).join('/');
    if (method.toLowerCase() === 'put') {
      this.files.set(path, Buffer.from(body));
      return { statusCode: 200, body: Buffer.alloc(0) };
    }
    const data = this.files.get(path);
    return data
      ? { statusCode: 200, body: Buffer.from(data) }
      : { statusCode: 404, body: Buffer.from('NoSuchKey') };
  }
}
