/**
 * Ad images in the environment's cloud storage: clients stage uploads under `uploads/` (the
 * storage rules: create only, read never), and `image.publish` copies a checked one to
 * `ads/<sha256>.<ext>`, the only files clients may read (rules.ts). A file id names its
 * environment (`cloud://<env>.<bucket>/<path>`): only this environment's are accepted, so a
 * creative cannot point at storage someone else controls.
 */
import type { AdImageStorage } from '../../ports/ad-images';
import { AD_IMAGE_PATH } from '../../engine/ads/images';
import { FILE_NONEXIST, isMissingFile } from './blob-store';
import { settle, type Cloud } from './sdk';

const FILE_ID = /^cloud:\/\/([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+\/([A-Za-z0-9_./-]{1,512})$/;

export interface CloudAdImagesConfig {
  /** The configured environment (CLOUD_ENV; empty: the function's own). */
  cloudEnv: string;
  /** The function's own environment as the cloud runtime names it (TCB_ENV). */
  runtimeEnv?: string;
}

export class CloudAdImages implements AdImageStorage {
  constructor(
    private readonly cloud: Cloud,
    private readonly config: CloudAdImagesConfig,
  ) {}

  /** This environment's id: configured, the call's WeChat context, or TCB_ENV ('' when none is known: nothing is accepted). */
  private envId(): string {
    if (this.config.cloudEnv) return this.config.cloudEnv;
    const ctx = this.cloud.getWXContext() as { ENV?: unknown };
    if (typeof ctx.ENV === 'string' && ctx.ENV !== '') return ctx.ENV;
    return this.config.runtimeEnv ?? '';
  }

  pathOf(fileID: string): string | null {
    const m = FILE_ID.exec(fileID);
    const env = this.envId();
    if (!m || env === '' || m[1] !== env) return null;
    const path = m[2];
    return path.split('/').some((p) => p === '' || p === '.' || p === '..') ? null : path;
  }

  async read(fileID: string): Promise<Uint8Array | null> {
    if (this.pathOf(fileID) === null) return null;
    try {
      const res = await this.cloud.downloadFile({ fileID });
      return new Uint8Array(res.fileContent);
    } catch (err) {
      if (isMissingFile(err)) return null;
      throw err;
    }
  }

  async remove(fileID: string): Promise<void> {
    if (this.pathOf(fileID) === null) return;
    const res = await settle(this.cloud.deleteFile({ fileList: [fileID] }));
    for (const f of res.fileList) {
      if (f.status !== 0 && f.status !== FILE_NONEXIST)
        throw new Error(`deleting ${fileID} failed: ${f.status} ${f.errMsg}`);
    }
  }

  async publish(name: string, bytes: Uint8Array): Promise<string> {
    const cloudPath = `ads/${name}`;
    if (!AD_IMAGE_PATH.test(cloudPath)) throw new Error(`not an ad image name: ${name}`);
    const { fileID } = await this.cloud.uploadFile({ cloudPath, fileContent: Buffer.from(bytes) });
    return fileID;
  }

  isPublished(image: string): boolean {
    const path = this.pathOf(image);
    return path !== null && AD_IMAGE_PATH.test(path);
  }
}
