/**
 * How an order learns what WeChat Pay decided: from a notify (payNotify), from a query (the
 * buyer's page polling, train's maintenance), and closing what was never paid. Every change is a
 * compare-and-set on the order's state, so duplicate, late, out-of-order or forged notifies move
 * an order at most once; a pay notify is believed only when its amount matches the order and
 * WeChat Pay's own query confirms it (a client can call payNotify too, with anything in it).
 */
import type { PayNotifyRequest, PayNotifyResponse } from '../../typings';
import { PaymentRejected, type Order } from '../ports';
import type { FunctionContext } from '../runtime/function';
import { decodeAttach } from './attach';
import { REVIEW_WINDOW_MS } from './review-window';

type Ctx = Pick<FunctionContext, 'stores' | 'now' | 'log'>;

const RECEIVED: PayNotifyResponse = { errcode: 0, errmsg: 'OK' };

/** Paying orders are moved to paid when WeChat Pay's query says so, with the right amount. */
export async function settleFromQuery(ctx: Ctx, order: Order): Promise<Order> {
  const q = await ctx.stores.payments.queryOrder(order.outTradeNo);
  if (q.state !== 'SUCCESS' && q.state !== 'REFUND') return order;
  if (q.totalFen !== order.totalFen) {
    ctx.log.info('pay alarm: paid amount differs from the order', {
      outTradeNo: order.outTradeNo,
      orderFen: order.totalFen,
      paidFen: q.totalFen,
    });
    return order;
  }
  const paid = await ctx.stores.orders.transition(
    order.outTradeNo,
    ['created', 'paying'],
    'paid',
    { paidAt: ctx.now(), ...(q.transactionId ? { transactionId: q.transactionId } : {}) },
    ctx.now(),
  );
  return paid ?? (await ctx.stores.orders.get(order.outTradeNo)) ?? order;
}

/**
 * A notify from WeChat Pay. Answers errcode 0 whenever retrying cannot help (done already,
 * unknown order, wrong amount, not confirmed: logged as `pay alarm: …`, at info level since anyone
 * can send such a call; money that needs a person — paid after closing, a failed refund — at
 * error level); a storage failure throws, so the notify is answered with an error and WeChat
 * retries it.
 */
export async function handleNotify(ctx: Ctx, n: PayNotifyRequest): Promise<PayNotifyResponse> {
  if (n.reqInfo) return handleRefundNotify(ctx, n.reqInfo);
  const outTradeNo = typeof n.outTradeNo === 'string' ? n.outTradeNo : '';
  if (n.returnCode !== 'SUCCESS' || n.resultCode !== 'SUCCESS') {
    ctx.log.info('pay notify without success', { outTradeNo, resultCode: n.resultCode });
    return RECEIVED;
  }
  const order = outTradeNo ? await ctx.stores.orders.get(outTradeNo) : null;
  if (!order) {
    ctx.log.info('pay alarm: notify for an unknown order', { outTradeNo });
    return RECEIVED;
  }
  const attach = decodeAttach(n.attach);
  if (n.totalFee !== order.totalFen || (attach && attach.campaignId !== order.campaignId)) {
    ctx.log.info('pay alarm: notify does not match the order (amount or attach)', {
      outTradeNo,
      orderFen: order.totalFen,
      notifyFen: n.totalFee,
    });
    return RECEIVED;
  }
  if (order.state !== 'created' && order.state !== 'paying') {
    if (order.state === 'closed')
      ctx.log.error('pay alarm: paid notify for a closed order (check and refund)', { outTradeNo });
    return RECEIVED; // a duplicate or late notify: done already
  }
  const settled = await settleFromQuery(ctx, order);
  if (settled.state !== 'paid')
    ctx.log.info('pay alarm: notify not confirmed by WeChat Pay query', { outTradeNo });
  return RECEIVED;
}

async function handleRefundNotify(
  ctx: Ctx,
  info: NonNullable<PayNotifyRequest['reqInfo']>,
): Promise<PayNotifyResponse> {
  const outTradeNo = typeof info.outTradeNo === 'string' ? info.outTradeNo : '';
  const order = outTradeNo ? await ctx.stores.orders.get(outTradeNo) : null;
  if (!order) {
    ctx.log.info('pay alarm: refund notify for an unknown order', { outTradeNo });
    return RECEIVED;
  }
  if (order.state === 'refunded') return RECEIVED;
  if (
    order.state !== 'refunding' ||
    info.outRefundNo !== order.outRefundNo ||
    info.refundFee !== order.refundFen ||
    info.totalFee !== order.totalFen
  ) {
    ctx.log.info('pay alarm: refund notify does not match the order', {
      outTradeNo,
      state: order.state,
    });
    return RECEIVED;
  }
  if (info.refundStatus !== 'SUCCESS') {
    // CHANGE / REFUNDCLOSE: the money did not go back. The order stays refunding (maintenance
    // asks again with the same out_refund_no) and a person is alerted; a forged notify of this
    // kind therefore changes nothing.
    ctx.log.error('pay alarm: refund failed', { outTradeNo, status: info.refundStatus });
    return RECEIVED;
  }
  // Believed only when WeChat Pay's own record says so (anyone can call payNotify).
  const q = await ctx.stores.payments.queryRefund(outTradeNo, order.outRefundNo!);
  if (q.state !== 'SUCCESS' || q.refundFen !== order.refundFen) {
    ctx.log.info('pay alarm: refund notify not confirmed by WeChat Pay query', {
      outTradeNo,
      state: q.state,
    });
    return RECEIVED;
  }
  await ctx.stores.orders.transition(
    outTradeNo,
    ['refunding'],
    'refunded',
    { refundedAt: ctx.now() },
    ctx.now(),
  );
  return RECEIVED;
}

export interface OrderMaintenance {
  /** Paying orders WeChat Pay confirmed as paid. */
  settled: number;
  /** Unpaid orders closed after their window (stock released). */
  closed: number;
  /** Refunds asked again (same out_refund_no) while no refund notify came. */
  refundsRetried: number;
}

/** An order left waiting this long is asked about (its notify may be lost or slow). */
export const SETTLE_AFTER_MS = 60_000;
const PAGE = 100;

/** train's maintenance of orders: settle what WeChat Pay says was paid, close what expired. */
export async function maintainOrders(
  ctx: Ctx,
  deadline: number,
  clock: () => number = Date.now,
): Promise<OrderMaintenance> {
  const out: OrderMaintenance = { settled: 0, closed: 0, refundsRetried: 0 };
  const now = ctx.now();
  for (const state of ['paying', 'created'] as const) {
    for (const order of await ctx.stores.orders.inState(state, now - SETTLE_AFTER_MS, PAGE)) {
      if (clock() > deadline) return out;
      const settled = await settleFromQuery(ctx, order);
      if (settled.state === 'paid') {
        out.settled++;
        continue;
      }
      if (settled.state !== order.state || order.expiresAt > now) continue;
      if (await closeExpired(ctx, order)) out.closed++;
      else if ((await ctx.stores.orders.get(order.outTradeNo))?.state === 'paid') out.settled++;
    }
  }
  // Held orders nobody reviewed in time: never handed to WeChat Pay, so closed here alone
  // (stock and the buyer's units released). A held order changes only when reviewed, so one
  // untouched for the review window has expired.
  for (const order of await ctx.stores.orders.inState('held', now - REVIEW_WINDOW_MS, PAGE)) {
    if (clock() > deadline) return out;
    if (order.expiresAt > now) continue;
    if (await ctx.stores.orders.transition(order.outTradeNo, ['held'], 'closed', {}, ctx.now()))
      out.closed++;
  }
  for (const order of await ctx.stores.orders.inState('refunding', now - SETTLE_AFTER_MS, PAGE)) {
    if (clock() > deadline) return out;
    try {
      await ctx.stores.payments.refund({
        outTradeNo: order.outTradeNo,
        outRefundNo: order.outRefundNo!,
        totalFen: order.totalFen,
        refundFen: order.refundFen!,
      });
      out.refundsRetried++;
    } catch (err) {
      ctx.log.error('pay alarm: refund retry failed', {
        outTradeNo: order.outTradeNo,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return out;
}

/**
 * Closes an expired order at WeChat Pay first, then here (stock released). If WeChat refuses
 * because it was paid after all, the order is settled as paid instead.
 */
async function closeExpired(ctx: Ctx, order: Order): Promise<boolean> {
  const q = await ctx.stores.payments.queryOrder(order.outTradeNo);
  if (q.state === 'NOTPAY' || q.state === 'USERPAYING' || q.state === 'PAYERROR') {
    try {
      await ctx.stores.payments.closeOrder(order.outTradeNo);
    } catch (err) {
      if (!(err instanceof PaymentRejected)) throw err;
      await settleFromQuery(ctx, order); // paid between the query and the close
      return false;
    }
  } else if (q.state === 'SUCCESS' || q.state === 'REFUND') {
    await settleFromQuery(ctx, order);
    return false;
  }
  const closed = await ctx.stores.orders.transition(
    order.outTradeNo,
    ['created', 'paying'],
    'closed',
    {},
    ctx.now(),
  );
  return closed !== null;
}
