/** The report's breakdowns: k-anonymity with complementary suppression, attacked by subtraction. */
import {
  breakdown,
  clickedThrough,
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
