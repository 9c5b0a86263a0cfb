/**
 * A campaign's report from its counters and train's rollups (pure): per CST day the auctions won, viewable
 * impressions, billed clicks and spend (the charge counters, so they reconcile with the charged
 * clicks exactly), CTR, and the orders and paid amount attributed to the ad by click-through —
 * an order or payment of the campaign's merchant by a user who clicked the ad at most 24 h
 * before (attributed as train reads the log: server/learning/ad-report-rollup.ts) — with CPA and
 * ROAS; and breakdowns by position and audience segment in which a row
 * with fewer than `minUsers` distinct users is suppressed (k-anonymity), with complementary
 * suppression (Cox 1980, "Properties of the sensitive data"): a lone hidden row would be the
 * period's total less the rows shown, so more rows are hidden, smallest first, until at least two
 * are and together they hold `minUsers` users; only the sum of several can then be derived.
 */
import type { Breakdown, BreakdownRow, DailyReportRow } from '../../../typings';

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

/**
 * One row per day of `days`, from the day's counters and the campaign's rollup rows of those days
 * (`day` rows: impressions; `order` rows: one per attributed order; `pay` rows: the paid amount,
 * counted once however many times the payment was resent).
 */
export function dailyReport(
  days: readonly string[],
  counters: (day: string) => DayCounters,
  units: readonly ReportUnit[],
): DailyReportRow[] {
  const impressions = new Map<string, number>();
  const orders = new Map<string, number>();
  const paid = new Map<string, number>();
  const add = (m: Map<string, number>, day: string, n: number): void => {
    m.set(day, (m.get(day) ?? 0) + n);
  };
  for (const u of units) {
    if (u.dim === 'day') add(impressions, u.day, u.impressions);
    else if (u.dim === 'order' && u.events > 0) add(orders, u.day, 1);
    else if (u.dim === 'pay' && u.events > 0) add(paid, u.day, Math.round(u.paidFen / u.events));
  }
  return days.map((day) => {
    const c = counters(day);
    const views = impressions.get(day) ?? 0;
    const n = orders.get(day) ?? 0;
    const paidFen = paid.get(day) ?? 0;
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
      cpaFen: ratio(c.spentFen, n),
      roas: ratio(paidFen, c.spentFen),
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
  units: readonly Pick<ReportUnit, 'key' | 'openid' | 'impressions' | 'clicks'>[],
  minUsers = K_ANONYMITY,
): Breakdown {
  const groups = new Map<string, { users: Set<string>; views: number; clicks: number }>();
  for (const u of units) {
    const g =
      groups.get(u.key) ?? groups.set(u.key, { users: new Set(), views: 0, clicks: 0 }).get(u.key)!;
    g.users.add(u.openid);
    g.views += u.impressions;
    g.clicks += u.clicks;
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
