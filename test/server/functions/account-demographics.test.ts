/**
 * Shared gender / age band / city on both adapters: `account` sets (needs consent), replaces,
 * clears and validates them; withdrawing consent clears them; `recommend` reads them per request
 * and serves a campaign restricted on one only to users who shared a matching value, and only
 * while the feed is personalised.
 */
import type {
  AccountRequest,
  AccountResponse,
  ApiResult,
  Campaign,
  CampaignTargeting,
  Demographics,
} from '../../../typings';
import account from '../../../server/functions/account';
import recommend from '../../../server/functions/recommend';
import { toHandler } from '../../../server/runtime/function';
import { makeCampaign } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const accountH = toHandler(account);
const recommendH = toHandler(recommend);
const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
const ME = 'demo-user-1';

const targeted = (id: string, over: Partial<CampaignTargeting>): Campaign =>
  makeCampaign(id, {
    targeting: { interestTags: [], genders: [], ageBands: [], cities: [], scenes: [], ...over },
    startAt: NOW - 86_400_000,
    endAt: NOW + 86_400_000,
  });

describe.each(bothAdapters)('shared demographics on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const call = (payload: object, openid = ME): Promise<ApiResult<AccountResponse>> =>
    accountH({ payload, openid }, deps);
  const shared = async (
    payload: Extract<AccountRequest, { action: `demographics.${string}` }>,
    openid = ME,
  ): Promise<Demographics> => {
    const res = await call(payload, openid);
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
    return (res.data as { demographics: Demographics }).demographics;
  };
  const consent = (granted: boolean, openid = ME) =>
    call(
      {
        action: 'consent.set',
        noticeVersion: 'v1',
        granted,
        ...(granted ? {} : { keepHistory: true }),
      },
      openid,
    );
  /** Ad ids served to the user over a few fresh first pages (slot 3 of 5 cards). */
  const adsServed = async (openid = ME): Promise<string[]> => {
    const ids = new Set<string>();
    for (let i = 0; i < 4; i++) {
      deps.setNow(NOW + i * 1000);
      const res = await recommendH({ payload: { limit: 5 }, openid }, deps);
      if (!res.ok) throw new Error(res.message);
      for (const c of res.data.cards) if (c.kind === 'ad') ids.add(c.adId);
    }
    return [...ids].sort();
  };

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
  });
  afterEach(() => opened.cleanup());

  it('shares, replaces and clears gender / age band / city; another user sees nothing of it', async () => {
    expect(await shared({ action: 'demographics.get' })).toEqual({});
    expect(await call({ action: 'demographics.set', gender: 'female' })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      message: expect.stringMatching(/隐私保护指引/),
    });
    expect(await opened.stores.privacy.getSettings(ME)).toBeNull();
    await consent(true);
    expect(
      await shared({
        action: 'demographics.set',
        gender: 'female',
        ageBand: '25-34',
        city: ' 成都 ',
      }),
    ).toEqual({ gender: 'female', ageBand: '25-34', city: '成都' });
    // A set names exactly what is shared: the fields left out are no longer shared.
    expect(await shared({ action: 'demographics.set', city: '上海' })).toEqual({ city: '上海' });
    expect(await shared({ action: 'demographics.get' }, 'someone-else')).toEqual({});
    expect(await shared({ action: 'demographics.clear' })).toEqual({});
    expect(await shared({ action: 'demographics.get' })).toEqual({});
    // Clearing what was never shared writes nothing.
    expect(await shared({ action: 'demographics.clear' }, 'stranger')).toEqual({});
    expect(await opened.stores.privacy.getSettings('stranger')).toBeNull();
  });

  it('refuses bad input with INVALID_INPUT and changes nothing', async () => {
    await consent(true);
    await shared({ action: 'demographics.set', gender: 'male', city: '北京' });
    for (const payload of [
      { action: 'demographics.set' },
      { action: 'demographics.set', gender: 'other' },
      { action: 'demographics.set', ageBand: '20-30' },
      { action: 'demographics.set', city: '' },
      { action: 'demographics.set', city: { $ne: null } },
      { action: 'demographics.set', city: '<script>' },
      { action: 'demographics.set', city: '北'.repeat(33) },
      { action: 'demographics.set', gender: 'male', openid: 'other' },
      { action: 'demographics.clear', all: true },
    ]) {
      expect(await call(payload)).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    }
    expect(await shared({ action: 'demographics.get' })).toEqual({ gender: 'male', city: '北京' });
  });

  it('withdrawing consent withdraws what was shared', async () => {
    await consent(true);
    await shared({ action: 'demographics.set', ageBand: '18-24' });
    await consent(false);
    expect(await shared({ action: 'demographics.get' })).toEqual({});
  });

  it('recommend serves a restricted campaign only to users who shared a matching value, and only while personalised', async () => {
    await opened.stores.catalog.upsert(
      Array.from({ length: 12 }, (_, i) => ({
        id: `it-${i}`,
        title: `t${i}`,
        summary: '',
        category: '美食',
        tags: [],
        cover: '',
        authorId: 'a',
        publishedAt: NOW - 3_600_000 - i,
        status: 'published' as const,
      })),
    );
    await opened.stores.ads.upsertCampaigns([
      targeted('chengdu', { cities: ['成都'] }),
      targeted('women-25', { genders: ['female'], ageBands: ['25-34'] }),
    ]);
    await consent(true);
    expect(await adsServed()).toEqual([]); // nothing shared: neither restricted campaign
    await shared({ action: 'demographics.set', city: '成都市' });
    expect(await adsServed()).toEqual(['chengdu']);
    await shared({ action: 'demographics.set', city: '重庆', gender: 'female', ageBand: '25-34' });
    expect(await adsServed()).toEqual(['women-25']);
    await shared({ action: 'demographics.set', gender: 'female', ageBand: '35-44' });
    expect(await adsServed()).toEqual([]); // only one of two restrictions matches
    // Opted out of personalisation: shared attributes are not used.
    await shared({ action: 'demographics.set', city: '成都' });
    await call({ action: 'personalization.set', enabled: false });
    expect(await adsServed()).toEqual([]);
    await call({ action: 'personalization.set', enabled: true });
    expect(await adsServed()).toEqual(['chengdu']);
    await shared({ action: 'demographics.clear' });
    expect(await adsServed()).toEqual([]);
  });
});
