/** Validation of an ad creative: shared by campaigns (schema.ts) and creative A/B experiments (experiment-schema.ts). */
import { z } from 'zod';
import { AD_IMAGE } from '../../engine/ads/images';

/** Image: an upload of this system (server/engine/ads/images.ts: no address a merchant controls), or none. */
export const image = z
  .string()
  .max(1024)
  .regex(AD_IMAGE, '图片须为在本小程序中上传的图片（不支持外部网址）');

export const creative = z.strictObject({
  title: z.string().trim().min(1, '标题不能为空').max(30, '标题最多 30 字'),
  description: z.string().trim().max(80, '描述最多 80 字'),
  image,
  landing: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('page'),
      path: z
        .string()
        .regex(
          /^(?:[a-z0-9_-]+\/)*[a-z0-9_-]+(?:\?[\w=&%.-]*)?$/i,
          '应为小程序页面路径，如 pages/feed/index',
        )
        .max(256),
    }),
    z.strictObject({ kind: z.literal('item'), itemId: z.string().min(1).max(128) }),
  ]),
});
