/** Validation of an ad creative: shared by campaigns (schema.ts) and creative A/B experiments (experiment-schema.ts). */
import { z } from 'zod';

/** Image: a cloud-storage file id, a local file of the local host, an https URL, or none. */
export const image = z
  .string()
  .max(1024)
  .regex(
    /^$|^cloud:\/\/[A-Za-z0-9._-]+\/\S+$|^local:\/\/(?!.*\.\.)[A-Za-z0-9._/-]+$|^https:\/\/\S+$/,
    '图片须为云存储文件 ID（cloud://…）、本地文件（local://…）或 https 地址',
  );

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
