/**
 * The search-queries store (热门搜索) on both adapters: a search is noted once per (scene, day,
 * query, user); `top` counts distinct users over the window (a user once, however many days),
 * honours the threshold, the window and the scene, orders by users then query; no row holds the
 * openid; old days are purged in bounded chunks; the hot list round-trips; the user's rows are
 * exported (without the key) and erased through the personal-data port, and nobody else's.
 */
import { bothAdapters } from '../helpers/adapters';
import type { OpenedStores } from '../helpers/sqlite-stores';
import type { Stores } from '../../server/ports';

const SQ = 'search_queries';

describe.each(bothAdapters)('search queries contract: %s', (_name, open) => {
  let opened: OpenedStores;
  let s: Stores;
  beforeEach(async () => {
    opened = await open();
    s = opened.stores;
  });
  afterEach(() => opened.cleanup());

  /** `n` users u0…u(n-1) search `query` on `day` in `scene`. */
  const searchedBy = async (n: number, query: string, day: string, scene = 'general') => {
    for (let i = 0; i < n; i++) await s.searchQueries.record(`u${i}`, scene, day, query);
  };

  it('counts distinct users over the window, from the threshold up, most first', async () => {
    await searchedBy(3, '火锅', '20261201');
    await searchedBy(3, '火锅', '20261202'); // the same three people again: still 3
    await s.searchQueries.record('u0', 'general', '20261202', '火锅'); // a repeat changes nothing
    await searchedBy(4, '咖啡', '20261202');
    await searchedBy(2, '露营', '20261203');
    await s.searchQueries.record('x9', 'general', '20261203', '露营');
    await searchedBy(5, '旧闻', '20261120'); // before the window
    await searchedBy(9, '理财', '20261202', 'finance'); // another scene
    expect(await s.searchQueries.top('general', '20261201', 1, 10)).toEqual([
      { query: '咖啡', users: 4 },
      { query: '火锅', users: 3 },
      { query: '露营', users: 3 },
    ]);
    expect(await s.searchQueries.top('general', '20261201', 4, 10)).toEqual([
      { query: '咖啡', users: 4 },
    ]);
    expect(await s.searchQueries.top('general', '20261201', 3, 2)).toEqual([
      { query: '咖啡', users: 4 },
      { query: '火锅', users: 3 },
    ]);
    expect(await s.searchQueries.top('general', '20261203', 1, 10)).toEqual([
      { query: '露营', users: 3 },
    ]);
    expect(await s.searchQueries.top('finance', '20261101', 1, 10)).toEqual([
      { query: '理财', users: 9 },
    ]);
    expect(await s.searchQueries.top('travel', '20261101', 1, 10)).toEqual([]);
  });

  it('stores a keyed digest, never the openid', async () => {
    await s.searchQueries.record('oPENID_visible_123', 'general', '20261201', '火锅');
    const all = await opened.dumpAll!();
    const rows = Object.entries(all).filter(([name]) => name.includes(SQ));
    expect(rows.flatMap(([, r]) => r)).toHaveLength(1);
    expect(JSON.stringify(all)).not.toContain('oPENID_visible_123');
  });

  it('purges the days before a cutoff, a bounded chunk at a time', async () => {
    await searchedBy(3, '火锅', '20261120');
    await searchedBy(2, '咖啡', '20261125');
    await searchedBy(2, '露营', '20261201');
    expect(await s.searchQueries.purgeBefore('20261201', 4)).toBe(4);
    expect(await s.searchQueries.purgeBefore('20261201', 4)).toBe(1);
    expect(await s.searchQueries.purgeBefore('20261201', 4)).toBe(0);
    expect(await s.searchQueries.top('general', '20260101', 1, 10)).toEqual([
      { query: '露营', users: 2 },
    ]);
  });

  it('keeps one hot list per scene, replaced whole', async () => {
    expect(await s.searchQueries.hot('general')).toBeNull();
    await s.searchQueries.saveHot('general', { queries: ['火锅', '咖啡'], at: 5 });
    await s.searchQueries.saveHot('finance', { queries: ['基金'], at: 6 });
    await s.searchQueries.saveHot('general', { queries: ['露营'], at: 7 });
    expect(await s.searchQueries.hot('general')).toEqual({ queries: ['露营'], at: 7 });
    expect(await s.searchQueries.hot('finance')).toEqual({ queries: ['基金'], at: 6 });
  });

  it("exports the user's own searches without the key, and erases only theirs", async () => {
    expect(s.personal.collections).toContain(SQ);
    await s.searchQueries.record('alice', 'general', '20261201', '火锅');
    await s.searchQueries.record('alice', 'general', '20261202', '咖啡');
    await s.searchQueries.record('bob', 'general', '20261201', '火锅');
    const page = await s.personal.read(SQ, 'alice', null, 10);
    expect(page.records).toHaveLength(2);
    expect(page.records.map((r) => r.query).sort()).toEqual(['咖啡', '火锅']);
    for (const r of page.records) {
      expect(r).toMatchObject({ scene: 'general' });
      expect(
        Object.values(r).filter((v) => typeof v === 'string' && /^[0-9a-f]{32}$/.test(v)),
      ).toEqual([]);
    }
    // Paged like every collection: one at a time reaches both.
    const first = await s.personal.read(SQ, 'alice', null, 1);
    expect(first.records).toHaveLength(1);
    const second = await s.personal.read(SQ, 'alice', first.cursor, 1);
    expect(second.records).toHaveLength(1);
    expect(second.records[0].query).not.toBe(first.records[0].query);

    expect(await s.personal.erase(SQ, 'alice', 500)).toBe(2);
    expect((await s.personal.read(SQ, 'alice', null, 10)).records).toEqual([]);
    expect((await s.personal.read(SQ, 'bob', null, 10)).records).toHaveLength(1);
    expect(await s.searchQueries.top('general', '20261201', 1, 10)).toEqual([
      { query: '火锅', users: 1 },
    ]);
  });
});
