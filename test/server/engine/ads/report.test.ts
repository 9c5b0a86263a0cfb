/** The report's breakdowns: k-anonymity with complementary suppression, attacked by subtraction. */
import { breakdown, K_ANONYMITY } from '../../../../server/engine/ads/report';
import type { StoredEvent } from '../../../../server/ports';

const event = (type: 'impression' | 'click', openid: string, segment: string): StoredEvent => ({
  openid,
  eventId: `${type}-${openid}-${segment}-${Math.random()}`,
  type,
  serverTime: 0,
  clientTime: 0,
  clockSkewed: false,
  sessionId: 's',
  page: 'p',
  adId: 'c',
  props: { segment },
});

/** `users` users in a segment, each with `views` impressions and one click. */
function segment(name: string, users: number, views = 1): StoredEvent[] {
  return Array.from({ length: users }, (_, u) => [
    ...Array.from({ length: views }, () => event('impression', `${name}-u${u}`, name)),
    event('click', `${name}-u${u}`, name),
  ]).flat();
}

const keyOf = (e: StoredEvent): string => String(e.props.segment);

/** What an attacker derives for the hidden rows: the total (the daily report) less the rows shown. */
function derived(events: StoredEvent[], minUsers = K_ANONYMITY): number {
  const shown = breakdown('segment', events, keyOf, minUsers).rows;
  const total = events.filter((e) => e.type === 'impression').length;
  return total - shown.reduce((s, r) => s + r.viewableImpressions, 0);
}

describe('report breakdown', () => {
  it('hides a second row with a lone small one, so the total less the shown rows is no segment', () => {
    // 30 users (2 views each), 12 users (3 each), 4 users (5 each: the small one, 20 impressions).
    const events = [...segment('a', 30, 2), ...segment('b', 12, 3), ...segment('c', 4, 5)];
    const b = breakdown('segment', events, keyOf);
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
    const b = breakdown('segment', events, keyOf);
    expect(b.rows.map((r) => r.key)).toEqual(['a', 'b']);
    expect(b.suppressedRows).toBe(3);
    expect(derived(events)).toBe(11 + 2 + 3);
  });

  it('hides nothing more when no row is small, and everything when too few users to hide among', () => {
    const big = [...segment('a', 10), ...segment('b', 10)];
    expect(breakdown('segment', big, keyOf).suppressedRows).toBe(0);
    const few = [...segment('a', 10), ...segment('b', 3)];
    const b = breakdown('segment', few, keyOf);
    expect(b.rows).toEqual([]);
    expect(b.suppressedRows).toBe(2);
  });
});
