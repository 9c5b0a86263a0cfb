/** servePage's ads stage: what the page hands the ads use case (ads.ts) about the user, the session and its draws. */
import { mulberry32 } from '../../../../server/engine/models/rng';
import { emptyProfile } from '../../../../server/engine/profiles/profile';
import { adsInputOf } from '../../../../server/serving/page/place-ads';
import type { PageState } from '../../../../server/serving/page/read';
import type { PageRequest } from '../../../../server/serving/page/request';
import { ServedFilter } from '../../../../server/serving/served-filter';
import type { CatalogSnapshot } from '../../../../server/serving/warm-state';
import { makeItem } from '../../../helpers/fixtures';

const NOW = Date.UTC(2026, 11, 6, 10, 0, 0);
const earlier = { items: ['p'], ads: [{ adId: 'logged-ad', at: NOW - 60_000 }] };

function state(req: Partial<PageRequest> = {}): Parameters<typeof adsInputOf>[1] {
  return {
    req: {
      session: { id: 's', page: 1, offset: 12, channel: 'foryou' },
      category: null,
      limit: 10,
      scene: 1001,
      personalised: true,
      store: true,
      riskTolerance: 2,
      shared: { city: '上海' },
      experiments: [
        { experimentId: 'e1', parameter: 'ads.slots', variant: 'a', value: [1, 5] },
        {
          experimentId: 'e2',
          parameter: 'ad.creative',
          variant: 'b',
          value: {
            title: '新标题',
            description: '',
            image: '',
            landing: { kind: 'page', path: 'pages/feed/index' },
          },
          campaignId: 'c1',
        },
      ],
      ...req,
    },
    snap: { items: new Map([['i1', makeItem('i1', { category: '旅行' })]]) } as CatalogSnapshot,
    scorer: null,
    profile: emptyProfile('u1', NOW),
    graph: null,
  } satisfies Pick<PageState, 'req' | 'snap' | 'scorer' | 'profile' | 'graph'>;
}

describe('adsInputOf', () => {
  const page = { content: [], now: NOW, seed: 42, overrides: { adSlots: [1, 5] }, before: earlier };

  it("passes the page's offset, the experiment's slots, the user's tolerance and shares, and only creative assignments", () => {
    const input = adsInputOf('u1', state(), page);
    expect(input).toMatchObject({
      openid: 'u1',
      personalised: true,
      scene: 1001,
      offset: 12,
      now: NOW,
      slots: [1, 5],
      riskTolerance: 2,
      shared: { city: '上海' },
      adScene: null,
      sessionAds: earlier.ads,
      perUserCounters: true,
    });
    expect(input.creatives!.map((a) => a.experimentId)).toEqual(['e2']);
    expect(input.categoryOf!('i1')).toBe('旅行');
    expect(input.categoryOf!('nope')).toBeUndefined();
  });

  it("draws from its own stream of the page seed, apart from the ranking's", () => {
    const a = adsInputOf('u1', state(), page).random!;
    const expected = mulberry32(42 ^ 0x5bd1e995);
    expect([a(), a(), a()]).toEqual([expected(), expected(), expected()]);
    const ranking = mulberry32(42);
    expect(adsInputOf('u1', state(), page).random!()).not.toBe(ranking());
  });

  it("a carried session's earlier ads come from its cursor, and a user who may not be stored has no counters read", () => {
    const carriedAds = [{ adId: 'cursor-ad', at: NOW - 1000 }];
    const input = adsInputOf(
      'u1',
      state({
        store: false,
        session: {
          id: 's',
          page: 1,
          offset: 12,
          channel: 'foryou',
          carried: { items: ServedFilter.empty(), ads: carriedAds },
        },
      }),
      page,
    );
    expect(input.sessionAds).toBe(carriedAds);
    expect(input.perUserCounters).toBe(false);
  });
});
