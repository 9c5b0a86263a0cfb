/**
 * A campaign's offer (what its landing page sells through WeChat Pay): set or cleared by the
 * merchant's owner, compare-and-set on the campaign's revision and written to its audit log like
 * any edit. Orders take their price from here only (server/pay/orders.ts).
 */
import type { Campaign, Offer } from '../../typings';
import { AppError } from '../errors';
import type { FunctionContext } from '../runtime/function';
import { requireMember, type Actor } from './access';
import { audit, currentAt, writeFrom } from './campaigns';

type Ctx = Pick<FunctionContext, 'stores' | 'config' | 'now'>;

export async function setOffer(
  ctx: Ctx,
  actor: Actor,
  campaignId: string,
  offer: Offer | null,
  expectedRevision?: number,
): Promise<Campaign> {
  const member = requireMember(actor, ['owner']);
  const current = await currentAt(ctx, member, campaignId, expectedRevision);
  if (current.status === 'ended') throw new AppError('CONFLICT', '已结束的广告计划不能修改商品');
  const before = current.offer ?? null;
  if (JSON.stringify(before) === JSON.stringify(offer)) return current;
  const updated = await writeFrom(ctx, current, { ...current, offer, updatedAt: ctx.now() });
  await audit(ctx, actor, updated, offer ? 'offer.set' : 'offer.clear', [
    { field: 'offer', before, after: offer },
  ]);
  return updated;
}
