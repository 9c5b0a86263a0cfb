/**
 * A campaign's report from its counters and events (pure): per CST day the auctions won, viewable
 * impressions, billed clicks and spend (the charge counters, so they reconcile with the charged
 * clicks exactly), CTR, and the pay-verified orders (paid through WeChat Pay, from the orders
 * store; never the client's order / pay events) attributed to the ad by click-through — paid by
 * a user whose last click on the ad came at most 24 h before — with the paid amount, refunds,
 * CPA and ROAS; and breakdowns by position and audience segment in which a row
 * with fewer than `minUsers` distinct users is suppressed (k-anonymity), with complementary
 * suppression (Cox 1980, "Properties of the sensitive data"): a lone hidden row would be the
 * period's total less the rows shown, so more rows are hidden, smallest first, until at least two
 * are and together they hold `minUsers` users; only the sum of several can then be derived.
 */
import type { Breakdown, BreakdownRow, DailyReportRow } from '../../../typings';
import type { StoredEvent } from '../records';
import { dayBucket } from '../time';

export const ATTRIBUTION_WINDOW_MS = 24 * 3_600_000;
export const K_ANONYMITY = 10;

export interface DayCounters {
  /** Billed clicks and spend (adSpend / id / day). */
  clicks: number;
  spentFen: number;
  /** Auctions won (adStats / id / day). */
  won: number;
  /** Invalid clicks, never charged (adStats / id / day, the invalid unbilled outcomes). */
  invalidClicks: number;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** A campaign's order that WeChat Pay confirmed as paid (the orders store's record, reduced). */
export interface PaidOrder {
  orderId: string;
  openid: string;
  paidAt: number;
  totalFen: number;
  /** Set once the refund notify confirmed the refund. */
  refundedAt?: number;
  refundFen?: number;
}

interface DayOrders {
  orders: number;
  paidFen: number;
  refunds: number;
  refundedFen: number;
}

/**
 * Paid orders attributed to the ad by click-through, by CST day: an order counts on the day it
 * was paid when its buyer's last click on the ad before paying came at most 24 h earlier; a
 * refund counts on the day it was confirmed.
 */
function attribute(
  events: readonly StoredEvent[],
  paidOrders: readonly PaidOrder[],
): Map<string, DayOrders> {
  const clicks = new Map<string, number[]>();
  for (const e of events)
    if (e.type === 'click')
      (clicks.get(e.openid) ?? clicks.set(e.openid, []).get(e.openid)!).push(e.serverTime);
  const out = new Map<string, DayOrders>();
  const dayOf = (d: string): DayOrders =>
    out.get(d) ?? out.set(d, { orders: 0, paidFen: 0, refunds: 0, refundedFen: 0 }).get(d)!;
  const seen = new Set<string>();
  for (const o of paidOrders) {
    if (seen.has(o.orderId)) continue;
    seen.add(o.orderId);
    const last = Math.max(-Infinity, ...(clicks.get(o.openid) ?? []).filter((t) => t <= o.paidAt));
    if (o.paidAt - last > ATTRIBUTION_WINDOW_MS) continue;
    const paid = dayOf(dayBucket(o.paidAt));
    paid.orders++;
    paid.paidFen += o.totalFen;
    if (o.refundedAt !== undefined && o.refundFen) {
      const refunded = dayOf(dayBucket(o.refundedAt));
      refunded.refunds++;
      refunded.refundedFen += o.refundFen;
    }
  }
  return out;
}

/**
 * One row per day of `days`. `events`: the ad's events from 24 h before the first day to the end
 * of the last (the earlier clicks only attribute orders); `paidOrders`: the campaign's orders
 * paid within the days.
 */
export function dailyReport(
  days: readonly string[],
  counters: (day: string) => DayCounters,
  events: readonly StoredEvent[],
  paidOrders: readonly PaidOrder[],
): DailyReportRow[] {
  const impressions = new Map<string, number>();
  for (const e of events)
    if (e.type === 'impression')
      impressions.set(dayBucket(e.serverTime), (impressions.get(dayBucket(e.serverTime)) ?? 0) + 1);
  const byDay = attribute(events, paidOrders);
  return days.map((day) => {
    const c = counters(day);
    const views = impressions.get(day) ?? 0;
    const o = byDay.get(day);
    const n = o?.orders ?? 0;
    const paidFen = o?.paidFen ?? 0;
    return {
      day,
      requestsWon: c.won,
      viewableImpressions: views,
      clicks: c.clicks,
      spendFen: c.spentFen,
      invalidClicks: c.invalidClicks,
      ctr: ratio(c.clicks, views),
      orders: n,
      paidFen,
      refunds: o?.refunds ?? 0,
      refundedFen: o?.refundedFen ?? 0,
      cpaFen: ratio(c.spentFen, n),
      roas: ratio(paidFen, c.spentFen),
    };
  });
}

/**
 * Impressions and clicks (as tracked) grouped by `keyOf` (null: left out); rows with fewer than
 * `minUsers` distinct users are dropped and only counted, so no row can single out a person, and
 * so are the complementary rows that keep them from being derived by subtraction (module header).
 */
export function breakdown(
  by: Breakdown['by'],
  events: readonly StoredEvent[],
  keyOf: (e: StoredEvent) => string | null,
  minUsers = K_ANONYMITY,
): Breakdown {
  const groups = new Map<string, { users: Set<string>; views: number; clicks: number }>();
  for (const e of events) {
    if (e.type !== 'impression' && e.type !== 'click') continue;
    const key = keyOf(e);
    if (key === null) continue;
    const g =
      groups.get(key) ?? groups.set(key, { users: new Set(), views: 0, clicks: 0 }).get(key)!;
    g.users.add(e.openid);
    if (e.type === 'impression') g.views++;
    else g.clicks++;
  }
  const hidden = new Set([...groups].filter(([, g]) => g.users.size < minUsers).map(([k]) => k));
  const hiddenUsers = (): number =>
    new Set([...hidden].flatMap((k) => [...groups.get(k)!.users])).size;
  // Smallest first: the complementary rows cost the merchant the least information.
  const candidates = [...groups]
    .filter(([k]) => !hidden.has(k))
    .sort(
      ([ka, a], [kb, b]) => a.users.size - b.users.size || a.views - b.views || (ka < kb ? -1 : 1),
    );
  while (hidden.size > 0 && (hidden.size < 2 || hiddenUsers() < minUsers) && candidates.length)
    hidden.add(candidates.shift()![0]);
  const rows: BreakdownRow[] = [];
  for (const [key, g] of [...groups].sort(([a], [b]) =>
    a.localeCompare(b, 'en', { numeric: true }),
  )) {
    if (!hidden.has(key))
      rows.push({
        key,
        users: g.users.size,
        viewableImpressions: g.views,
        clicks: g.clicks,
        ctr: ratio(g.clicks, g.views),
      });
  }
  return { by, rows, suppressedRows: hidden.size, minUsers };
}
