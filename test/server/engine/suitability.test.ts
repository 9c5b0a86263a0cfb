/**
 * Suitability (金融理财) as a hard rule: a financial product above the user's risk tolerance is
 * never ranked into the feed nor wins an ad slot, however popular, well scored or high its bid;
 * a user never assessed sees no risk-rated product; payment behaviour only lowers a tolerance.
 */
import type { Campaign } from '../../../typings';
import type { Audience } from '../../../server/engine/ads/targeting';
import { mulberry32 } from '../../../server/engine/models/rng';
import { ItemIndex, type ItemFacts } from '../../../server/engine/ranking/item-index';
import { rankFeed, type FeedState, type FeedUser } from '../../../server/engine/ranking/pipeline';
import { effectiveTolerance, suitable } from '../../../server/engine/suitability';
import { broadCampaign, planMatureAds } from '../../helpers/ad-auction';

const NOW = Date.UTC(2026, 11, 5, 2, 0, 0);
const H = 3_600_000;

describe('suitable', () => {
  it('allows a product up to the tolerance, none to an unassessed user, and non-financial items always', () => {
    expect(suitable(3, 3)).toBe(true);
    expect(suitable(4, 3)).toBe(false);
    expect(suitable(1, null)).toBe(false);
    expect(suitable(1, undefined)).toBe(false);
    expect(suitable(undefined, null)).toBe(true);
  });

  it('lets payment behaviour lower the stated tolerance, never raise it', () => {
    expect(effectiveTolerance(4, 2)).toBe(2);
    expect(effectiveTolerance(2, 5)).toBe(2);
    expect(effectiveTolerance(3, null)).toBe(3);
    expect(effectiveTolerance(null, 5)).toBeNull();
  });
});

describe('suitability in the feed ranking', () => {
  // Ten ordinary items and four financial products R2–R5 that are by far the most popular and
  // the model's favourites: only the rule can keep them out.
  const items: ItemFacts[] = [
    ...Array.from({ length: 10 }, (_, i) => ({
      id: `i${i}`,
      category: '美食',
      tags: ['火锅'],
      publishedAt: NOW - (i + 1) * H,
    })),
    ...[2, 3, 4, 5].map((r) => ({
      id: `fund-r${r}`,
      category: '财经',
      tags: ['理财'],
      publishedAt: NOW - H,
      riskLevel: r,
    })),
  ];
  const index = new ItemIndex(items);
  const state: FeedState = {
    index,
    popularity: Float64Array.from(items, (it) => (it.riskLevel ? 100 : 1)),
    neighbours: new Map(),
    scorer: {
      version: 'v1',
      predict: (x: { item: { id: string } }) => (x.item.id.startsWith('fund') ? 0.99 : 0.01),
    } as unknown as FeedState['scorer'],
  };
  const user = (riskTolerance?: number | null): FeedUser => ({
    openid: 'u1',
    personalised: true,
    profile: null,
    history: [],
    exclude: riskTolerance === undefined ? {} : { riskTolerance },
  });
  const served = (u: FeedUser): string[] =>
    rankFeed(state, u, {
      now: NOW,
      scene: null,
      category: null,
      count: 14,
      offset: 0,
      rand: mulberry32(3),
    }).cards.map((c) => c.itemId);

  it('ranks only the products within the tolerance, first as the model prefers them', () => {
    const c3 = served(user(3));
    expect(c3).toEqual(expect.arrayContaining(['fund-r2', 'fund-r3']));
    expect(c3).not.toContain('fund-r4');
    expect(c3).not.toContain('fund-r5');
    expect(served(user(5))).toEqual(expect.arrayContaining(['fund-r4', 'fund-r5']));
  });

  it('shows an unassessed user no risk-rated product, and applies the rule to a non-personalised feed too', () => {
    for (const u of [user(), user(null)]) {
      const ids = served(u);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.filter((id) => id.startsWith('fund'))).toEqual([]);
    }
    const optedOut = served({ ...user(2), personalised: false });
    expect(optedOut.filter((id) => id.startsWith('fund'))).toEqual(['fund-r2']);
  });
});

describe('suitability in the ad auction', () => {
  const broad = (id: string, over: Partial<Campaign> = {}): Campaign =>
    broadCampaign(id, NOW, over);
  // An R5 fund bidding 100× the others with the best CTR, and two ordinary campaigns.
  const campaigns = [
    broad('fund-r5', { riskLevel: 5, bidFen: 5000 }),
    broad('fund-r2', { riskLevel: 2, bidFen: 60 }),
    broad('tea', { bidFen: 50 }),
    broad('shoes', { bidFen: 40 }),
  ];
  const audience = (riskTolerance?: number | null): Audience => ({
    personalised: true,
    interests: [],
    scene: 1001,
    context: [],
    ...(riskTolerance === undefined ? {} : { riskTolerance }),
  });
  const won = (a: Audience, seed: number) =>
    planMatureAds(campaigns, a, NOW, (c) => (c.id === 'fund-r5' ? 0.3 : 0.02), seed);

  it('never serves a campaign above the tolerance, whatever its bid, CTR or exploration draw', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const plan = won(audience(3), seed);
      expect(plan.ads.map((a) => a.campaign.id)).not.toContain('fund-r5');
      expect(plan.excluded.suitability).toBe(1);
    }
    expect(won(audience(5), 1).ads[0].campaign.id).toBe('fund-r5');
  });

  it('serves an unassessed user no risk-rated campaign', () => {
    for (const a of [audience(), audience(null)]) {
      const plan = won(a, 7);
      expect(plan.ads.map((x) => x.campaign.id).sort()).toEqual(['shoes', 'tea']);
      expect(plan.excluded.suitability).toBe(2);
    }
  });
});
