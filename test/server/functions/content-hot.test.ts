/**
 * 热门搜索 through `content` on both adapters: a search is noted only for a user whose data may be
 * kept (consent recorded; not pending, withdrawn or erasing), once per day, and only when the
 * query passes the comment rules (no control characters, WeChat's content-safety check) and looks
 * like no personal detail (WeChat asked once per text per warm instance; a failed check or store
 * never fails the search); `search.hot` answers the rolled-up list (empty, not an error, before
 * one exists) and refuses extra fields; the export carries the user's own searches; erasure
 * removes them and a roll-up after it no longer counts them.
 */
import type { ApiResult, ContentItem, ContentResponse } from '../../../typings';
import account from '../../../server/functions/account';
import content from '../../../server/functions/content';
import { toHandler } from '../../../server/runtime/function';
import { HOT_MIN_USERS, rollUpHotQueries, windowStart } from '../../../server/content/hot-queries';
import { GATE_TTL_MS } from '../../../server/privacy/gate';
import { MODEL_CHECK_MS } from '../../../server/learning/model-versions';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import { personalTraces } from '../../helpers/personal-scan';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const contentH = toHandler(content);
const accountH = toHandler(account);
const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);

const item = (id: string, title: string): ContentItem => ({
  id,
  title,
  summary: '',
  category: '美食',
  tags: [],
  cover: '',
  authorId: 'a-1',
  publishedAt: NOW - 3_600_000,
  status: 'published',
});

describe.each(bothAdapters)('热门搜索 on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const call = async (payload: object, openid: string): Promise<ApiResult<ContentResponse>> =>
    contentH({ payload, openid }, deps);
  const search = async (query: string, openid: string) => {
    const res = await call({ action: 'search', query }, openid);
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
  };
  const acc = async (payload: object, openid: string) => {
    const res = (await accountH({ payload, openid }, deps)) as ApiResult<unknown>;
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
    return res.data as Record<string, unknown>;
  };
  const consent = (openid: string) =>
    acc({ action: 'consent.set', noticeVersion: 'v1', granted: true }, openid);
  const hot = async (): Promise<string[]> => {
    const res = await call({ action: 'search.hot' }, 'reader');
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
    return (res.data as { queries: string[] }).queries;
  };
  /** Distinct users per query in the window, as train's roll-up reads them. */
  const counted = async () =>
    Object.fromEntries(
      (await deps.stores.searchQueries.top('general', windowStart(deps.now()), 1, 50)).map((t) => [
        t.query,
        t.users,
      ]),
    );

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    await opened.stores.catalog.upsert([item('hotpot', '成都火锅推荐')]);
  });
  afterEach(() => opened.cleanup());

  it('answers an empty list, not an error, before any roll-up; refuses extra fields', async () => {
    expect(await hot()).toEqual([]);
    const bad = await call({ action: 'search.hot', limit: 5 }, 'reader');
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((await call({ action: 'search.hot' }, '')) as ApiResult<unknown>).toMatchObject({
      ok: false,
      code: 'UNAUTHENTICATED',
    });
  });

  it('notes a search only with a recorded consent, once per user and day, normalised', async () => {
    await search('火锅', 'pending'); // no consent recorded: nothing noted
    await consent('u1');
    await search('火锅', 'u1');
    await search(' 火锅 ', 'u1');
    await search('ＡＢＣ  咖啡', 'u1'); // full-width letters, double space
    expect(await counted()).toEqual({ 火锅: 1, 'abc 咖啡': 1 });
    // Withdrawn (keeping the history): no longer noted.
    await acc(
      { action: 'consent.set', noticeVersion: 'v1', granted: false, keepHistory: true },
      'u1',
    );
    await search('露营', 'u1');
    expect(await counted()).toEqual({ 火锅: 1, 'abc 咖啡': 1 });
  });

  it('never notes what the comment rules refuse or what looks like a personal detail', async () => {
    await consent('u1');
    for (const q of [
      '138 0013 8000', // a phone number
      '13800138000',
      '订单 2026112812345',
      'me@example.com',
      'www.example.cn',
      '加微信领红包', // WeChat's content-safety check: risky
      '私信我', // held for review: not shown either
      '火\u202e锅', // a direction override
      '一二三四五六七八九十一二三四五六七八九十一', // longer than a chip
    ])
      await search(q, 'u1');
    await search('2026 火锅', 'u1'); // a year is no personal detail
    expect(await counted()).toEqual({ '2026 火锅': 1 });
  });

  it('asks WeChat about a text once per warm instance, whoever searches it', async () => {
    const check = jest.spyOn(deps.stores.contentSafety, 'check');
    for (const u of ['u1', 'u2', 'u3']) {
      await consent(u);
      await search('火锅', u);
    }
    await search('咖啡', 'u1');
    expect(check.mock.calls.map(([text]) => text)).toEqual(['火锅', '咖啡']);
    expect(await counted()).toEqual({ 火锅: 3, 咖啡: 1 });
  });

  it('answers the search when the check or the store fails, noting nothing', async () => {
    await consent('u1');
    jest.spyOn(deps.stores.contentSafety, 'check').mockRejectedValueOnce(new Error('timeout'));
    const res = await call({ action: 'search', query: '火锅' }, 'u1');
    expect(res).toMatchObject({
      ok: true,
      data: { items: [expect.objectContaining({ id: 'hotpot' })] },
    });
    jest.spyOn(deps.stores.searchQueries, 'record').mockRejectedValueOnce(new Error('disk full'));
    expect(await call({ action: 'search', query: '成都' }, 'u1')).toMatchObject({ ok: true });
    expect(await counted()).toEqual({});
    expect(deps.errors).toHaveLength(2);
  });

  it('exports the user’s own searches, and erasure removes them from the counts', async () => {
    for (let i = 0; i < HOT_MIN_USERS; i++) {
      await consent(`u${i}`);
      await search('火锅', `u${i}`);
    }
    await rollUpHotQueries(deps.stores, 'general', deps.now());
    expect(await hot()).toEqual(['火锅']);

    const exported: { collection: string; records: Record<string, unknown>[] }[] = [];
    let cursor: string | undefined;
    do {
      const page = (await acc({ action: 'export.page', ...(cursor ? { cursor } : {}) }, 'u0'))
        .page as { collection: string; records: Record<string, unknown>[]; cursor: string | null };
      exported.push(page);
      cursor = page.cursor ?? undefined;
    } while (cursor);
    const mine = exported
      .filter((p) => p.collection === 'search_queries')
      .flatMap((p) => p.records);
    expect(mine).toEqual([expect.objectContaining({ scene: 'general', query: '火锅' })]);

    await acc({ action: 'erase.start' }, 'u0');
    deps.setNow(deps.now() + GATE_TTL_MS + MODEL_CHECK_MS);
    expect((await acc({ action: 'erase.status' }, 'u0')).erasure).toMatchObject({
      status: 'done',
      deleted: expect.objectContaining({ search_queries: 1 }),
    });
    expect(
      personalTraces(await opened.dumpAll!(), 'u0').filter((t) => t.collection.includes('search')),
    ).toEqual([]);
    expect(await counted()).toEqual({ 火锅: HOT_MIN_USERS - 1 });
    await rollUpHotQueries(deps.stores, 'general', deps.now());
    expect(await hot()).toEqual([]); // below K again
  });
});
