/**
 * The campaign report rollup train builds (issue 14): per-day totals, one row per user and
 * segment (distinct users exactly), no credit for a client's order / pay events (reports take
 * pay-verified orders from the orders store), and the saved state forgetting an erased user.
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
const pay = (type: 'order' | 'pay', openid: string, at: number, orderId: string) =>
  ev(type, openid, at, { props: { orderId, amountFen: 500, merchantId: 'm-1' } });

describe('campaign report rollup', () => {
  const slates = new Map([
    ['s1', slate('s1', 'u1', 1001)],
    ['s2', slate('s2', 'u2', 1089)],
  ]);

  it("counts the day and each user once per segment, and nothing of a client's order / pay events", () => {
    const r = new AdReportRollup();
    r.ingest(
      [
        ev('impression', 'u1', T, { slateId: 's1', position: 3 }),
        ev('impression', 'u1', T + 1, { slateId: 's1', position: 3 }),
        ev('click', 'u1', T + 2, { slateId: 's1', position: 3 }),
        ev('impression', 'u2', T, { slateId: 's2', position: 3 }),
        ev('impression', 'u3', T, { position: 3 }), // slate unknown: scene unknown
        // Anyone can send these: they prove no payment.
        pay('order', 'u1', T + H, 'o-1'),
        pay('pay', 'u1', T + H, 'o-1'),
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
    expect(rows.filter((u) => u.events > 0 || u.paidFen > 0)).toEqual([]);
    expect(
      rows.filter((u) => u.dim !== 'day' && u.dim !== 'position' && u.dim !== 'scene'),
    ).toEqual([]);
  });

  it("forgets an erased user's report rows in the saved state", () => {
    const r = new AdReportRollup();
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
    };
    const { state: after, changed } = forgetUser(state, 'u1', new Set(['s1']));
    expect(changed).toBe(true);
    expect(JSON.stringify(after)).not.toContain('u1');
    expect(after.adReport?.map((u) => u.openid).filter(Boolean)).toEqual(['u2', 'u2']);
  });
});
