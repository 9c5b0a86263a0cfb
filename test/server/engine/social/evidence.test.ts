/** Ties from behaviour: decay and the documented noise rules of server/engine/social/evidence.ts. */
import type { StoredEvent } from '../../../../server/engine/records';
import { DAY_MS, HOUR_MS } from '../../../../server/engine/profiles/decay';
import {
  absorb,
  DEFAULT_EVIDENCE_PARAMS as P,
  deriveEdges,
  emptyEvidence,
  forgetUser,
  groupEdges,
  prune,
} from '../../../../server/engine/social/evidence';

const T = 1_800_000_000_000;
let n = 0;
function ev(
  openid: string,
  type: StoredEvent['type'],
  at: number,
  props: StoredEvent['props'] = {},
  itemId?: string,
): StoredEvent {
  n++;
  return {
    openid,
    eventId: `e${n}`,
    type,
    serverTime: at,
    clientTime: at,
    clockSkewed: false,
    sessionId: 's',
    page: 'p',
    props,
    ...(itemId ? { itemId } : {}),
  };
}
const weightOf = (edges: { a: string; b: string; weight: number }[], a: string, b: string) =>
  edges.find((x) => (x.a === a && x.b === b) || (x.a === b && x.b === a))?.weight;

describe('social evidence', () => {
  it('links opener and sharer through the share id, whichever event arrives first', () => {
    const e = absorb(emptyEvidence(), [ev('bob', 'share_open', T, { shareId: 's1' })]);
    absorb(e, [ev('ann', 'share', T - 1000, { shareId: 's1', target: 'chat' })]);
    expect(weightOf(deriveEdges(e, [], T).edges, 'ann', 'bob')).toBeCloseTo(1, 12);
  });

  it('decays a tie by its half-life', () => {
    const e = absorb(emptyEvidence(), [
      ev('ann', 'share', T, { shareId: 's1', target: 'chat' }),
      ev('bob', 'share_open', T, { shareId: 's1' }),
    ]);
    const later = deriveEdges(e, [], T + P.halfLifeDays * DAY_MS).edges;
    expect(weightOf(later, 'ann', 'bob')).toBeCloseTo(0.5, 12);
  });

  it('drops self-loops: opening one’s own share, following oneself', () => {
    const e = absorb(emptyEvidence(), [
      ev('ann', 'share', T, { shareId: 's1', target: 'chat' }),
      ev('ann', 'share_open', T, { shareId: 's1' }),
    ]);
    const d = deriveEdges(e, [{ follower: 'ann', followee: 'ann', at: T }], T);
    expect(d.edges).toEqual([]);
    expect(d.dropped.selfLoops).toBe(2);
  });

  it('drops every open of a user who opens faster than a person reads (bot rule)', () => {
    const events = [ev('ann', 'share', T, { shareId: 's1', target: 'chat' })];
    for (let i = 0; i <= P.botOpensPerHour; i++) {
      events.push(ev('bot', 'share', T, { shareId: `b${i}`, target: 'chat' }));
      events.push(ev('bot', 'share_open', T + i, { shareId: i === 0 ? 's1' : `x${i}` }));
    }
    events.push(ev('bob', 'share_open', T, { shareId: 's1' }));
    const e = absorb(emptyEvidence(), events);
    const d = deriveEdges(e, [], T + HOUR_MS);
    expect(weightOf(d.edges, 'ann', 'bot')).toBeUndefined();
    expect(weightOf(d.edges, 'ann', 'bob')).toBeGreaterThan(0);
    expect(d.dropped.bots).toBe(1);
    // Exactly at the limit is still a person.
    const human = [ev('ann', 'share', T, { shareId: 'h', target: 'chat' })];
    for (let i = 0; i < P.botOpensPerHour; i++)
      human.push(ev('fast', 'share_open', T + i, { shareId: i === 0 ? 'h' : `y${i}` }));
    expect(
      weightOf(deriveEdges(absorb(emptyEvidence(), human), [], T).edges, 'ann', 'fast'),
    ).toBeGreaterThan(0);
  });

  it('drops one-off opens of a mass-forwarded share and down-weights repeated ones', () => {
    const events = [ev('star', 'share', T, { shareId: 'm', target: 'timeline' })];
    for (let i = 0; i <= P.massOpeners; i++)
      events.push(ev(`o${i}`, 'share_open', T, { shareId: 'm' }));
    events.push(ev('o0', 'share_open', T, { shareId: 'm' }));
    const e = absorb(emptyEvidence(), events);
    const d = deriveEdges(e, [{ follower: 'o1', followee: 'star', at: T }], T);
    expect(weightOf(d.edges, 'o2', 'star')).toBeUndefined();
    expect(weightOf(d.edges, 'o0', 'star')).toBeCloseTo(P.massWeight, 12);
    // A follow stands beside o1's one open: both count.
    expect(weightOf(d.edges, 'o1', 'star')).toBeCloseTo(P.followWeight + P.massWeight, 12);
    expect(d.dropped.massOneOff).toBe(P.massOpeners - 1);
  });

  it('makes a weak tie from commenting on the same item, not on a hit', () => {
    const events = [ev('ann', 'comment', T, {}, 'i1'), ev('bob', 'comment', T, {}, 'i1')];
    for (let i = 0; i <= P.coMaxCommenters; i++) events.push(ev(`c${i}`, 'comment', T, {}, 'hit'));
    const d = deriveEdges(absorb(emptyEvidence(), events), [], T);
    expect(weightOf(d.edges, 'ann', 'bob')).toBeCloseTo(P.coWeight, 12);
    expect(d.edges).toHaveLength(1);
  });

  it('records group membership from shares to a group and opens of them', () => {
    const e = absorb(emptyEvidence(), [
      ev('ann', 'share', T, { shareId: 'g1', target: 'group', groupId: 'G' }),
      ev('bob', 'share_open', T, { shareId: 'g1' }),
    ]);
    const m = deriveEdges(e, [], T)
      .memberships.map((x) => `${x.a}>${x.b}`)
      .sort();
    expect(m).toEqual(['ann>G', 'bob>G']);
  });

  it('makes group edges from stored memberships: the member, the sharer of the opened share, decayed; no bots, nothing too old', () => {
    const e = absorb(emptyEvidence(), [
      ev('ann', 'share', T, { shareId: 's1', target: 'chat' }),
      ev('bot', 'share', T, { shareId: 's2', target: 'chat' }),
    ]);
    e.bots.bot = T;
    const half = T - P.halfLifeDays * DAY_MS;
    const edges = groupEdges(
      e,
      [
        { openid: 'bob', group: 'G', at: T, shareId: 's1' },
        { openid: 'cid', group: 'G', at: half, shareId: 's1' },
        // Opening one's own share in a group: one membership, not two.
        { openid: 'ann', group: 'H', at: T, shareId: 's1' },
        { openid: 'dan', group: 'G', at: T, shareId: 'unknown-share' },
        { openid: 'eve', group: 'G', at: T, shareId: 's2' },
        { openid: 'bot', group: 'G', at: T, shareId: null },
        { openid: 'old', group: 'G', at: T - (P.keepDays + 1) * DAY_MS, shareId: null },
      ],
      T,
    );
    const w = Object.fromEntries(edges.map((x) => [`${x.a}>${x.b}`, x.weight]));
    expect(Object.keys(w).sort()).toEqual(['ann>G', 'ann>H', 'bob>G', 'cid>G', 'dan>G', 'eve>G']);
    expect(w['bob>G']).toBeCloseTo(1, 12);
    expect(w['cid>G']).toBeCloseTo(0.5, 12);
    // ann shared s1, opened in G by bob (1) and cid (0.5).
    expect(w['ann>G']).toBeCloseTo(1.5, 12);
    expect(w['ann>H']).toBeCloseTo(1, 12);
  });

  it('forgets a user entirely on erasure and old evidence on prune', () => {
    const e = absorb(emptyEvidence(), [
      ev('ann', 'share', T, { shareId: 's1', target: 'chat' }),
      ev('bob', 'share_open', T, { shareId: 's1' }),
      ev('bob', 'comment', T, {}, 'i1'),
      ev('cid', 'comment', T, {}, 'i1'),
    ]);
    forgetUser(e, 'bob');
    expect(JSON.stringify(e)).not.toContain('bob');
    expect(deriveEdges(e, [], T).edges).toEqual([]);
    const old = absorb(emptyEvidence(), [
      ev('ann', 'share', T, { shareId: 's1', target: 'chat' }),
      ev('bob', 'share_open', T, { shareId: 's1' }),
    ]);
    prune(old, T + (P.keepDays + 1) * DAY_MS);
    expect(old).toEqual(emptyEvidence());
  });

  it('makes topic ties of opens of a topic item share, under the same noise rules', () => {
    const topicOf = (item: string) => (item.startsWith('trip') ? 'travel' : null);
    const e = absorb(
      emptyEvidence(),
      [
        ev('ann', 'share', T, { shareId: 's1', target: 'chat' }, 'trip-1'),
        ev('bob', 'share_open', T + 1, { shareId: 's1' }),
        ev('ann', 'share', T, { shareId: 's2', target: 'chat' }, 'food-1'),
        ev('cid', 'share_open', T + 1, { shareId: 's2' }),
        ev('ann', 'share_open', T + 1, { shareId: 's1' }),
      ],
      P,
      topicOf,
    );
    const d = deriveEdges(e, [], T + 1);
    expect(d.topics).toEqual([{ a: 'ann', b: 'bob', topic: 'travel', weight: expect.any(Number) }]);
    expect(d.topics[0].weight).toBeCloseTo(weightOf(d.edges, 'ann', 'bob')!, 12);
    // An opener caught as a bot makes no tie of either kind.
    e.bots.bob = T;
    expect(deriveEdges(e, [], T + 1).topics).toEqual([]);
    // Without a topic lookup a share has no topic.
    const plain = absorb(emptyEvidence(), [
      ev('ann', 'share', T, { shareId: 's3', target: 'chat' }, 'trip-2'),
      ev('bob', 'share_open', T + 1, { shareId: 's3' }),
    ]);
    expect(deriveEdges(plain, [], T + 1).topics).toEqual([]);
  });
});
