/**
 * The warm campaign set on both adapters with more active campaigns than one cloud query returns
 * (1000): every one is loaded once, corrupted ones are left out and logged, advertiser names are
 * read, and one past the first 1000 can win a slot.
 */
import type { Campaign } from '../../../typings';
import { serveAds } from '../../../server/serving/ads';
import { CampaignCache } from '../../../server/serving/ad-campaigns';
import { mulberry32 } from '../../../server/engine/models/rng';
import { makeCampaign } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';
import { contentSlots } from '../../helpers/ad-auction';

const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
const ACTIVE = 1_205;
const idOf = (i: number): string => `camp-${String(i).padStart(5, '0')}`;

/** Active campaigns of four merchants; only the last one (by id) targets scene 1089, the rest scene 1001. */
function world(): Campaign[] {
  const out = Array.from({ length: ACTIVE }, (_, i) =>
    makeCampaign(idOf(i), {
      merchantId: `m-${i % 4}`,
      targeting: {
        interestTags: [],
        genders: [],
        ageBands: [],
        cities: [],
        scenes: [i === ACTIVE - 1 ? 1089 : 1001],
      },
      startAt: NOW - 86_400_000,
      endAt: NOW + 86_400_000,
    }),
  );
  out[700] = { ...out[700], bidFen: Number.NaN };
  return [...out, makeCampaign('camp-paused', { status: 'paused' }), ...bigMerchant()];
}

/** One merchant's 1,003 drafts (more than one cloud query returns), created at three instants, so the page boundary falls inside a tie. */
const BIG = 1_003;
function bigMerchant(): Campaign[] {
  return Array.from({ length: BIG }, (_, i) =>
    makeCampaign(`big-${String(i).padStart(5, '0')}`, {
      merchantId: 'm-big',
      status: 'draft',
      createdAt: NOW - (i % 3) * 1_000,
    }),
  );
}

const content = (n: number) => contentSlots(n);

// Over a thousand campaigns through the cloud transport: a second or two alone, past jest's 5 s
// default on a loaded two-core machine.
jest.setTimeout(30_000);

describe.each(bothAdapters)('active campaigns beyond one page on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  beforeAll(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    await opened.stores.ads.upsertMerchants(
      [0, 1, 2, 3].map((m) => ({ id: `m-${m}`, name: `商家${m}`, createdAt: 1 })),
    );
    await opened.stores.ads.upsertCampaigns(world());
  });
  afterAll(() => opened.cleanup());

  it('loads every active campaign once, leaving out and logging the corrupted one', async () => {
    const set = await new CampaignCache().get(opened.stores, NOW, deps.log);
    const ids = set.campaigns.map((c) => c.id);
    expect(ids).toHaveLength(ACTIVE - 1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      Array.from({ length: ACTIVE }, (_, i) => idOf(i)).filter((id) => id !== idOf(700)),
    );
    expect(deps.errors.join('\n')).toMatch(
      new RegExp(`campaign excluded: corrupted.*${idOf(700)}`),
    );
    expect([...set.advertisers.entries()].sort()).toEqual([
      ['m-0', '商家0'],
      ['m-1', '商家1'],
      ['m-2', '商家2'],
      ['m-3', '商家3'],
    ]);
  });

  it('lists every campaign of a merchant with more than one page of them, newest first, each once', async () => {
    const listed = (await opened.stores.ads.listCampaigns('m-big')).map(
      (c) => [c.createdAt, c.id] as const,
    );
    const expected = bigMerchant()
      .map((c) => [c.createdAt, c.id] as const)
      .sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : -1));
    expect(listed).toHaveLength(BIG);
    expect(listed).toEqual(expected);
  });

  it('serves a campaign that sorts after the first 1000', async () => {
    const served = await serveAds(deps, {
      openid: 'user-1',
      personalised: true,
      scene: 1089,
      profile: null,
      content: content(5),
      offset: 0,
      now: NOW,
      scorer: null,
      random: mulberry32(1),
    });
    expect(served.slateCards.map((c) => c.adId)).toEqual([idOf(ACTIVE - 1)]);
    expect(served.cards.find((c) => c.kind === 'ad')).toMatchObject({
      advertiser: `商家${(ACTIVE - 1) % 4}`,
    });
  });
});
