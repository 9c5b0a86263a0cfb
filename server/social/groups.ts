/**
 * Groups (推荐圈子's WeChat groups): a user who opens a share inside a group chat is in that
 * group. The Mini Program sends the share info's cloudID (`wx.getShareInfo`); WeChat vouches for
 * it through the open-data port (`cloud.getOpenData`), and only then is the membership written —
 * under a keyed digest of the openGId, never the openGId itself, so a stored row cannot be
 * matched with the group's id elsewhere without the server's key. A forged, expired or another
 * user's cloudID writes nothing, not even a rate-limit count.
 */
import { createHmac } from 'node:crypto';
import { minuteBucket } from '../engine/time';
import { AppError, rateLimited } from '../errors';
import { identifierKeyBytes } from '../config';
import { OpenDataRejected } from '../ports';
import type { FunctionContext } from '../runtime/function';
import { requireConsent } from './people';

/** Group opens a user may report in a minute (one per share opened in a group is plenty). */
export const GROUP_OPENS_PER_MINUTE = 10;

/** The stored id of a WeChat group: an HMAC of its openGId under the identifier key. */
export function groupKey(openGId: string, ctx: Pick<FunctionContext, 'config'>): string {
  return createHmac('sha256', identifierKeyBytes(ctx.config))
    .update(`social-group\u0000${openGId}`)
    .digest('base64url')
    .slice(0, 22);
}

async function resolveGroup(ctx: FunctionContext, cloudID: string): Promise<string> {
  try {
    return await ctx.stores.openData.shareGroup(cloudID);
  } catch (err) {
    if (!(err instanceof OpenDataRejected)) throw err;
    ctx.log.info('share info refused', { code: err.code });
    throw new AppError(
      'INVALID_INPUT',
      err.code === 'EXPIRED'
        ? '群聊信息已过期，请从群聊里重新打开这条分享'
        : '群聊信息无效，请从群聊里重新打开这条分享',
      [{ path: 'cloudID', message: err.code }],
    );
  }
}

/** Records that the caller opened a share (`shareId`, when known) in the group behind `cloudID`. */
export async function openedInGroup(
  ctx: FunctionContext,
  cloudID: string,
  shareId: string | null,
): Promise<{ joined: boolean }> {
  const { stores, openid } = ctx;
  const now = ctx.now();
  await requireConsent(stores, openid, now, ctx.config);
  const group = groupKey(await resolveGroup(ctx, cloudID), ctx);
  const [perMinute] = await stores.counters.add([
    { scope: 'rate', id: openid, bucket: minuteBucket(now), field: 'groupOpens', by: 1 },
  ]);
  if (perMinute > GROUP_OPENS_PER_MINUTE)
    throw rateLimited(
      `操作太频繁了（每分钟最多记录 ${GROUP_OPENS_PER_MINUTE} 次群聊打开），请稍后再试`,
    );
  const joined = await stores.social.joinGroup({ openid, group, at: now, shareId });
  return { joined };
}
