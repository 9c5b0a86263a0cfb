/**
 * The `pay` function's use cases: a buyer's order for a campaign's offer (price from the stored
 * offer only), its status, and a merchant owner's refund. Payment itself is WeChat Pay's: an
 * order is paid only when WeChat Pay says so (notify or query, server/pay/settle.ts), never
 * because the page reports wx.requestPayment's success.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { identifierKeyBytes } from '../config';
import type { OrderView, PaymentParams } from '../../typings';
import { AppError, notFound, unavailable } from '../errors';
import { requireMember, resolveActor } from '../merchant/access';
import { PaymentRejected, type Order } from '../ports';
import type { FunctionContext } from '../runtime/function';
import { encodeAttach } from './attach';
import { REVIEW_WINDOW_MS } from './review-window';
import { scoreOrder } from './risk';
import { settleFromQuery } from './settle';

type Ctx = Pick<FunctionContext, 'openid' | 'stores' | 'config' | 'now' | 'log'>;

export function viewOf(o: Order): OrderView {
  return {
    outTradeNo: o.outTradeNo,
    campaignId: o.campaignId,
    title: o.title,
    quantity: o.quantity,
    totalFen: o.totalFen,
    state: o.state,
    createdAt: o.createdAt,
    expiresAt: o.expiresAt,
    ...(o.paidAt !== undefined ? { paidAt: o.paidAt } : {}),
    ...(o.refundFen !== undefined ? { refundFen: o.refundFen } : {}),
  };
}

/** 26 characters of [0-9a-z]: time (sortable, base 36) and randomness; WeChat allows 32. */
export function newOutTradeNo(now: number): string {
  return `o${now.toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
}

/** The stable out_refund_no of an order's (one) refund: a retried refund is the same refund. */
export const outRefundNoOf = (outTradeNo: string): string => `r${outTradeNo}`;

/** A keyed hash (identifier key): no one who merely knows the openid can recompute it after erasure. */
const cartKeyOf = (key: Buffer, openid: string, campaignId: string, quantity: number): string =>
  createHmac('sha256', key)
    .update(`order-cart\u0000${openid}\u0000${campaignId}\u0000${quantity}`)
    .digest('hex');

const notForSale = (): AppError => notFound('这个商品不存在或已下架');

export interface CreateOrderInput {
  campaignId: string;
  quantity: number;
  slateId?: string;
  position?: number;
  device?: string;
}

export async function createOrder(
  ctx: Ctx,
  input: CreateOrderInput,
): Promise<{ order: OrderView; payment?: PaymentParams }> {
  const now = ctx.now();
  const campaign = await ctx.stores.ads.getCampaign(input.campaignId);
  const offer = campaign?.offer;
  if (!campaign || !offer || campaign.status !== 'active' || campaign.endAt <= now)
    throw notForSale();
  if (input.quantity > offer.perUserLimit)
    throw new AppError('CONFLICT', `每人限购 ${offer.perUserLimit} 件`);
  const outTradeNo = newOutTradeNo(now);
  const totalFen = offer.priceFen * input.quantity;
  // Scored before the order exists (its history is the buyer's earlier orders); a repeated
  // create of an open cart answers that order as it is, whatever this score says.
  const verdict = await scoreOrder(ctx, {
    openid: ctx.openid,
    totalFen,
    createdAt: now,
    ...(input.device !== undefined ? { device: input.device } : {}),
  });
  const fresh: Order = {
    outTradeNo,
    openid: ctx.openid,
    merchantId: campaign.merchantId,
    campaignId: campaign.id,
    cartKey: cartKeyOf(identifierKeyBytes(ctx.config), ctx.openid, campaign.id, input.quantity),
    title: offer.title,
    quantity: input.quantity,
    unitFen: offer.priceFen,
    totalFen,
    state: verdict.hold ? 'held' : 'created',
    attribution: {
      campaignId: campaign.id,
      ...(input.slateId !== undefined ? { slateId: input.slateId } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
    },
    createdAt: now,
    expiresAt: now + (verdict.hold ? REVIEW_WINDOW_MS : ctx.config.orderWindowMinutes * 60_000),
    updatedAt: now,
    ...(input.device !== undefined ? { device: input.device } : {}),
    risk: {
      score: Math.round(verdict.score * 1000) / 1000,
      reasons: verdict.reasons.map((r) => ({ code: r.code, message: r.message })),
    },
  };
  const made = await ctx.stores.orders.create(fresh, {
    stock: offer.stock,
    perUserLimit: offer.perUserLimit,
  });
  if (made.kind === 'sold_out')
    throw new AppError(
      'CONFLICT',
      made.left > 0 ? `库存不足，只剩 ${made.left} 件` : '已售罄，看看别的商品吧',
    );
  if (made.kind === 'over_limit')
    throw new AppError(
      'CONFLICT',
      `每人限购 ${offer.perUserLimit} 件，你已购买或待支付 ${made.bought} 件`,
    );
  const order = made.order;
  if (order.state === 'held') {
    if (made.kind === 'created')
      ctx.log.info('pay risk: order held for review', {
        outTradeNo: order.outTradeNo,
        score: order.risk?.score,
        reasons: order.risk?.reasons.map((r) => r.code),
      });
    return { order: viewOf(order) }; // no payment object until the merchant approves it
  }
  let payment: PaymentParams;
  try {
    // For an existing order WeChat answers the same prepay for the same parameters.
    payment = await ctx.stores.payments.unifiedOrder({
      outTradeNo: order.outTradeNo,
      body: order.title.slice(0, 40),
      totalFen: order.totalFen,
      attach: encodeAttach(order.attribution),
      openid: order.openid,
    });
  } catch (err) {
    ctx.log.error('unifiedOrder failed', {
      outTradeNo: order.outTradeNo,
      error: err instanceof Error ? err.message : String(err),
    });
    if (made.kind === 'created' && err instanceof PaymentRejected) {
      // Refused for good: the order will never be paid, so its stock goes back now.
      await ctx.stores.orders.transition(order.outTradeNo, ['created'], 'closed', {}, ctx.now());
    }
    throw unavailable('微信支付暂时无法下单，请稍后重试');
  }
  const paying =
    (await ctx.stores.orders.transition(order.outTradeNo, ['created'], 'paying', {}, ctx.now())) ??
    (await ctx.stores.orders.get(order.outTradeNo)) ??
    order;
  return { order: viewOf(paying), payment };
}

/**
 * The buyer's order. While it waits for WeChat Pay, asks WeChat Pay itself (the notify may come
 * later than the page's poll), so the page shows a state WeChat confirmed.
 */
export async function getOrder(ctx: Ctx, outTradeNo: string): Promise<OrderView> {
  const order = await ctx.stores.orders.get(outTradeNo);
  if (!order || order.openid !== ctx.openid) throw notFound('找不到这个订单');
  if (order.state !== 'paying') return viewOf(order);
  const settled = await settleFromQuery(ctx, order);
  return viewOf(settled);
}

/** A merchant owner refunds (part of) a paid order of one of its campaigns; one refund per order. */
export async function refundOrder(
  ctx: Ctx,
  outTradeNo: string,
  refundFen: number,
): Promise<OrderView> {
  const member = requireMember(await resolveActor(ctx), ['owner']);
  const order = await ctx.stores.orders.get(outTradeNo);
  if (!order || order.merchantId !== member.merchantId) throw notFound('找不到这个订单');
  if (refundFen > order.totalFen)
    throw new AppError('CONFLICT', `退款金额不能超过实付金额 ${order.totalFen} 分`);
  const outRefundNo = outRefundNoOf(order.outTradeNo);
  let asked: Order | null;
  if (order.state === 'refunding' || order.state === 'refunded') {
    // A retried refund: the same one again (WeChat treats the same out_refund_no as one refund).
    if (order.refundFen !== refundFen)
      throw new AppError('CONFLICT', '这个订单已经申请过退款，每个订单只能退款一次');
    if (order.state === 'refunded') return viewOf(order);
    asked = order;
  } else if (order.state === 'paid') {
    asked = await ctx.stores.orders.transition(
      order.outTradeNo,
      ['paid'],
      'refunding',
      { outRefundNo, refundFen },
      ctx.now(),
    );
    if (!asked) throw new AppError('CONFLICT', '订单状态刚刚变化，请刷新后重试');
  } else {
    throw new AppError('CONFLICT', '只有已支付的订单可以退款');
  }
  try {
    await ctx.stores.payments.refund({
      outTradeNo: order.outTradeNo,
      outRefundNo,
      totalFen: order.totalFen,
      refundFen,
    });
  } catch (err) {
    ctx.log.error('refund failed', {
      outTradeNo: order.outTradeNo,
      error: err instanceof Error ? err.message : String(err),
    });
    if (err instanceof PaymentRejected) {
      // WeChat refused it: the order is paid as before and may be refunded again.
      await ctx.stores.orders.transition(order.outTradeNo, ['refunding'], 'paid', {}, ctx.now());
      throw new AppError('CONFLICT', `微信支付拒绝了退款：${err.message}`);
    }
    // Unknown outcome: train's maintenance asks again with the same out_refund_no.
    throw unavailable('退款请求暂时没有送达微信支付，系统会自动重试');
  }
  return viewOf(asked);
}
