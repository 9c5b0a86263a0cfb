/**
 * Travel-interest ties read (旅游出行, issue 19), through `recommend` on both adapters: under
 * SCENE=travel what the user's travel-interest ties liked is a candidate source, so a friend's
 * travel favourite the feed would otherwise rank last reaches the first page; the tie counts only
 * while the friend consented and did not hide; nothing is read for a viewer who is not
 * personalised, nor in the general scene (its feed is unchanged).
 */
import type { FeedCard, RecommendResponse } from '../../../typings';
import type { AppSceneName } from '../../../typings';
import content from '../../../server/functions/content';
import recommend from '../../../server/functions/recommend';
import { toHandler } from '../../../server/runtime/function';
import { accountCalls } from '../../helpers/account-calls';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import { makeItem } from '../../helpers/fixtures';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const recommendH = toHandler(recommend);
const contentH = toHandler(content);
const NOW = Date.UTC(2026, 11, 6, 2, 0, 0);
const FEATURES = {
  degree: 1,
  activity: 1,
  influence: 1,
  clustering: 0,
  community: null,
  sharedInterest: 0,
};
const ids = (cards: FeedCard[]): string[] =>
  cards.flatMap((c) => (c.kind === 'content' ? [c.item.id] : []));

describe.each(bothAdapters)('recommend with travel-interest ties on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const { ok, consent } = accountCalls(() => deps, 'ann');
  const feed = async (scene: AppSceneName, openid = 'ann'): Promise<string[]> => {
    deps.config = { ...deps.config, scene };
    deps.setNow(deps.now() + 1000);
    const res = await recommendH({ payload: { limit: 5 }, openid }, deps);
    if (!res.ok) throw new Error(res.message);
    return ids((res.data as RecommendResponse).cards);
  };

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    for (const u of ['ann', 'bob', 'zed']) await consent(true, u);
    // 40 travel items an hour apart; trip-00 is the oldest, so fresh and popular rank it last.
    await opened.stores.catalog.upsert(
      Array.from({ length: 40 }, (_, i) =>
        makeItem(`trip-${String(i).padStart(2, '0')}`, {
          category: '旅行',
          tags: ['攻略'],
          publishedAt: NOW - 10 * 86_400_000 + i * 3_600_000,
        }),
      ),
    );
    // ann's travel-interest tie with bob, as train's social step writes it; bob likes trip-00.
    await opened.stores.social.putRecord({ openid: 'ann', features: FEATURES, updatedAt: NOW }, [
      { kind: 'travel', other: 'bob', weight: 2 },
    ]);
    await opened.stores.social.putRecord({ openid: 'bob', features: FEATURES, updatedAt: NOW }, []);
    await opened.stores.likes.apply([{ openid: 'bob', itemId: 'trip-00', liked: true, at: NOW }]);
  });
  afterEach(() => opened.cleanup());

  it('brings what a travel-interest tie liked to the first page in the travel scene only', async () => {
    expect(await feed('travel')).toContain('trip-00');
    // Someone without the tie, and ann in the general scene: the oldest of 40 is not on the page.
    expect(await feed('travel', 'zed')).not.toContain('trip-00');
    expect(await feed('general')).not.toContain('trip-00');
  });

  it('reads no travel tie in the general scene nor for a viewer who is not personalised', async () => {
    const links = jest.spyOn(opened.stores.social, 'links');
    await feed('general');
    expect(links.mock.calls.filter((c) => c[1] === 'travel')).toEqual([]);
    await ok({ action: 'personalization.set', enabled: false });
    expect(await feed('travel')).not.toContain('trip-00');
    expect(links.mock.calls.filter((c) => c[1] === 'travel')).toEqual([]);
  });

  it('stops counting a friend who hides or withdraws consent', async () => {
    const hide = await contentH(
      { payload: { action: 'social.hide', hidden: true }, openid: 'bob' },
      deps,
    );
    expect(hide.ok).toBe(true);
    expect(await feed('travel')).not.toContain('trip-00');
    await contentH({ payload: { action: 'social.hide', hidden: false }, openid: 'bob' }, deps);
    expect(await feed('travel')).toContain('trip-00');
    await consent(false, 'bob');
    deps.setNow(deps.now() + 10_000);
    expect(await feed('travel')).not.toContain('trip-00');
  });
});
