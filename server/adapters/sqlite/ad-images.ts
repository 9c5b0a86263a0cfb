/**
 * Ad images on the local host: files in its blob store, named `local://<blob key>`. Published
 * images live under `uploads/<sha256>.<ext>`, the name POST /upload/image gives them and
 * GET /files/uploads/<name> serves (server/host/uploads.ts); staged ones under
 * `uploads/<folder>/…`, which the host never serves.
 */
import type { AdImageStorage } from '../../ports/ad-images';
import { assertBlobKey, type BlobStore } from '../../ports/blobs';

const LOCAL = 'local://';
const PUBLISHED = /^local:\/\/uploads\/[0-9a-f]{64}\.(jpg|png|webp)$/;

export class LocalAdImages implements AdImageStorage {
  constructor(private readonly blobs: BlobStore) {}

  pathOf(fileID: string): string | null {
    if (!fileID.startsWith(LOCAL)) return null;
    const key = fileID.slice(LOCAL.length);
    try {
      assertBlobKey(key);
      return key;
    } catch {
      return null;
    }
  }

  async read(fileID: string): Promise<Uint8Array | null> {
    const key = this.pathOf(fileID);
    return key === null ? null : this.blobs.get(key);
  }

  async remove(fileID: string): Promise<void> {
    const key = this.pathOf(fileID);
    if (key !== null) await this.blobs.delete(key);
  }

  async publish(name: string, bytes: Uint8Array): Promise<string> {
    await this.blobs.put(`uploads/${name}`, bytes);
    return `${LOCAL}uploads/${name}`;
  }

  /**
   * The host's own uploads; a cloud file id is accepted by its form alone (the local host has no
   * cloud environment to compare it with, and shows such an image as it is).
   */
  isPublished(image: string): boolean {
    return image.startsWith(LOCAL) ? PUBLISHED.test(image) : image.startsWith('cloud://');
  }
}
