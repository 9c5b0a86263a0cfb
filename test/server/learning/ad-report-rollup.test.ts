/**
 * The campaign report rollup train builds (issue 14): per-day totals, one row per user and
 * segment (distinct users exactly), attribution of orders and payments to a click of the last
 * 24 h carried across runs in the trainer's state, and that state forgetting an erased user.
 */
import { dayBucket } from '../../../server/engine/time';
import { AdReportRollup } from '../../../server/learning/ad-report-rollup';
import { forgetUser, type TrainState } from '../../../server/learning/trainer-state';
import { emptyJoinState } from '../../../server/engine/labels/join';
import type { ServedSlate, StoredEvent } from '../../../server/ports';

const T = Date.UTC(2026, 10, 28, 2, 0, 0);
const H = 3_600_000;
let seq = 0;
const ev = (
  type: StoredEvent['type'],
  openid: string,
  at: number,
  over: Partial<StoredEvent> = {},
): StoredEvent => ({
  openid,
  eventId: `e${++seq}`,
  type,
  serverTime: at,
  clientTime: at,
  clockSkewed: false,
  sessionId: 's',
  page: 'p',
  adId: 'camp-1',
  props: {},
  ...over,
});
const slate = (slateId: string, openid: string, scene: number | null): ServedSlate => ({
  slateId,
  openid,
  servedAt: T,
  modelVersion: null,
  variant: null,
  personalised: true,
  scene,
  cards: [],
});
const pay = (
  type: 'order' | 'pay',
  openid: string,
  at: number,
  orderId: string,
  merchantId = 'm-1',
) => ev(type, openid, at, { props: { orderId, amountFen: 500, merchantId } });

describe('campaign report rollup', () => {
  const slates = new Map([
    ['s1', slate('s1', 'u1', 1001)],
    ['s2', slate('s2', 'u2', 1089)],
  ]);

  it('counts the day, each user once per segment, and attributes within 24 h of a click only', () => {
    const r = new AdReportRollup((id) => (id === 'camp-1' ? 'm-1' : null));
    r.ingest(
      [
        ev('impression', 'u1', T, { slateId: 's1', position: 3 }),
        ev('impression', 'u1', T + 1, { slateId: 's1', position: 3 }),
        ev('click', 'u1', T + 2, { slateId: 's1', position: 3 }),
        ev('impression', 'u2', T, { slateId: 's2', position: 3 }),
        ev('impression', 'u3', T, { position: 3 }), // slate unknown: scene unknown
        pay('order', 'u1', T + H, 'o-1'),
        pay('pay', 'u1', T + H, 'o-1'),
        pay('pay', 'u1', T + H + 5, 'o-1'), // resent: once
        pay('pay', 'u2', T + H, 'o-2'), // never clicked
        pay('pay', 'u1', T + H, 'o-3', 'm-other'), // another merchant
      ],
      slates,
    );
    const rows = r.snapshot();
    const day = dayBucket(T);
    const find = (dim: string, key: string, openid: string) =>
      rows.find((u) => u.dim === dim && u.key === key && u.openid === openid);
    expect(find('day', '', '')).toMatchObject({ impressions: 4, clicks: 1, day });
    expect(find('position', '3', 'u1')).toMatchObject({ impressions: 2, clicks: 1 });
    expect(
      rows
        .filter((u) => u.dim === 'position')
        .map((u) => u.openid)
        .sort(),
    ).toEqual(['u1', 'u2', 'u3']);
    expect(find('scene', 'scene:1001', 'u1')).toMatchObject({ impressions: 2 });
    expect(find('scene', 'scene:1089', 'u2')).toMatchObject({ impressions: 1 });
    expect(find('scene', 'scene:unknown', 'u3')).toMatchObject({ impressions: 1 });
    expect(rows.filter((u) => u.dim === 'order' || u.dim === 'pay')).toEqual([
      expect.objectContaining({ dim: 'order', key: 'o-1', openid: 'u1', events: 1 }),
      expect.objectContaining({ dim: 'pay', key: 'o-1', openid: 'u1', events: 1, paidFen: 500 }),
    ]);

    // The next run remembers the click (trainer state) and attributes an order 20 h later, not one 25 h later.
    const next = new AdReportRollup(() => 'm-1', r.recentClicks(T + 2 * H));
    next.ingest(
      [pay('order', 'u1', T + 20 * H, 'o-4'), pay('order', 'u1', T + 25 * H, 'o-5')],
      slates,
    );
    expect(next.snapshot().map((u) => u.key)).toEqual(['o-4']);
  });

  it("forgets an erased user's report rows and clicks in the saved state", () => {
    const r = new AdReportRollup(() => 'm-1');
    r.ingest(
      [
        ev('click', 'u1', T, { slateId: 's1', position: 3 }),
        ev('click', 'u2', T, { slateId: 's2', position: 3 }),
      ],
      slates,
    );
    const state: TrainState = {
      join: emptyJoinState(),
      engagements: [],
      adReport: r.snapshot(),
      adClicks: r.recentClicks(T),
    };
    const { state: after, changed } = forgetUser(state, 'u1', new Set(['s1']));
    expect(changed).toBe(true);
    expect(JSON.stringify(after)).not.toContain('u1');
    expect(after.adClicks).toEqual([['u2', 'camp-1', T]]);
  });
});
