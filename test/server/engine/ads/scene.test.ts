/**
 * The scene's rule on ads (engine/ads/scene.ts) at the auction: a campaign about another scene
 * never enters it, whatever its bid, CTR or exploration draw; the general scene takes every one.
 */
import type { Campaign } from '../../../../typings';
import { EVERY_CAMPAIGN, inAdScene, type AdScene } from '../../../../server/engine/ads/scene';
import type { Audience } from '../../../../server/engine/ads/targeting';
import { broadCampaign, planMatureAds } from '../../../helpers/ad-auction';

const NOW = Date.UTC(2026, 11, 6, 2, 0, 0);
const TRAVEL: AdScene = { categories: ['旅行'], ratedProducts: false };
const FINANCE: AdScene = { categories: ['理财', '财经'], ratedProducts: true };
const CATEGORY: Record<string, string> = { 'trip-1': '旅行', 'fund-1': '理财', 'food-1': '美食' };
const categoryOf = (id: string): string | undefined => CATEGORY[id];

const broad = (id: string, over: Partial<Campaign> = {}): Campaign => broadCampaign(id, NOW, over);
const tagged = (id: string, tags: string[], over: Partial<Campaign> = {}) =>
  broad(id, { targeting: { ...broad(id).targeting, interestTags: tags }, ...over });
const landing = (itemId: string): Campaign['creative'] => ({
  title: 't',
  description: 'd',
  image: '',
  landing: { kind: 'item', itemId },
});

describe('inAdScene', () => {
  it('takes a campaign naming one of the scene categories in its targeting, or landing on its item', () => {
    expect(inAdScene(tagged('a', ['自驾', '旅行']), TRAVEL, categoryOf)).toBe(true);
    expect(inAdScene(broad('b', { creative: landing('trip-1') }), TRAVEL, categoryOf)).toBe(true);
    expect(inAdScene(tagged('c', ['美食']), TRAVEL, categoryOf)).toBe(false);
    expect(inAdScene(broad('d', { creative: landing('food-1') }), TRAVEL, categoryOf)).toBe(false);
    // An item the catalog does not know says nothing.
    expect(inAdScene(broad('e', { creative: landing('gone') }), TRAVEL, categoryOf)).toBe(false);
  });

  it('keeps a campaign that says nothing of what it is about for the general scene only', () => {
    const silent = broad('f');
    expect(inAdScene(silent, TRAVEL, categoryOf)).toBe(false);
    expect(inAdScene(silent, FINANCE, categoryOf)).toBe(false);
    expect(inAdScene(silent, EVERY_CAMPAIGN, categoryOf)).toBe(true);
    expect(inAdScene(silent, null, categoryOf)).toBe(true);
  });

  it('takes a rated product in a scene that takes them (金融理财), in no other', () => {
    const fund = broad('g', { riskLevel: 2 });
    expect(inAdScene(fund, FINANCE, categoryOf)).toBe(true);
    expect(inAdScene(fund, TRAVEL, categoryOf)).toBe(false);
  });
});

describe('the scene in the ad auction', () => {
  // A food campaign outbidding the travel ones a hundredfold, with the best CTR, matched by interest.
  const campaigns = [
    tagged('food', ['美食'], { bidFen: 5000 }),
    broad('silent', { bidFen: 4000 }),
    tagged('trip-tag', ['旅行'], { bidFen: 50 }),
    broad('trip-landing', { creative: landing('trip-1'), bidFen: 40 }),
  ];
  const audience = (adScene: AdScene | null): Audience => ({
    personalised: true,
    interests: ['美食', '旅行'],
    scene: 1001,
    context: [],
    adScene,
    categoryOf,
  });
  const plan = (a: Audience, seed: number) =>
    planMatureAds(campaigns, a, NOW, (c) => (c.id === 'food' ? 0.3 : 0.02), seed);

  it('never lets a campaign of another scene win, whatever its bid, CTR or exploration draw', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const p = plan(audience(TRAVEL), seed);
      expect(p.ads.map((a) => a.campaign.id).sort()).toEqual(['trip-landing', 'trip-tag']);
      expect(p.excluded.scene).toBe(2);
    }
  });

  it('lets every campaign compete in the general scene', () => {
    for (const s of [null, EVERY_CAMPAIGN]) {
      const p = plan(audience(s), 1);
      expect(p.ads[0].campaign.id).toBe('food');
      expect(p.excluded.scene).toBeUndefined();
    }
  });
});
