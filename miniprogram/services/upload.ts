/**
 * Ad images from the merchant editor: where an image picked on the phone goes, by backend mode.
 * Cloud: `merchant` `image.stage` names a path in the owner's own staging folder, wx.cloud.uploadFile
 * puts the file there (the storage rules let clients write nowhere else), and `image.publish` checks
 * it on the server and answers the published fileID (cloud://…/ads/<sha256>.<ext>) the creative stores.
 * Local: wx.uploadFile to the local host's POST /upload/image, which stores it under DATA_DIR
 * and answers "local://uploads/<sha256>.<ext>". `src` turns a stored image into what <image> shows.
 */
import type { UploadedImage } from '../../typings';
import { unwrap, getApi } from './api';
import type { ApiClient } from './api';
import { ApiError } from './api-error';
import { backendConfig } from './config';
import type { BackendConfig } from './config';
import { devOpenid } from './dev-identity';

export interface ImageUploader {
  /** Uploads a temp file (from wx.chooseMedia); resolves to the value a creative's `image` takes. */
  upload(filePath: string): Promise<string>;
  /** The src an <image> shows for a creative's `image` ('' stays ''). */
  src(image: string): string;
}

/** The wx surface the uploader uses. */
export type UploadWxLike = Pick<
  WechatMiniprogram.Wx,
  'uploadFile' | 'getStorageSync' | 'setStorageSync'
> & {
  cloud: Pick<WechatMiniprogram.Wx['cloud'], 'uploadFile'>;
};

const FAILED = '图片上传失败，请检查网络后重试';

/** The picked file's extension when it is one the server accepts; phones name temp files by their type. */
function extensionOf(filePath: string): string {
  const m = /\.(jpe?g|png|webp)$/i.exec(filePath);
  return m ? m[1].toLowerCase().replace('jpeg', 'jpg') : 'jpg';
}

function errMsg(err: unknown): string {
  if (err && typeof err === 'object' && 'errMsg' in err)
    return String((err as { errMsg: unknown }).errMsg);
  return err instanceof Error ? err.message : String(err);
}

/**
 * What an <image> shows for a creative's stored image: a local host file (local://…) from the
 * host that stored it; cloud file ids and https URLs as they are.
 */
export function imageSrc(
  image: string,
  config: Pick<BackendConfig, 'localBaseUrl'> = backendConfig,
): string {
  return image.startsWith('local://')
    ? `${config.localBaseUrl.replace(/\/+$/, '')}/files/${image.slice('local://'.length)}`
    : image;
}

/**
 * The uploader for a backend. `api`: the `merchant` client the cloud mode stages and publishes
 * through (default: the app-wide one, built on first use).
 */
export function uploaderFor(
  config: BackendConfig,
  wxApi: UploadWxLike,
  api: () => Pick<ApiClient, 'call'> = getApi,
): ImageUploader {
  const base = config.localBaseUrl.replace(/\/+$/, '');
  if (config.mode === 'cloud') {
    return {
      // The server's refusals (not an owner, not an image, too big) come as ApiErrors with its message.
      async upload(filePath) {
        const ext = extensionOf(filePath) as 'jpg' | 'png' | 'webp';
        const staged = await api().call('merchant', { action: 'image.stage', ext });
        if (staged.action !== 'image.stage')
          throw new ApiError('BAD_RESPONSE', '服务返回了无法识别的结果');
        let fileID: string;
        try {
          fileID = (await wxApi.cloud.uploadFile({ cloudPath: staged.cloudPath, filePath })).fileID;
        } catch (err) {
          throw new ApiError('NETWORK', `${FAILED}（${errMsg(err)}）`);
        }
        const res = await api().call('merchant', { action: 'image.publish', fileID });
        if (res.action !== 'image.publish')
          throw new ApiError('BAD_RESPONSE', '服务返回了无法识别的结果');
        return res.published.image;
      },
      src: (image) => image,
    };
  }
  let openid: string | undefined;
  return {
    upload(filePath) {
      return new Promise((resolve, reject) => {
        wxApi.uploadFile({
          url: `${base}/upload/image`,
          filePath,
          name: 'file',
          timeout: config.timeoutMs,
          header: { 'x-openid': (openid ??= devOpenid(wxApi)) },
          // wx.uploadFile hands the body back as text, error statuses included (413, 400, 403).
          success: (res) => {
            try {
              const data = unwrap(JSON.parse(res.data)) as UploadedImage;
              if (typeof data?.image !== 'string')
                throw new ApiError('BAD_RESPONSE', '服务返回了无法识别的结果');
              resolve(data.image);
            } catch (err) {
              reject(
                err instanceof ApiError
                  ? err
                  : new ApiError('BAD_RESPONSE', '服务返回了无法识别的结果'),
              );
            }
          },
          fail: (err) => reject(new ApiError('NETWORK', `${FAILED}（${err.errMsg}）`)),
        });
      });
    },
    src: (image) => imageSrc(image, config),
  };
}

let current: ImageUploader | null = null;

/** The app-wide uploader for the configured backend (the API client is built first: it initialises wx.cloud). */
export function getUploader(): ImageUploader {
  if (!current) {
    getApi();
    current = uploaderFor(backendConfig, wx);
  }
  return current;
}

/** Replaces the app-wide uploader (tests); null goes back to the configured one. */
export function setUploader(uploader: ImageUploader | null): void {
  current = uploader;
}
