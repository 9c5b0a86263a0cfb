/** The social step of a train round: incremental, inside its budget, and scrubbed by erasure. */
import { runSocialStep, scrubSocial, SOCIAL_JOB } from '../../../server/learning/social-step';
import { profileView } from '../../../server/privacy/profile-view';
import type { StoredEvent, Stores } from '../../../server/ports';
import { openTempSqliteStores } from '../../helpers/sqlite-stores';
import { makeItem } from '../../helpers/fixtures';

const T = 1_800_000_000_000;
const log = { info: () => undefined, error: () => undefined };
let n = 0;
function ev(
  openid: string,
  type: StoredEvent['type'],
  at: number,
  props: StoredEvent['props'] = {},
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
    page: 'pages/detail/index',
    itemId: 'i1',
    props,
  };
}
/** user shares, each other user opens it. */
const shareOpened = (sharer: string, openers: string[], at: number, id = `${sharer}-${n}`) => [
  ev(sharer, 'share', at, { shareId: id, target: 'chat' }),
  ...openers.map((o) => ev(o, 'share_open', at + 1, { shareId: id })),
];

describe('social step', () => {
  let stores: Stores;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ stores, cleanup } = await openTempSqliteStores());
  });
  afterEach(() => cleanup());

  it('builds ties from shares, opens and follows, writes records with features and suggestions', async () => {
    // A triangle ann–bob–cid, and dan tied to bob and cid only: dan is suggested to ann.
    await stores.events.append([
      ...shareOpened('ann', ['bob', 'cid'], T),
      ...shareOpened('bob', ['cid', 'dan'], T),
      ...shareOpened('cid', ['dan'], T),
      ...shareOpened('ann', ['ann'], T),
    ]);
    await stores.social.follow({ follower: 'eve', followee: 'ann', at: T });
    const r = await runSocialStep(stores, () => T + 10, log);
    expect(r).toMatchObject({ status: 'ok', users: 5, edges: 6, unwritten: 0, more: false });
    expect(r.dropped.selfLoops).toBe(1);
    const ann = await stores.social.record('ann');
    expect(ann?.features.degree).toBe(3);
    expect(ann?.features.clustering).toBeCloseTo(1 / 3, 10);
    // Readable in the profile the account function shows.
    const view = await profileView(stores, 'ann', T + 10);
    expect(view.social).toMatchObject({ degree: 3, clustering: 0.333, updatedAt: T + 10 });
    expect((await profileView(stores, 'nobody', T)).social).toBeUndefined();
    expect((await stores.social.links('ann', 'tie', 10)).map((l) => l.other).sort()).toEqual([
      'bob',
      'cid',
      'eve',
    ]);
    expect((await stores.social.links('ann', 'person', 10)).map((l) => l.other)).toEqual(['dan']);
    expect((await stores.social.links('eve', 'person', 10)).map((l) => l.other).sort()).toEqual([
      'bob',
      'cid',
    ]);
  });

  it('reads only new events on the next round and keeps what it learned before', async () => {
    await stores.events.append(shareOpened('ann', ['bob'], T));
    const first = await runSocialStep(stores, () => T + 10, log);
    expect(first.events).toBe(2);
    await stores.events.append(shareOpened('bob', ['cid'], T + 100));
    const second = await runSocialStep(stores, () => T + 200, log);
    expect(second.events).toBe(2);
    expect(second.edges).toBe(2);
    // The newer tie has decayed less: it comes first.
    expect((await stores.social.links('bob', 'tie', 10)).map((l) => l.other)).toEqual([
      'cid',
      'ann',
    ]);
    expect((await stores.checkpoints.get(SOCIAL_JOB))?.rev).toBe(2);
  });

  it('stops reading at half its budget and says there is more', async () => {
    const events: StoredEvent[] = [];
    for (let i = 0; i < 30; i++) events.push(...shareOpened(`s${i}`, [`o${i}`], T));
    await stores.events.append(events);
    let t = 0;
    const clock = () => (t += 1000); // every look at the clock spends a second
    const r = await runSocialStep(stores, () => T + 10, log, {
      budgetMs: 3000,
      pageSize: 10,
      clock,
    });
    expect(r.status).toBe('ok');
    expect(r.more).toBe(true);
    expect(r.events).toBeLessThan(60);
  });

  it('answers busy while another step holds its lease', async () => {
    await stores.leases.acquire(SOCIAL_JOB, 'other', T, 60_000);
    expect((await runSocialStep(stores, () => T, log)).status).toBe('busy');
  });

  it('erasure removes the user from the evidence and from every record naming them', async () => {
    await stores.events.append([
      ...shareOpened('ann', ['bob', 'cid'], T),
      ...shareOpened('bob', ['cid'], T),
    ]);
    await runSocialStep(stores, () => T + 10, log);
    expect(await scrubSocial(stores, 'bob', 'erasure:test', T + 20)).toBe(true);
    expect(await stores.social.record('bob')).toBeNull();
    expect((await stores.social.links('ann', 'tie', 10)).map((l) => l.other)).toEqual(['cid']);
    // The next round, from the scrubbed evidence, does not bring bob back.
    await runSocialStep(stores, () => T + 30, log);
    expect(await stores.social.record('bob')).toBeNull();
    expect((await stores.social.links('cid', 'tie', 10)).map((l) => l.other)).toEqual(['ann']);
    const blob = await stores.blobs.get(
      (await stores.checkpoints.get(SOCIAL_JOB))?.stateKey as string,
    );
    expect(new TextDecoder().decode(blob as Uint8Array)).not.toContain('bob');
  });

  it('makes a travel-interest tie of a travel item shared and opened, and none of other shares', async () => {
    await stores.catalog.upsert([
      makeItem('trip', { category: '旅行', place: { city: '成都', lat: 30.67, lng: 104.06 } }),
      makeItem('note', { category: '旅行' }),
      makeItem('food', { category: '美食' }),
    ]);
    const shareOf = (sharer: string, item: string, openers: string[], id: string) =>
      shareOpened(sharer, openers, T, id).map((e) => ({ ...e, itemId: item }));
    await stores.events.append([
      ...shareOf('ann', 'trip', ['bob'], 'sh-trip'),
      ...shareOf('cid', 'note', ['ann'], 'sh-note'),
      ...shareOf('dan', 'food', ['ann'], 'sh-food'),
      // A travel share opened by the sharer alone is a self-loop: no tie of any kind.
      ...shareOf('eve', 'trip', ['eve'], 'sh-self'),
    ]);
    await runSocialStep(stores, () => T + 10, log);
    // Every open is a tie; the travel ones (an item with a place, a 旅行 note) are travel-interest ties too.
    expect((await stores.social.links('ann', 'tie', 10)).map((l) => l.other).sort()).toEqual([
      'bob',
      'cid',
      'dan',
    ]);
    expect((await stores.social.links('ann', 'travel', 10)).map((l) => l.other).sort()).toEqual([
      'bob',
      'cid',
    ]);
    expect((await stores.social.links('bob', 'travel', 10)).map((l) => l.other)).toEqual(['ann']);
    expect(await stores.social.links('dan', 'travel', 10)).toEqual([]);
    expect(await stores.social.links('eve', 'travel', 10)).toEqual([]);
    // Erasure removes the travel ties naming the user too.
    expect(await scrubSocial(stores, 'ann', 'eraser', T + 20)).toBe(true);
    expect(await stores.social.links('bob', 'travel', 10)).toEqual([]);
    expect(await stores.social.links('cid', 'travel', 10)).toEqual([]);
  });
});
