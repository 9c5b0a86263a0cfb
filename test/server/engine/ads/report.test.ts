/** The report's breakdowns (k-anonymity with complementary suppression, attacked by subtraction), attribution, and refunds per day. */
import {
  breakdown,
  clickedThrough,
  dailyReport,
  K_ANONYMITY,
  type ReportUnit,
} from '../../../../server/engine/ads/report';

type Unit = Pick<ReportUnit, 'key' | 'openid' | 'impressions' | 'clicks'>;

/** `users` users in a segment, each with `views` impressions and one click (one rollup row each). */
function segment(name: string, users: number, views = 1): Unit[] {
  return Array.from({ length: users }, (_, u) => ({
    key: name,
    openid: `${name}-u${u}`,
    impressions: views,
    clicks: 1,
  }));
}

/** What an attacker derives for the hidden rows: the total (the daily report) less the rows shown. */
function derived(events: Unit[], minUsers = K_ANONYMITY): number {
  const shown = breakdown('segment', events, minUsers).rows;
  const total = events.reduce((s, e) => s + e.impressions, 0);
  return total - shown.reduce((s, r) => s + r.viewableImpressions, 0);
}

describe('report breakdown', () => {
  it('hides a second row with a lone small one, so the total less the shown rows is no segment', () => {
    // 30 users (2 views each), 12 users (3 each), 4 users (5 each: the small one, 20 impressions).
    const events = [...segment('a', 30, 2), ...segment('b', 12, 3), ...segment('c', 4, 5)];
    const b = breakdown('segment', events);
    expect(b.rows.map((r) => r.key)).toEqual(['a']);
    expect(b.suppressedRows).toBe(2);
    // Without complementary suppression the attack gave segment c's 20 exactly.
    expect(derived(events)).toBe(36 + 20);
    expect(JSON.stringify(b)).not.toContain('"b"');
  });

  it('hides more rows until the hidden ones hold at least k users together', () => {
    // Two small rows of 2 and 3 users: their sum would still single out 5 people.
    const events = [
      ...segment('a', 30),
      ...segment('b', 25),
      ...segment('c', 11),
      ...segment('d', 2),
      ...segment('e', 3),
    ];
    const b = breakdown('segment', events);
    expect(b.rows.map((r) => r.key)).toEqual(['a', 'b']);
    expect(b.suppressedRows).toBe(3);
    expect(derived(events)).toBe(11 + 2 + 3);
  });

  it('hides nothing more when no row is small, and everything when too few users to hide among', () => {
    const big = [...segment('a', 10), ...segment('b', 10)];
    expect(breakdown('segment', big).suppressedRows).toBe(0);
    const few = [...segment('a', 10), ...segment('b', 3)];
    const b = breakdown('segment', few);
    expect(b.rows).toEqual([]);
    expect(b.suppressedRows).toBe(2);
  });
});

describe('clickedThrough', () => {
  const T = Date.UTC(2026, 11, 6, 2, 0, 0);
  const slate = { openid: 'u1', servedAt: T, cards: [{ position: 3, adId: 'camp-1' }] };
  const order = {
    orderId: 'o',
    openid: 'u1',
    paidAt: T + 3_600_000,
    totalFen: 100,
    slateId: 's',
    position: 3,
  };

  it('credits an order paid within 24 h of its slate, by its buyer, at the position the ad held', () => {
    expect(clickedThrough(order, 'camp-1', slate)).toBe(true);
    expect(clickedThrough({ ...order, paidAt: T + 24 * 3_600_000 }, 'camp-1', slate)).toBe(true);
    expect(clickedThrough({ ...order, paidAt: T + 24 * 3_600_000 + 1 }, 'camp-1', slate)).toBe(
      false,
    );
    expect(clickedThrough({ ...order, paidAt: T - 1 }, 'camp-1', slate)).toBe(false);
    expect(clickedThrough({ ...order, openid: 'u2' }, 'camp-1', slate)).toBe(false);
    expect(clickedThrough({ ...order, position: 4 }, 'camp-1', slate)).toBe(false);
    expect(clickedThrough(order, 'camp-2', slate)).toBe(false);
    expect(clickedThrough(order, 'camp-1', undefined)).toBe(false);
    const { position: _p, ...noPosition } = order;
    expect(clickedThrough(noPosition, 'camp-1', slate)).toBe(false);
  });
});

describe('daily report refunds', () => {
  // CST days: 20261201 starts at 2026-11-30 16:00 UTC.
  const D1 = Date.UTC(2026, 10, 30, 16) + 3_600_000;
  const DAY = 86_400_000;
  const none = () => ({ clicks: 0, spentFen: 0, won: 0, invalidClicks: 0 });
  const paid = (orderId: string, paidAt: number, totalFen: number, refund?: [number, number]) => ({
    orderId,
    openid: `u-${orderId}`,
    paidAt,
    totalFen,
    ...(refund ? { refundedAt: refund[0], refundFen: refund[1] } : {}),
  });

  it('shows every refund confirmed on a day of the range, also of an order paid before it; net stays on the paid day', () => {
    const rows = dailyReport(
      ['20261202', '20261203'],
      none,
      [],
      [
        // Paid before the range, refunded on its first day: the refund shows, its payment does not.
        paid('before', D1, 1_000, [D1 + DAY, 400]),
        // Paid on the first day, refunded in full on the second (net taken off the first day).
        paid('in', D1 + DAY, 2_000, [D1 + 2 * DAY, 2_000]),
        // The same order read twice (paid in range and refunded in range): counted once.
        paid('in', D1 + DAY, 2_000, [D1 + 2 * DAY, 2_000]),
        // A refund asked above the order's amount is counted at the amount, as the net is.
        paid('over', D1 + 2 * DAY, 500, [D1 + 2 * DAY, 900]),
      ],
    );
    expect(rows.map((r) => [r.day, r.orders, r.paidFen, r.refunds, r.refundedFen])).toEqual([
      ['20261202', 1, 2_000, 1, 400],
      ['20261203', 1, 500, 2, 2_500],
    ]);
    expect(rows.map((r) => [r.netOrders, r.netPaidFen])).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });
});
