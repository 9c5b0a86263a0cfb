/**
 * Where an ad's image may come from, and what an image must be. An image is loaded by every
 * client the ad is shown to, so an address the merchant controls (any https URL) would tell the
 * merchant who saw the ad, when and from where: only images stored by this system are accepted —
 * an image published into the cloud environment's storage under `ads/` (by `merchant`
 * `image.publish`, from the owner's staging folder), or the local host's uploads. The size limit
 * and the content check here are the one check both paths apply (server/host/uploads.ts,
 * server/merchant/images.ts).
 */

/** The storage path of a published ad image (the storage rules let clients read only these). */
export const AD_IMAGE_PATH = /^ads\/[A-Za-z0-9_-]{1,64}\.(jpg|png|webp)$/;

/**
 * The storage path a client uploads an ad image to before it is published: its own staging
 * folder (a keyed hash of its openid, server/merchant/images.ts) and a name it picks. The storage
 * rules let a client create files only here, and read none of them.
 */
export const STAGED_IMAGE_PATH = /^uploads\/([0-9a-f]{32})\/([A-Za-z0-9_-]{1,64})\.(jpg|png|webp)$/;

/** A creative's `image`: a cloud file id under ads/, a local-host upload, or none. */
export const AD_IMAGE = new RegExp(
  `^$|^cloud://[A-Za-z0-9._-]+/${AD_IMAGE_PATH.source.slice(1, -1)}$|^local://uploads/[0-9a-f]{64}\\.(jpg|png|webp)$`,
);

/** Largest ad image accepted, bytes: creatives are shown at card width, 2 MB is plenty. */
export const AD_IMAGE_MAX_BYTES = 2 * 1024 * 1024;

export type AdImageKind = 'jpg' | 'png' | 'webp';

/** The image kind its first bytes say, or null: JPEG FF D8 FF, PNG's 8-byte signature, WebP's RIFF….WEBP. */
export function imageKind(b: Uint8Array): AdImageKind | null {
  const at = (i: number, bytes: number[]) => bytes.every((x, k) => b[i + k] === x);
  if (b.length >= 3 && at(0, [0xff, 0xd8, 0xff])) return 'jpg';
  if (b.length >= 8 && at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (b.length >= 12 && at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50]))
    return 'webp';
  return null;
}

/** Why bytes are not an acceptable ad image. */
export type AdImageProblem = 'TOO_LARGE' | 'NOT_AN_IMAGE' | 'WRONG_EXTENSION';

/**
 * The kind of an acceptable ad image, or why it is not one: within the size limit, a JPEG, PNG
 * or WebP by its content, and — when the file came with a name (`declared`) — named for what it is
 * (a .jpg that is a PNG or an HTML page is refused: whatever serves it by its name would mislabel it).
 */
export function checkAdImage(
  bytes: Uint8Array,
  declared?: string,
): { ok: true; kind: AdImageKind } | { ok: false; problem: AdImageProblem } {
  if (bytes.byteLength > AD_IMAGE_MAX_BYTES) return { ok: false, problem: 'TOO_LARGE' };
  const kind = imageKind(bytes);
  if (!kind) return { ok: false, problem: 'NOT_AN_IMAGE' };
  if (declared !== undefined && declared.toLowerCase().replace('jpeg', 'jpg') !== kind)
    return { ok: false, problem: 'WRONG_EXTENSION' };
  return { ok: true, kind };
}

/** What a person is told for each problem (zh-CN, shown in the merchant editor). */
export const AD_IMAGE_PROBLEM_ZH: Record<AdImageProblem, string> = {
  TOO_LARGE: `图片不能超过 ${AD_IMAGE_MAX_BYTES / 1024 / 1024} MB`,
  NOT_AN_IMAGE: '只能上传 JPEG、PNG 或 WebP 图片',
  WRONG_EXTENSION: '图片内容与文件类型不符，请重新选择图片',
};
