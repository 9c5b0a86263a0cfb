/**
 * `content` search on both adapters: matches in titles, tags and bodies through jieba words and
 * BM25, best first; unpublished items never; the caller's interests re-order matches only when
 * their feed is personalised (consent and the switch); the index follows catalog changes;
 * malformed queries are refused.
 */
import type { ApiResult, ContentItem, ContentResponse } from '../../../typings';
import account from '../../../server/functions/account';
import content from '../../../server/functions/content';
import { toHandler } from '../../../server/runtime/function';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const contentH = toHandler(content);
const accountH = toHandler(account);
const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
const ME = 'searcher-1a2b3c';

const item = (id: string, over: Partial<ContentItem> = {}): ContentItem => ({
  id,
  title: `标题 ${id}`,
  summary: '',
  category: '美食',
  tags: [],
  cover: '',
  authorId: 'a-1',
  publishedAt: NOW - 3_600_000,
  status: 'published',
  ...over,
});

type Search = Extract<ContentResponse, { action: 'search' }>;

describe.each(bothAdapters)('content search on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const search = async (query: string, openid = ME): Promise<Search> => {
    const res = await contentH({ payload: { action: 'search', query }, openid }, deps);
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
    return res.data as Search;
  };
  const ids = async (query: string, openid = ME) =>
    (await search(query, openid)).items.map((i) => i.id);
  const accountCall = async (payload: object) => {
    const res = (await accountH({ payload, openid: ME }, deps)) as ApiResult<unknown>;
    if (!res.ok) throw new Error(res.message);
  };

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    await opened.stores.catalog.upsert([
      item('hotpot', { title: '成都火锅推荐', tags: ['火锅', '成都'] }),
      item('hotpot-home', { title: '在家做一锅好汤', tags: ['家常菜'], category: '美食' }),
      item('hotpot-trip', {
        title: '重庆三日游',
        tags: ['旅行', '火锅'],
        category: '旅行',
      }),
      item('phone', { title: '新手机上手体验', tags: ['数码'], category: '科技' }),
      item('gone', { title: '火锅店关门了', status: 'unpublished' }),
    ]);
    await opened.stores.catalog.putBodies([
      { itemId: 'hotpot-home', body: '## 做法\n\n牛油**火锅**底料炒香，加水煮开。' },
    ]);
  });
  afterEach(() => opened.cleanup());

  it('finds items by title, tags and body words, best first, never an unpublished one', async () => {
    const found = await ids('火锅');
    expect(found[0]).toBe('hotpot');
    expect(new Set(found)).toEqual(new Set(['hotpot', 'hotpot-home', 'hotpot-trip']));
    expect(await ids('手机')).toEqual(['phone']);
    expect(await ids('底料')).toEqual(['hotpot-home']);
    expect(await ids('量子计算')).toEqual([]);
    const res = await search('火锅');
    expect(res.personalised).toBe(false);
    expect(res.items[0]).toEqual({
      id: 'hotpot',
      title: '成都火锅推荐',
      summary: '',
      category: '美食',
      tags: ['火锅', '成都'],
      cover: '',
      publishedAt: NOW - 3_600_000,
    });
  });

  it("re-orders matches by the caller's interests only while their feed is personalised", async () => {
    await opened.stores.catalog.upsert([
      item('street', { title: '成都三日吃', tags: ['小吃'], category: '美食' }),
    ]);
    const likes = (category: string) =>
      opened.stores.profiles.put([
        {
          openid: ME,
          updatedAt: NOW,
          interests: { [`cat:${category}`]: 5 },
          counts: {},
          recent: [],
          lastActiveAt: NOW,
        },
      ]);
    await likes('旅行');
    const plain = await ids('三日');
    expect(new Set(plain)).toEqual(new Set(['hotpot-trip', 'street']));
    await accountCall({ action: 'consent.set', noticeVersion: '2026-11', granted: true });
    const mine = await search('三日');
    expect(mine.personalised).toBe(true);
    expect(mine.items.map((i) => i.id)).toEqual(['hotpot-trip', 'street']);
    await likes('美食');
    deps.setNow(NOW + 1);
    expect(await ids('三日')).toEqual(['street', 'hotpot-trip']);
    await accountCall({ action: 'personalization.set', enabled: false });
    expect(await search('三日')).toMatchObject({ personalised: false });
    expect(await ids('三日')).toEqual(plain);
  });

  it('follows catalog changes once the revision check comes round', async () => {
    expect(await ids('露营')).toEqual([]);
    await opened.stores.catalog.upsert([item('camp', { title: '周末露营装备清单' })]);
    deps.setNow(NOW + 31_000);
    expect(await ids('露营')).toEqual(['camp']);
  });

  it('refuses an empty, blank or overlong query', async () => {
    for (const query of ['', '   ', '火'.repeat(51)]) {
      const res = await contentH({ payload: { action: 'search', query }, openid: ME }, deps);
      expect(res).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    }
  });
});
