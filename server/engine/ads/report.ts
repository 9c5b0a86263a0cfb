/**
 * A campaign's report from its counters and train's rollups (pure): per CST day the auctions won, viewable
 * impressions, billed clicks and spend (the charge counters, so they reconcile with the charged
 * clicks exactly), impressions from train's rollups, CTR, and the pay-verified orders (paid
 * through WeChat Pay, from the orders store; never the client's order / pay events) attributed to
 * the ad by click-through — the order names, in its WeChat Pay `attach`, the slate and position
 * the buyer tapped the ad at, and that slate was served to the buyer with this campaign there at
 * most 24 h before they paid (`clickedThrough`) — with the paid amount, refunds, and CPA and ROAS
 * net of refunds (each day's orders less those refunded in full, its amount less every refund of
 * them: a refund confirmed later lowers the day the order was paid); and
 * breakdowns by position, audience segment and buyer segment (orders, paid, refunded and net) in which a row
 * with fewer than `minUsers` distinct users is suppressed (k-anonymity), with complementary
 * suppression (Cox 1980, "Properties of the sensitive data"): a lone hidden row would be the
 * period's total less the rows shown, so more rows are hidden, smallest first, until at least two
 * are and together they hold `minUsers` users; only the sum of several can then be derived.
 */
import type { Breakdown, BreakdownRow, DailyReportRow } from '../../../typings';
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

/** One rollup row (the shape of the rollups port's AdReportUnit; see server/ports/rollups.ts). */
export interface ReportUnit {
  day: string;
  dim: string;
  key: string;
  openid: string;
  impressions: number;
  clicks: number;
  events: number;
  paidFen: number;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** A campaign's order that WeChat Pay confirmed as paid (the orders store's record, reduced). */
export interface PaidOrder {
  orderId: string;
  openid: string;
  paidAt: number;
  totalFen: number;
  /** Where the buyer tapped the ad, from the order's attribution (absent: not through an ad card). */
  slateId?: string;
  position?: number;
  /** Set once the refund notify confirmed the refund. */
  refundedAt?: number;
  refundFen?: number;
}

/** What attribution needs of a logged slate. */
export interface SlateServed {
  openid: string;
  servedAt: number;
  cards: readonly { position: number; adId?: string }[];
}

/**
 * Whether a paid order came through the ad: its slate was served to the buyer, with this campaign
 * at the order's position, at most the attribution window before the payment.
 */
export function clickedThrough(
  order: PaidOrder,
  campaignId: string,
  slate: SlateServed | undefined,
): boolean {
  if (!slate || slate.openid !== order.openid || order.position === undefined) return false;
  const age = order.paidAt - slate.servedAt;
  if (age < 0 || age > ATTRIBUTION_WINDOW_MS) return false;
  return slate.cards.some((c) => c.position === order.position && c.adId === campaignId);
}

interface DayOrders {
  orders: number;
  paidFen: number;
  refunds: number;
  refundedFen: number;
  /** Of the orders paid this day: those not refunded in full, and the amount they kept. */
  netOrders: number;
  netPaidFen: number;
}

/**
 * One row per day of `days`, from the day's counters, the campaign's `day` rollup rows of those
 * days (impressions) and its attributed paid orders (`clickedThrough`): an order counts on the
 * day it was paid, a refund on the day it was confirmed, each order once. The orders may include
 * some paid before `days` whose refund was confirmed within them: only their refund shows (the
 * refunds column is every refund confirmed on the day), their paid day being outside the report.
 */
export function dailyReport(
  days: readonly string[],
  counters: (day: string) => DayCounters,
  units: readonly ReportUnit[],
  paidOrders: readonly PaidOrder[],
): DailyReportRow[] {
  const impressions = new Map<string, number>();
  for (const u of units)
    if (u.dim === 'day') impressions.set(u.day, (impressions.get(u.day) ?? 0) + u.impressions);
  const byDay = new Map<string, DayOrders>();
  const dayOf = (d: string): DayOrders =>
    byDay.get(d) ??
    byDay
      .set(d, { orders: 0, paidFen: 0, refunds: 0, refundedFen: 0, netOrders: 0, netPaidFen: 0 })
      .get(d)!;
  const seen = new Set<string>();
  for (const o of paidOrders) {
    if (seen.has(o.orderId)) continue;
    seen.add(o.orderId);
    const paid = dayOf(dayBucket(o.paidAt));
    paid.orders++;
    paid.paidFen += o.totalFen;
    const back =
      o.refundedAt !== undefined ? Math.min(Math.max(o.refundFen ?? 0, 0), o.totalFen) : 0;
    if (back < o.totalFen) paid.netOrders++;
    paid.netPaidFen += o.totalFen - back;
    if (o.refundedAt !== undefined && back > 0) {
      // The same capped amount the net subtracts, so refunds and net reconcile.
      const refunded = dayOf(dayBucket(o.refundedAt));
      refunded.refunds++;
      refunded.refundedFen += back;
    }
  }
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
      netOrders: o?.netOrders ?? 0,
      netPaidFen: o?.netPaidFen ?? 0,
      cpaFen: ratio(c.spentFen, o?.netOrders ?? 0),
      roas: ratio(o?.netPaidFen ?? 0, c.spentFen),
    };
  });
}

/**
 * Impressions and clicks (as tracked) grouped by the units' key, over one user's rows per key and
 * day; rows with fewer than `minUsers` distinct users are dropped and only counted, so no row can
 * single out a person, and so are the complementary rows that keep them from being derived by
 * subtraction (module header).
 */
export function breakdown(
  by: Breakdown['by'],
  units: readonly (Pick<ReportUnit, 'key' | 'openid' | 'impressions' | 'clicks'> & {
    orders?: number;
    paidFen?: number;
    refundedFen?: number;
  })[],
  minUsers = K_ANONYMITY,
): Breakdown {
  const groups = new Map<
    string,
    {
      users: Set<string>;
      views: number;
      clicks: number;
      orders: number;
      paidFen: number;
      refundedFen: number;
    }
  >();
  for (const u of units) {
    const g =
      groups.get(u.key) ??
      groups
        .set(u.key, {
          users: new Set(),
          views: 0,
          clicks: 0,
          orders: 0,
          paidFen: 0,
          refundedFen: 0,
        })
        .get(u.key)!;
    g.users.add(u.openid);
    g.views += u.impressions;
    g.clicks += u.clicks;
    g.orders += u.orders ?? 0;
    g.paidFen += u.paidFen ?? 0;
    g.refundedFen += u.refundedFen ?? 0;
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
        ...(by === 'buyers'
          ? {
              orders: g.orders,
              paidFen: g.paidFen,
              refundedFen: g.refundedFen,
              netPaidFen: g.paidFen - g.refundedFen,
            }
          : {}),
      });
  }
  return { by, rows, suppressedRows: hidden.size, minUsers };
}
