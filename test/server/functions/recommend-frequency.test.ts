/** `recommend`: the per-user daily frequency cap holds across the pages of one session before any impression is tracked, on both adapters. */
import type { Campaign, RecommendResponse } from '../../../typings';
import recommend from '../../../server/functions/recommend';
import { toHandler } from '../../../server/runtime/function';
import { makeCampaign, makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const handler = toHandler(recommend);

describe.each(bothAdapters)('recommend frequency cap on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;

  /** Every page of one session (limit 5), as the ad ids each page carried. */
  async function session(openid: string): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | null | undefined;
    do {
      const res = await handler(
        { payload: { limit: 5, ...(cursor ? { cursor } : {}) }, openid },
        deps,
      );
      if (!res.ok) throw new Error(res.message);
      const data: RecommendResponse = res.data;
      pages.push(data.cards.flatMap((c) => (c.kind === 'ad' ? [c.adId] : [])));
      cursor = data.cursor;
    } while (cursor && pages.length < 10);
    return pages;
  }

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores);
    // One ad slot per page of five, and a cap of two a day: pages three and four must go without.
    deps.config = { ...deps.config, adSlots: [2, 8, 14, 20], adFrequencyCap: 2 };
    const now = deps.now();
    await opened.stores.catalog.upsert(
      Array.from({ length: 30 }, (_, i) =>
        makeItem(`it-${i}`, {
          publishedAt: now - 86_400_000 + i,
          category: '美食',
          tags: ['火锅'],
        }),
      ),
    );
    const broad: Campaign = makeCampaign('camp-1', {
      targeting: { interestTags: [], genders: [], ageBands: [], cities: [], scenes: [] },
      startAt: now - 86_400_000,
      endAt: now + 86_400_000,
    });
    await opened.stores.ads.upsertCampaigns([broad]);
  });
  afterEach(() => opened.cleanup());

  it('serves an ad no more often than the cap within one session whose impressions are not tracked yet', async () => {
    const pages = await session('user-a');
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pages.slice(0, 2)).toEqual([['camp-1'], ['camp-1']]);
    expect(pages.slice(2).flat()).toEqual([]);
    // The cap is per user: another user's session gets the ad.
    expect((await session('user-b'))[0]).toEqual(['camp-1']);
  });
});
