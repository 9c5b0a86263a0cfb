/**
 * Following authors (关注作者) through `content` and the feed's author source, on both adapters:
 * follow the author of an item one reads, see it on the item and in the list, get their items in
 * the feed; unknown items, no consent, malformed input and unfollowing someone not followed write
 * nothing; an author follow is neither a person in 关注 nor an edge of the people graph.
 */
import type { ApiResult, ContentResponse, FeedCard, RecommendResponse } from '../../../typings';
import account from '../../../server/functions/account';
import content from '../../../server/functions/content';
import recommend from '../../../server/functions/recommend';
import { runSocialStep } from '../../../server/learning/social-step';
import { toHandler } from '../../../server/runtime/function';
import { makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const contentH = toHandler(content);
const accountH = toHandler(account);
const recommendH = toHandler(recommend);
const log = { info: () => undefined, error: () => undefined };
const ids = (cards: FeedCard[]): string[] =>
  cards.map((c) => (c.kind === 'content' ? c.item.id : `ad:${c.adId}`));

describe.each(bothAdapters)('following authors on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const call = (payload: object, openid = 'ann'): Promise<ApiResult<ContentResponse>> =>
    contentH({ payload, openid }, deps);
  const ok = async (payload: object, openid = 'ann') => {
    const res = await call(payload, openid);
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
    return res.data;
  };
  const feed = async (openid: string): Promise<RecommendResponse> => {
    const res = await recommendH({ payload: { limit: 5 }, openid }, deps);
    if (!res.ok) throw new Error(res.message);
    return res.data;
  };

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores);
    const now = deps.now();
    for (const u of ['ann', 'zed']) {
      const res = await accountH(
        { payload: { action: 'consent.set', noticeVersion: '2026-11', granted: true }, openid: u },
        deps,
      );
      if (!res.ok) throw new Error(res.message);
    }
    // 40 items an hour apart by author-big; author-1 wrote the three oldest (so fresh ranks them last).
    await opened.stores.catalog.upsert(
      Array.from({ length: 40 }, (_, i) =>
        makeItem(`it-${String(i).padStart(2, '0')}`, {
          publishedAt: now - 10 * 86_400_000 + i * 3_600_000,
          category: ['美食', '旅行', '数码', '家居'][i % 4],
          authorId: i < 3 ? 'author-1' : 'author-big',
        }),
      ),
    );
  });
  afterEach(() => opened.cleanup());

  it('follows an item’s author: shown on the item, listed, and their items come into the feed', async () => {
    expect(await ok({ action: 'item.get', itemId: 'it-01' })).toMatchObject({
      author: { id: 'author-1', name: '作者 author-1', following: false },
    });
    expect(ids((await feed('ann')).cards)).not.toContain('it-02');
    expect(await ok({ action: 'author.follow', itemId: 'it-01' })).toEqual({
      action: 'author.follow',
      author: { id: 'author-1', name: '作者 author-1', following: true },
    });
    expect(await ok({ action: 'item.get', itemId: 'it-00' })).toMatchObject({
      author: { id: 'author-1', following: true },
    });
    expect(await ok({ action: 'author.following' })).toEqual({
      action: 'author.following',
      authors: [{ id: 'author-1', name: '作者 author-1', following: true }],
    });
    // Not a person followed, and not an edge of the people graph.
    expect(await ok({ action: 'social.following' })).toEqual({
      action: 'social.following',
      people: [],
    });
    await runSocialStep(opened.stores, () => deps.now() + 1000, log);
    expect(await opened.stores.social.links('ann', 'tie', 10)).toEqual([]);
    // The feed: author-1's three items, newest first, ahead of 37 fresher ones.
    expect(ids((await feed('ann')).cards).slice(0, 3)).toEqual(['it-02', 'it-01', 'it-00']);
    expect(ids((await feed('zed')).cards)).not.toContain('it-02');
    // Unfollowed: gone from the list and from the feed's first places.
    expect(await ok({ action: 'author.unfollow', authorId: 'author-1' })).toEqual({
      action: 'author.unfollow',
      unfollowed: true,
    });
    expect(await ok({ action: 'author.following' })).toEqual({
      action: 'author.following',
      authors: [],
    });
    expect(ids((await feed('ann')).cards)).not.toContain('it-02');
  });

  it('refuses unknown items, strangers without consent, bad input and unfollows of nobody, writing nothing', async () => {
    expect(await call({ action: 'author.follow', itemId: 'it-99' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await call({ action: 'author.follow', itemId: 'it-01' }, 'stranger')).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    for (const payload of [
      { action: 'author.follow', authorId: 'author-1' },
      { action: 'author.follow', itemId: { $gt: '' } },
      { action: 'author.follow', itemId: 'it-01', extra: 1 },
      { action: 'author.unfollow', authorId: '' },
      { action: 'author.following', limit: 0 },
    ])
      expect(await call(payload)).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(await call({ action: 'author.unfollow', authorId: 'author-1' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(await opened.stores.social.allFollows(null, 10)).toEqual([]);
  });
});
