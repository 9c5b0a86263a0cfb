/**
 * `recommend`: one page of the feed for the caller (server/serving/recommend.ts), or the next
 * page of a session named by its cursor (server/serving/session.ts).
 */
import { z } from 'zod';
import { defineFunction } from '../../runtime/function';
import { recommend } from '../../serving/recommend';
import { MAX_CURSOR_CHARS } from '../../serving/session';

const SCENE_ERROR = 'scene 必须是微信场景值（1000–9999 的整数）';

const input = z.strictObject({
  channel: z.string().trim().min(1).max(20).optional(),
  cursor: z.string().min(1).max(MAX_CURSOR_CHARS).optional(),
  limit: z.number().int().min(1).max(50).optional(),
  // WeChat launch scene values are four-digit codes (场景值 1000…); anything else is not a scene.
  scene: z
    .number({ error: SCENE_ERROR })
    .int({ error: SCENE_ERROR })
    .min(1000, { error: SCENE_ERROR })
    .max(9999, { error: SCENE_ERROR })
    .optional(),
  location: z
    .strictObject({
      lat: z.number().min(-90, '纬度应在 −90 到 90 之间').max(90, '纬度应在 −90 到 90 之间'),
      lng: z.number().min(-180, '经度应在 −180 到 180 之间').max(180, '经度应在 −180 到 180 之间'),
    })
    .optional(),
  // A city name as people write it, like the one shared for ad targeting (account).
  destination: z
    .string()
    .trim()
    .regex(/^[\p{L}\p{M}][\p{L}\p{M} ·'-]{0,31}$/u, '目的地应为 1–32 个字的城市名，如 成都')
    .optional(),
});

export default defineFunction({
  name: 'recommend',
  input,
  // A cold start loads the catalog and its popularity counters (≈ N/1000 + 3N/400 round trips
  // for N items), far past the platform's 3 s default.
  cloud: { timeoutSeconds: 20 },
  handle: recommend,
});
