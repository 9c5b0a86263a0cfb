/**
 * Ad images in the cloud, published by a function (issue 21): a merchant owner's client uploads
 * the picked image into its own staging folder (`image.stage` names the path; the storage rules
 * let a client create files under `uploads/` only and read none of them), then `image.publish`
 * checks the file is the caller's own staged upload of this environment, downloads it, checks
 * size and content (server/engine/ads/images.ts: the local host's upload applies the same check),
 * copies it to `ads/<sha256>.<ext>` (content-addressed: publishing the same image again is the
 * same file), deletes the staged file and writes the merchant's audit log. Only `ads/` files of
 * this environment are accepted as a creative's image (campaign-rules.ts).
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { PublishedAdImage } from '../../typings';
import { identifierKeyBytes } from '../config';
import {
  AD_IMAGE_PROBLEM_ZH,
  STAGED_IMAGE_PATH,
  checkAdImage,
  type AdImageKind,
} from '../engine/ads/images';
import { AppError, invalidInput, notFound } from '../errors';
import type { FunctionContext } from '../runtime/function';
import { requireMember, type Actor } from './access';

type Ctx = Pick<FunctionContext, 'stores' | 'now' | 'config'>;

/**
 * A user's staging folder: a keyed hash of the openid, so a path names nobody and nobody can
 * tell (or aim at) another user's folder without the server's key.
 */
export function stagingFolderOf(ctx: Pick<Ctx, 'config'>, openid: string): string {
  return createHmac('sha256', identifierKeyBytes(ctx.config))
    .update(`ad-image-staging\u0000${openid}`)
    .digest('hex')
    .slice(0, 32);
}

/** Owner: where their client uploads the next image (a fresh name in their own staging folder). */
export function stageImage(ctx: Ctx, actor: Actor, ext: AdImageKind): { cloudPath: string } {
  requireMember(actor, ['owner']);
  const name = randomUUID().replace(/-/g, '');
  return { cloudPath: `uploads/${stagingFolderOf(ctx, actor.openid)}/${name}.${ext}` };
}

/** Owner: publishes their staged upload `fileID` as an ad image; answers what a creative's `image` takes. */
export async function publishImage(
  ctx: Ctx,
  actor: Actor,
  fileID: string,
): Promise<PublishedAdImage> {
  const member = requireMember(actor, ['owner']);
  const store = ctx.stores.adImages;
  const staged = STAGED_IMAGE_PATH.exec(store.pathOf(fileID) ?? '');
  if (!staged || staged[1] !== stagingFolderOf(ctx, actor.openid))
    throw invalidInput([{ path: 'fileID', message: '只能发布你自己刚上传的图片，请重新上传' }]);
  const bytes = await store.read(fileID);
  if (!bytes) throw notFound('没有找到上传的图片，请重新上传');
  const checked = checkAdImage(bytes, staged[3]);
  if (!checked.ok)
    throw checked.problem === 'TOO_LARGE'
      ? new AppError('PAYLOAD_TOO_LARGE', AD_IMAGE_PROBLEM_ZH.TOO_LARGE)
      : invalidInput([{ path: 'fileID', message: AD_IMAGE_PROBLEM_ZH[checked.problem] }]);
  const name = `${createHash('sha256').update(bytes).digest('hex')}.${checked.kind}`;
  const image = await store.publish(name, bytes);
  // After the copy: a failure here leaves the staged file, and publishing it again is the same file.
  await store.remove(fileID);
  await ctx.stores.merchants.appendMerchantAudit({
    merchantId: member.merchantId,
    actor: actor.openid,
    at: ctx.now(),
    action: 'image.publish',
    subject: `${name}（${Math.ceil(bytes.byteLength / 1024)} KB）`,
  });
  return { image, bytes: bytes.byteLength };
}
