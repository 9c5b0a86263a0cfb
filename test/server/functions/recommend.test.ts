/** The first `recommend`: published items newest first per channel, paged by a keyset cursor. */
import recommend from '../../../server/functions/recommend';
import { toHandler } from '../../../server/runtime/function';
import { makeItem } from '../../contract/stores-contract';
import { testDeps, type TestDeps } from '../../helpers/deps';
import { openTempSqliteStores, type OpenedStores } from '../../helpers/sqlite-stores';

const handler = toHandler(recommend);

describe('recommend', () => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const call = (payload: unknown) => handler({ payload, openid: 'user-a' }, deps);

  beforeEach(async () => {
    opened = await openTempSqliteStores();
    deps = testDeps(opened.stores);
    const t = 1_700_000_000_000;
    await opened.stores.catalog.upsert(
      Array.from({ length: 25 }, (_, i) =>
        makeItem(`it-${String(i).padStart(2, '0')}`, {
          publishedAt: t + Math.floor(i / 2) * 1000, // pairs share a timestamp: ties broken by id
          category: i % 5 === 0 ? '旅行' : '美食',
          status: i === 24 ? 'unpublished' : 'published',
        }),
      ),
    );
  });
  afterEach(() => opened.cleanup());

  it('pages through every published item once, newest first, with continuing positions', async () => {
    const seen: string[] = [];
    const positions: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await call({ limit: 7, ...(cursor ? { cursor } : {}) });
      if (!res.ok) throw new Error(res.message);
      seen.push(...res.data.cards.map((c) => c.item.id));
      positions.push(...res.data.cards.map((c) => c.position));
      if (res.data.cursor === null) break;
      cursor = res.data.cursor;
    }
    expect(seen).toHaveLength(24);
    expect(new Set(seen).size).toBe(24);
    expect(seen).not.toContain('it-24');
    expect(seen.slice(0, 3)).toEqual(['it-23', 'it-22', 'it-21']);
    expect(positions).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('filters by channel and keeps the cursor bound to its channel', async () => {
    const res = await call({ channel: '旅行', limit: 2 });
    if (!res.ok) throw new Error(res.message);
    expect(res.data.cards.map((c) => c.item.id)).toEqual(['it-20', 'it-15']);
    expect(res.data.cards[0]).toMatchObject({ kind: 'content', item: { category: '旅行' } });
    const other = await call({ channel: '美食', cursor: res.data.cursor });
    expect(other).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringContaining('cursor') });
  });

  it('answers bad input with INVALID_INPUT', async () => {
    for (const bad of [{ limit: 0 }, { limit: 51 }, { limit: '5' }, { cursor: 'garbage' }, { channel: '' }, { surprise: 1 }]) {
      expect(await call(bad)).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    }
    expect(await handler({ payload: [], openid: 'user-a' }, deps)).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
  });

  it('answers an empty catalog with an empty last page', async () => {
    const empty = await openTempSqliteStores();
    const res = await handler({ payload: {}, openid: 'u' }, testDeps(empty.stores));
    await empty.cleanup();
    expect(res).toMatchObject({ ok: true, data: { cards: [], cursor: null } });
  });

  it('logs every served slate: id, user, time, scene, and each card with position, item, score and propensity', async () => {
    const first = await call({ limit: 3, scene: 1089 });
    if (!first.ok) throw new Error(first.message);
    const next = await call({ limit: 2, cursor: first.data.cursor });
    if (!next.ok) throw new Error(next.message);
    const [a, b] = await Promise.all([first, next].map(async (r) => (r.ok ? (await opened.stores.slates.get([r.data.slateId]))[0] : null)));
    expect(a).toEqual({
      slateId: first.data.slateId,
      openid: 'user-a',
      servedAt: deps.now(),
      modelVersion: null,
      variant: null,
      personalised: true,
      scene: 1089,
      cards: first.data.cards.map((c) => ({ position: c.position, itemId: c.item.id, score: null, propensity: 1 })),
    });
    expect(b?.cards.map((c) => c.position)).toEqual([3, 4]);
    expect(b?.scene).toBeNull();
    expect(next.data.slateId).not.toBe(first.data.slateId);
  });
});
