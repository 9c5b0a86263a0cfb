/**
 * 行程 (旅游出行): the travel items a user saves, in the order added, under the same consent
 * rules as `track` (a recorded consent, no erasure running). Only published items with a place
 * can be saved; the list answers each entry with its card and the trip's cities in order, which
 * the 旅行 channel offers as destinations.
 */
import type { TripView } from '../../typings';
import { AppError, badRequest, forbidden } from '../errors';
import { trackGate } from '../privacy/gate';
import type { FunctionContext } from '../runtime/function';
import { itemView, publishedItem } from './lookups';

/** Entries one 行程 holds at most. */
export const MAX_TRIP = 50;

export async function addToTrip(ctx: FunctionContext, itemId: string): Promise<TripView> {
  const now = ctx.now();
  const gate = await trackGate(ctx.stores, ctx.openid, now, ctx.config);
  if (!gate.store && gate.reason === 'erased')
    throw new AppError('CONFLICT', '正在删除你的数据，完成后再试');
  if (!gate.store) throw forbidden('加入行程前需要先同意隐私说明（在「我的」页可查看）');
  const item = await publishedItem(ctx.stores, itemId);
  if (!item.place) throw badRequest('只有带地点的旅行内容（路线、攻略、酒店）可以加入行程');
  const had = await ctx.stores.trips.list(ctx.openid, MAX_TRIP + 1);
  if (!had.some((e) => e.itemId === itemId) && had.length >= MAX_TRIP)
    throw badRequest(`行程最多 ${MAX_TRIP} 项，请先移除一些`);
  await ctx.stores.trips.add(ctx.openid, itemId, now);
  return tripOf(ctx);
}

export async function removeFromTrip(ctx: FunctionContext, itemId: string): Promise<TripView> {
  await ctx.stores.trips.remove(ctx.openid, itemId);
  return tripOf(ctx);
}

/** The trip with each entry's card (entries whose item is no longer published are left out). */
export async function tripOf(ctx: FunctionContext): Promise<TripView> {
  const entries = await ctx.stores.trips.list(ctx.openid, MAX_TRIP);
  const items = new Map(
    (await ctx.stores.catalog.get(entries.map((e) => e.itemId)))
      .filter((it) => it.status === 'published')
      .map((it) => [it.id, it]),
  );
  const shown = entries.flatMap((e) => {
    const it = items.get(e.itemId);
    return it ? [{ item: itemView(it), city: it.place?.city ?? '', addedAt: e.at }] : [];
  });
  return {
    entries: shown,
    cities: [...new Set(shown.map((e) => e.city).filter(Boolean))],
  };
}
