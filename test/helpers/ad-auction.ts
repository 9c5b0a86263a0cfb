/**
 * The ad auction as the engine tests run it: a campaign open to everyone and running around a
 * given time, and planAds over mature, unpaced campaigns (1,000 impressions, 50 clicks, nothing
 * spent or seen today) at the feed's usual ad slots; and the page of content cards ads are woven into.
 */
import type { Campaign, ContentCard } from '../../typings';
import { DEFAULT_AD_PARAMS } from '../../server/engine/ads/params';
import { planAds, type AdPlan } from '../../server/engine/ads/serve';
import type { Audience } from '../../server/engine/ads/targeting';
import { mulberry32 } from '../../server/engine/models/rng';
import { makeCampaign } from './fixtures';

const DAY = 86_400_000;

/** Active, no targeting, running from a day before `now` to a day after, budgets it will not reach. */
export function broadCampaign(id: string, now: number, over: Partial<Campaign> = {}): Campaign {
  return makeCampaign(id, {
    status: 'active',
    targeting: { interestTags: [], genders: [], ageBands: [], cities: [], scenes: [] },
    startAt: now - DAY,
    endAt: now + DAY,
    hours: [],
    dailyBudgetFen: 1_000_000,
    totalBudgetFen: 10_000_000,
    ...over,
  });
}

/** planAds at slots 3, 10 and 17 for `audience`, each campaign mature and unpaced, seeded draws. */
export function planMatureAds(
  campaigns: Campaign[],
  audience: Audience,
  now: number,
  ctr: (c: Campaign) => number,
  seed: number,
): AdPlan {
  return planAds(
    {
      campaigns,
      audience,
      now,
      positions: [3, 10, 17],
      state: () => ({
        spentTodayFen: 0,
        spentTotalFen: 0,
        seenToday: 0,
        hidden: false,
        impressions: 1000,
        clicks: 50,
      }),
      ctr,
    },
    DEFAULT_AD_PARAMS,
    mulberry32(seed),
  );
}

/** `n` 美食 content cards `it-0` … at positions 0 … n − 1: the page serveAds places ads among. */
export const contentSlots = (n: number, tags: string[] = []): ContentCard[] =>
  Array.from({ length: n }, (_, i) => ({
    kind: 'content',
    position: i,
    item: {
      id: `it-${i}`,
      title: `t${i}`,
      summary: '',
      category: '美食',
      tags: [...tags],
      cover: '',
      publishedAt: 0,
    },
  }));
