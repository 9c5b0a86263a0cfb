/**
 * Payment risk of a new order (支付安全): the buyer's own order history from the orders port,
 * mapped onto the engine's records and scored by server/engine/payments/risk.ts.
 */
import { scorePaymentRisk, type RiskVerdict } from '../engine/payments/risk';
import { DAY_MS, type AttemptOutcome, type PaidOrder } from '../engine/payments/records';
import type { Order } from '../ports';
import type { FunctionContext } from '../runtime/function';

type Ctx = Pick<FunctionContext, 'stores'>;

/** How far back a buyer's orders are read: the amount reference needs a habit, not a lifetime. */
export const RISK_HISTORY_MS = 180 * DAY_MS;
/** At most this many of them (newest first): enough for any velocity or failure window. */
export const RISK_HISTORY_LIMIT = 200;

const PAID_STATES = new Set<Order['state']>(['paid', 'refunding', 'refunded']);

/** The buyer's paid orders as the engine reads them (refunded amounts subtracted later by it). */
export function paidOrdersOf(orders: readonly Order[]): PaidOrder[] {
  return orders
    .filter((o) => PAID_STATES.has(o.state) && o.paidAt !== undefined)
    .map((o) => ({
      user: o.openid,
      amountFen: o.totalFen,
      paidAt: o.paidAt!,
      method: 'unknown' as const,
      refundedFen: o.state === 'refunded' ? (o.refundFen ?? 0) : 0,
      ...(o.device !== undefined ? { device: o.device } : {}),
    }));
}

/**
 * Every earlier order as an attempt. A closed order was never paid: WeChat Pay declined it or the
 * buyer gave up on the sheet (the stored order does not tell which), so it counts as a failure;
 * an order still open (created, paying, held) as open.
 */
export function attemptsOf(orders: readonly Order[]): AttemptOutcome[] {
  return orders.map((o) => ({
    at: o.createdAt,
    amountFen: o.totalFen,
    outcome: PAID_STATES.has(o.state) ? 'paid' : o.state === 'closed' ? 'failed' : 'open',
    ...(o.device !== undefined ? { device: o.device } : {}),
  }));
}

/** Scores a new order against its buyer's history (orders created before it). */
export async function scoreOrder(
  ctx: Ctx,
  order: Pick<Order, 'openid' | 'totalFen' | 'createdAt' | 'device'>,
): Promise<RiskVerdict> {
  const history = await ctx.stores.orders.ofBuyer(
    order.openid,
    order.createdAt - RISK_HISTORY_MS,
    RISK_HISTORY_LIMIT,
  );
  return scorePaymentRisk(
    {
      user: order.openid,
      amountFen: order.totalFen,
      at: order.createdAt,
      method: 'unknown',
      ...(order.device !== undefined ? { device: order.device } : {}),
    },
    paidOrdersOf(history),
    attemptsOf(history),
  );
}
