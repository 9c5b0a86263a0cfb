/** What the 我的消费 section shows of the user's buyer segment, as pure functions (testable without a page). */
import type { ProfileView } from '../../../../typings';

export type Payments = NonNullable<ProfileView['payments']>;
export type Purchase = NonNullable<ProfileView['purchase']>;

/** "近 180 天 3 笔 · ¥128.00 · 最近一次 5 天前" (refunds already subtracted from the amount). */
export function paymentsDetail(p: Payments): string {
  const amount = `¥${(p.monetaryFen / 100).toFixed(2)}`;
  const recency =
    p.recencyDays === null
      ? ''
      : p.recencyDays < 1
        ? ' · 最近一次 今天'
        : ` · 最近一次 ${p.recencyDays} 天前`;
  return `近 180 天 ${p.orders} 笔 · ${amount}${recency}`;
}

/** Where it comes from (PIPL: what is inferred about the user). */
export const PAYMENTS_NOTE = '根据你近 180 天经微信支付确认的订单计算，退款已扣除';

/** "近 30 天购买倾向排在前 20%" ('' when not scored): what likely-buyers ads read (PIPL: inferred). */
export function purchaseText(p: Purchase | null): string {
  if (!p) return '';
  const top = Math.max(1, Math.round(p.topShare * 100));
  return `近 ${p.horizonDays} 天购买倾向排在前 ${top}%，“可能购买的人群”广告据此投放`;
}
