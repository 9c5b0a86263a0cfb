/**
 * A like as data the user owns (issue 20, item 3): `content` like.set stores the caller's like
 * state for an item at once, under the same consent rules as comments, instead of leaving it to
 * an analytics event that consent, a collection switch or sampling may drop. The state is kept by
 * the time of the tap on the device — the same clock the tracker's like / unlike event of that tap
 * carries, which `track` also applies — so the two paths agree, and a late or retried older tap
 * never undoes a newer one. The stored state is the answer.
 */
import { AppError, badRequest, forbidden } from '../errors';
import { trackGate } from '../privacy/gate';
import type { FunctionContext } from '../runtime/function';
import { publishedItem } from './lookups';

/** How far a tap's device time may lie from the server's (a clock set wrong): beyond, refused. */
const TAP_SKEW_MS = 24 * 3_600_000;

export async function setLike(
  ctx: FunctionContext,
  itemId: string,
  liked: boolean,
  at: number,
): Promise<boolean> {
  const now = ctx.now();
  if (Math.abs(at - now) > TAP_SKEW_MS)
    throw badRequest('手机时间与实际相差超过一天，请校准时间后再点赞');
  const gate = await trackGate(ctx.stores, ctx.openid, now, ctx.config);
  if (!gate.store && gate.reason === 'erased')
    throw new AppError('CONFLICT', '正在删除你的数据，完成后再试');
  if (!gate.store) throw forbidden('点赞前需要先同意隐私说明（在「我的」页可查看）');
  // Only a published item can be liked; taking a like back works whatever became of the item.
  if (liked) await publishedItem(ctx.stores, itemId);
  await ctx.stores.likes.apply([{ openid: ctx.openid, itemId, liked, at }]);
  return (await ctx.stores.likes.liked(ctx.openid, [itemId])).includes(itemId);
}
