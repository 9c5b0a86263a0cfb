/**
 * The merchant owner's review of orders the payment risk score held (支付安全): the list with
 * each order's reasons, approve (the buyer may pay: held → created, a fresh payment window) and
 * reject (held → closed, stock released). Owner only; each decision goes to the campaign's audit
 * log. Expired reviews are closed by train's order maintenance (server/pay/settle.ts).
 */
import type { HeldOrderView } from '../../typings';
import { AppError, notFound } from '../errors';
import { requireMember, resolveActor } from '../merchant/access';
import type { Order } from '../ports';
import type { FunctionContext } from '../runtime/function';
import { viewOf } from './orders';

type Ctx = Pick<FunctionContext, 'openid' | 'stores' | 'config' | 'now' | 'log'>;

/** At most this many held orders are listed (oldest first); a merchant reviews them in turn. */
export const HELD_PAGE = 100;

function heldViewOf(o: Order): HeldOrderView {
  return { ...viewOf(o), risk: o.risk ?? { score: 0, reasons: [] } };
}

export async function listHeld(ctx: Ctx): Promise<HeldOrderView[]> {
  const member = requireMember(await resolveActor(ctx), ['owner']);
  return (await ctx.stores.orders.heldForMerchant(member.merchantId, HELD_PAGE)).map(heldViewOf);
}

export async function reviewOrder(
  ctx: Ctx,
  outTradeNo: string,
  decision: 'approved' | 'rejected',
): Promise<HeldOrderView> {
  const actor = await resolveActor(ctx);
  const member = requireMember(actor, ['owner']);
  const order = await ctx.stores.orders.get(outTradeNo);
  // Another merchant's order is answered as absent: order numbers reveal nothing.
  if (!order || order.merchantId !== member.merchantId) throw notFound('找不到这个订单');
  if (order.state !== 'held')
    throw new AppError('CONFLICT', '这个订单不在待审核状态，请刷新后重试');
  const now = ctx.now();
  const review = { decision, at: now };
  const next =
    decision === 'approved'
      ? await ctx.stores.orders.transition(
          outTradeNo,
          ['held'],
          'created',
          // The buyer's payment window starts at the approval, not at the held create.
          { review, expiresAt: now + ctx.config.orderWindowMinutes * 60_000 },
          now,
        )
      : await ctx.stores.orders.transition(outTradeNo, ['held'], 'closed', { review }, now);
  if (!next) throw new AppError('CONFLICT', '这个订单的状态刚刚变化，请刷新后重试');
  await ctx.stores.merchants.appendAudit({
    campaignId: order.campaignId,
    merchantId: order.merchantId,
    actor: actor.openid,
    at: now,
    action: decision === 'approved' ? 'order.approve' : 'order.reject',
    changes: [
      {
        field: 'order',
        before: { outTradeNo, state: 'held', risk: order.risk?.score ?? null },
        after: { outTradeNo, state: next.state },
      },
    ],
  });
  return heldViewOf(next);
}
