/**
 * A scene restricts the ads as it does the content (issue 19), through `recommend` on both
 * adapters: under SCENE=travel only campaigns about 旅行 (targeting it, or landing on a travel
 * item) win a slot, under SCENE=finance only those about 理财 / 财经 and rated products within the
 * user's tolerance, whatever the others bid; SCENE=general serves them all.
 */
import type { AdCard, ApiResult, Campaign, RecommendResponse } from '../../../typings';
import type { AppSceneName } from '../../../typings';
import recommend from '../../../server/functions/recommend';
import { QUESTIONNAIRE_VERSION, RISK_QUESTIONS } from '../../../server/engine/risk-assessment';
import { toHandler } from '../../../server/runtime/function';
import { accountCalls } from '../../helpers/account-calls';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import { makeCampaign, makeItem } from '../../helpers/fixtures';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const recommendH = toHandler(recommend);
const NOW = Date.UTC(2026, 11, 6, 2, 0, 0);
const ME = 'scene-ads-user';
const DAY = 86_400_000;

const targeting = (interestTags: string[]): Campaign['targeting'] => ({
  interestTags,
  genders: [],
  ageBands: [],
  cities: [],
  scenes: [],
});
const campaign = (id: string, over: Partial<Campaign>): Campaign =>
  makeCampaign(id, {
    targeting: targeting([]),
    startAt: NOW - DAY,
    endAt: NOW + DAY,
    hours: [],
    dailyBudgetFen: 1_000_000,
    totalBudgetFen: 10_000_000,
    ...over,
  });
const landingOn = (itemId: string): Campaign['creative'] => ({
  title: '推广',
  description: '说明',
  image: '',
  landing: { kind: 'item', itemId },
});

// The off-scene campaigns bid ten times the others: only the rule keeps them out.
const CAMPAIGNS = [
  campaign('food', { targeting: targeting(['美食']), bidFen: 900 }),
  campaign('broad-page', { bidFen: 800 }),
  campaign('travel-tag', { targeting: targeting(['旅行']), bidFen: 60 }),
  campaign('travel-landing', { creative: landingOn('trip-0'), bidFen: 50 }),
  campaign('fund-r2', { riskLevel: 2, bidFen: 70 }),
  campaign('finance-landing', { creative: landingOn('news-0'), bidFen: 40 }),
];

describe.each(bothAdapters)('scene ads through recommend on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const { ok, consent } = accountCalls(() => deps, ME);

  /** The ad ids of the first pages of 推荐 for ME under the scene, over `sessions` fresh sessions. */
  async function adsServed(scene: AppSceneName, sessions: number): Promise<Set<string>> {
    deps.config = { ...deps.config, scene };
    const seen = new Set<string>();
    for (let s = 0; s < sessions; s++) {
      deps.setNow(NOW + s * 1000);
      const res: ApiResult<RecommendResponse> = await recommendH(
        { payload: { limit: 20 }, openid: ME },
        deps,
      );
      if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
      for (const c of res.data.cards) if (c.kind === 'ad') seen.add((c as AdCard).adId);
    }
    return seen;
  }

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    await opened.stores.catalog.upsert([
      ...Array.from({ length: 30 }, (_, i) =>
        makeItem(`food-${i}`, { publishedAt: NOW - i * 60_000 }),
      ),
      ...Array.from({ length: 30 }, (_, i) =>
        makeItem(`trip-${i}`, { category: '旅行', tags: ['攻略'], publishedAt: NOW - i * 60_000 }),
      ),
      ...Array.from({ length: 30 }, (_, i) =>
        makeItem(`news-${i}`, { category: '财经', tags: ['宏观'], publishedAt: NOW - i * 60_000 }),
      ),
    ]);
    await opened.stores.ads.upsertMerchants([{ id: 'm-1', name: '商家', createdAt: 0 }]);
    await opened.stores.ads.upsertCampaigns(CAMPAIGNS);
    await consent(true);
    // Interested in 美食 too, so that the food campaign's targeting matches wherever it may serve.
    await ok({ action: 'interests.set', categories: ['美食', '旅行', '财经'] });
    await ok({
      action: 'risk.assess',
      version: QUESTIONNAIRE_VERSION,
      answers: RISK_QUESTIONS.map((q) => q.options.length - 1),
    });
  });
  afterEach(() => opened.cleanup());

  it('serves every campaign in the general scene', async () => {
    const seen = await adsServed('general', 4);
    expect([...seen]).toEqual(expect.arrayContaining(['food', 'broad-page']));
  });

  it('serves only the campaigns about 旅行 in the travel scene, whatever the others bid', async () => {
    const seen = await adsServed('travel', 4);
    expect([...seen].sort()).toEqual(['travel-landing', 'travel-tag']);
  });

  it('serves only 理财 / 财经 campaigns and rated products in the finance scene', async () => {
    const seen = await adsServed('finance', 4);
    expect([...seen].sort()).toEqual(['finance-landing', 'fund-r2']);
  });

  it('keeps suitability in the finance scene: a rated product above the tolerance never serves', async () => {
    // The most cautious answers: C1, below the R2 fund.
    await ok({
      action: 'risk.assess',
      version: QUESTIONNAIRE_VERSION,
      answers: RISK_QUESTIONS.map(() => 0),
    });
    const seen = await adsServed('finance', 4);
    expect([...seen]).toEqual(['finance-landing']);
  });
});
