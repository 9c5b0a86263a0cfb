/** User profiles (decay, signal weights, top tags) and item neighbours (co-engagement, window, top-k). */
import { EngagementAggregator } from '../../../server/engine/profiles/aggregate';
import { DAY_MS } from '../../../server/engine/profiles/decay';
import { NeighbourBuilder, topNeighbours } from '../../../server/engine/profiles/neighbours';
import {
  applySignal,
  DEFAULT_PROFILE_PARAMS,
  emptyProfile,
  topInterests,
} from '../../../server/engine/profiles/profile';
import type { StoredEvent } from '../../../server/ports';

const T = 1_700_000_000_000;
const HL = DEFAULT_PROFILE_PARAMS.halfLifeMs;
const food = { category: '美食', tags: ['火锅', '川菜'] };
const trip = { category: '旅行', tags: ['海岛'] };

describe('user profiles', () => {
  it('weights signals differently: a payment counts 8 clicks, tags share the category weight', () => {
    const p = emptyProfile('u', T);
    applySignal(p, 'click', T, food, 'i1', undefined);
    applySignal(p, 'pay', T, trip, 'i2', undefined);
    expect(topInterests(p, 10, T)).toEqual([
      { tag: 'cat:旅行', score: 8 },
      { tag: 'tag:海岛', score: 8 },
      { tag: 'cat:美食', score: 1 },
      { tag: 'tag:川菜', score: 0.5 },
      { tag: 'tag:火锅', score: 0.5 },
    ]);
    expect(p.counts).toEqual({ click: 1, pay: 1 });
    expect(p.recent.map((r) => r.itemId)).toEqual(['i2', 'i1']);
  });

  it('decays by half-life, for new events and late ones alike', () => {
    const p = emptyProfile('u', T);
    applySignal(p, 'like', T, food, 'i1', undefined); // 3
    expect(topInterests(p, 1, T + HL)[0].score).toBeCloseTo(1.5, 10);
    applySignal(p, 'click', T + 2 * HL, food, 'i2', undefined); // 3/4 + 1
    expect(p.interests['cat:美食']).toBeCloseTo(1.75, 10);
    applySignal(p, 'click', T, food, 'i3', undefined); // late: 1/4 of a click
    expect(p.interests['cat:美食']).toBeCloseTo(2, 10);
    expect(p.updatedAt).toBe(T + 2 * HL);
  });

  it('scales dwell by length (capped), lets hides erase interest without going negative', () => {
    const p = emptyProfile('u', T);
    applySignal(p, 'dwell', T, food, 'i1', 15_000);
    expect(p.interests['cat:美食']).toBeCloseTo(0.5, 10);
    applySignal(p, 'dwell', T, trip, 'i2', 3_600_000);
    expect(p.interests['cat:旅行']).toBeCloseTo(3, 10);
    applySignal(p, 'hide', T, food, 'i1', undefined);
    expect(p.interests['cat:美食']).toBeUndefined();
    expect(p.recent).toEqual([]); // dwell and hide are not engagement for neighbours
  });

  it('aggregates an event stream, skipping malformed events and types that carry no interest', () => {
    const agg = new EngagementAggregator();
    const e = (type: string, at: number, over: Partial<StoredEvent> = {}): StoredEvent => ({
      openid: 'u',
      eventId: String(at),
      type: type as StoredEvent['type'],
      serverTime: at,
      clientTime: at,
      clockSkewed: false,
      sessionId: 's',
      page: 'p',
      itemId: 'i1',
      props: {},
      ...over,
    });
    agg.loadProfiles([{ ...emptyProfile('u', T), interests: { 'cat:旅行': 2 } }]);
    agg.apply(
      [
        e('click', T),
        e('dwell', T + 1, { props: { dwellMs: -5 } }),
        e('click', Number.NaN),
        e('search', T + 2),
        e('click', T + 3, { openid: '' }),
      ],
      new Map([['i1', food]]),
    );
    expect(agg.stats).toEqual({ applied: 1, ignored: 1, invalid: 3 });
    const [p] = agg.changedProfiles();
    expect(Object.keys(p.interests).sort()).toEqual([
      'cat:旅行',
      'cat:美食',
      'tag:川菜',
      'tag:火锅',
    ]);
  });
});

describe('item neighbours', () => {
  it('pairs items engaged by one user within a day, symmetrically, and ranks by shrunk cosine', () => {
    const b = new NeighbourBuilder();
    // i1 and i2 co-engaged 3 times; i1 and i3 once; i4 more than a day apart from i1.
    for (let k = 0; k < 3; k++) {
      b.engage('i1', T + k, []);
      b.engage('i2', T + k, [{ itemId: 'i1', at: T + k }]);
    }
    b.engage('i3', T + 10, [{ itemId: 'i1', at: T }]);
    b.engage('i4', T + 2 * DAY_MS, [{ itemId: 'i1', at: T }]);
    const lists = new Map(b.lists().map((l) => [l.itemId, l]));
    expect(topNeighbours(lists.get('i1')!, 5).map((x) => x.itemId)).toEqual(['i2', 'i3']);
    expect(topNeighbours(lists.get('i2')!, 5).map((x) => x.itemId)).toEqual(['i1']);
    expect(lists.get('i4')!.neighbours).toEqual([]);
    const i1 = lists.get('i1')!;
    expect(i1.neighbours[0].co).toBeCloseTo(3, 3);
    expect(i1.neighbours[0].score).toBeCloseTo(
      3 / Math.sqrt((i1.mass + 1) * (lists.get('i2')!.mass + 1)),
      6,
    );
    expect(topNeighbours(i1, 1)).toHaveLength(1);
  });

  it('decays co-counts, continues from stored lists, and keeps at most `keep` candidates', () => {
    const b = new NeighbourBuilder({ halfLifeMs: DAY_MS, coWindowMs: DAY_MS, shrink: 1, keep: 2 });
    b.load([
      { itemId: 'a', updatedAt: T, mass: 4, neighbours: [{ itemId: 'x', co: 4, score: 0.5 }] },
    ]);
    b.engage('a', T + DAY_MS, [
      { itemId: 'b', at: T + DAY_MS },
      { itemId: 'c', at: T + DAY_MS },
    ]);
    const a = b.lists().find((l) => l.itemId === 'a')!;
    expect(a.mass).toBeCloseTo(3, 10); // 4 halved + 1
    expect(a.neighbours).toHaveLength(2);
    expect(a.neighbours.find((n) => n.itemId === 'x')?.co).toBeCloseTo(2, 10);
  });
});
