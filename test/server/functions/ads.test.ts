/**
 * Ads through the functions on both adapters: the guarded counter add, click charging in `track`
 * (second price from the slate, once per slot, never past a budget under concurrent clicks; invalid
 * traffic counted, never charged: unserved or unseen positions, repeated clicks, floods),
 * frequency caps and hides from tracked events, and serveAds (slots, marking, corrupted campaigns).
 */
import { randomUUID } from 'node:crypto';
import type { Campaign } from '../../../typings';
import { ALL, RATE, SPEND, STATS } from '../../../server/engine/ads/counter-keys';
import { dayBucket, minuteBucket } from '../../../server/engine/time';
import { INVALID_OUTCOMES } from '../../../server/events/ad-events';
import { serveAds } from '../../../server/serving/ads';
import track from '../../../server/functions/track';
import type { Stores } from '../../../server/ports';
import { toHandler } from '../../../server/runtime/function';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';
import { makeCampaign } from '../../helpers/fixtures';
import { mulberry32 } from '../../../server/engine/models/rng';
import { contentSlots } from '../../helpers/ad-auction';

const handler = toHandler(track);
const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
const DAY = dayBucket(NOW);

const broad = (id: string, over: Partial<Campaign> = {}): Campaign =>
  makeCampaign(id, {
    targeting: { interestTags: [], genders: [], ageBands: [], cities: [], scenes: [] },
    startAt: NOW - 86_400_000,
    endAt: NOW + 86_400_000,
    ...over,
  });

const content = (n: number) => contentSlots(n, ['火锅']);

async function logSlate(
  stores: Stores,
  slateId: string,
  openid: string,
  adId: string,
  position: number,
  priceFen: number,
  servedAt = NOW - 60_000,
): Promise<void> {
  await stores.slates.append({
    slateId,
    openid,
    servedAt,
    modelVersion: null,
    variant: null,
    personalised: true,
    scene: null,
    cards: [{ position, adId, score: 0.02, propensity: 1, priceFen }],
  });
}

const event = (type: string, over: Record<string, unknown>) => ({
  eventId: randomUUID(),
  type,
  clientTime: NOW - 1000,
  sessionId: 's',
  page: 'pages/feed/index',
  ...over,
});

describe.each(bothAdapters)('ads on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const send = async (openid: string, events: object[]) => {
    const res = await handler({ payload: { schemaVersion: 1, events }, openid }, deps);
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
    return res.data;
  };
  /** A viewable impression of the ad at `position` of the slate, as the Mini Program reports it. */
  const view = (openid: string, adId: string, slateId: string, position: number) =>
    send(openid, [event('impression', { adId, slateId, position })]);
  const click = (openid: string, adId: string, slateId: string, position: number, at = NOW) => {
    deps.setNow(at);
    return send(openid, [event('click', { adId, slateId, position, clientTime: at })]);
  };
  const unbilled = async (id: string) =>
    (await opened.stores.counters.read(STATS, [id], DAY))[id] ?? {};
  const spend = async (id: string) => ({
    today: (await opened.stores.counters.read(SPEND, [id], DAY))[id] ?? {},
    total: (await opened.stores.counters.read(SPEND, [id], ALL))[id] ?? {},
  });

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    for (let u = 0; u < 40; u++)
      await opened.stores.privacy.recordConsent(`user-${u}`, {
        noticeVersion: 'v1',
        granted: true,
        at: NOW - 60_000,
      });
  });
  afterEach(() => opened.cleanup());

  describe('guarded counter add', () => {
    const key = { scope: 'budgetTest', id: 'c', bucket: 'b' };

    it('adds all fields together while the guard holds, and nothing once it would not', async () => {
      const c = opened.stores.counters;
      expect(await c.addIf(key, { spentFen: 40, clicks: 1 }, { field: 'spentFen', max: 100 })).toBe(
        true,
      );
      expect(await c.addIf(key, { spentFen: 60, clicks: 1 }, { field: 'spentFen', max: 100 })).toBe(
        true,
      );
      expect(await c.addIf(key, { spentFen: 1, clicks: 1 }, { field: 'spentFen', max: 100 })).toBe(
        false,
      );
      expect(await c.read('budgetTest', ['c'], 'b')).toEqual({ c: { spentFen: 100, clicks: 2 } });
      // An increment larger than the cap on its own is refused before the counter exists.
      expect(
        await c.addIf({ ...key, id: 'd' }, { spentFen: 101 }, { field: 'spentFen', max: 100 }),
      ).toBe(false);
      expect(await c.read('budgetTest', ['d'], 'b')).toEqual({});
    });

    it('never passes the guard together under concurrent adds, first one included', async () => {
      const c = opened.stores.counters;
      const results = await Promise.all(
        Array.from({ length: 30 }, () =>
          c.addIf(key, { spentFen: 7, clicks: 1 }, { field: 'spentFen', max: 50 }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(7); // 7 × 7 = 49 ≤ 50 < 56
      expect(await c.read('budgetTest', ['c'], 'b')).toEqual({ c: { spentFen: 49, clicks: 7 } });
    });
  });

  describe('click charging', () => {
    it('charges a click the second price logged with its slate, once per slot, and counts it billed', async () => {
      await opened.stores.ads.upsertCampaigns([broad('camp-1')]);
      await logSlate(opened.stores, 'slate-1', 'user-1', 'camp-1', 3, 37);
      await view('user-1', 'camp-1', 'slate-1', 3);
      await send('user-1', [event('click', { adId: 'camp-1', slateId: 'slate-1', position: 3 })]);
      // A second click on the same served ad (another event id) is not charged again.
      await send('user-1', [event('click', { adId: 'camp-1', slateId: 'slate-1', position: 3 })]);
      expect(await spend('camp-1')).toEqual({
        today: { spentFen: 37, clicks: 1 },
        total: { spentFen: 37, clicks: 1 },
      });
    });

    it("charges nothing for a slate that is not the clicker's, a wrong position or ad, or an old slate", async () => {
      await opened.stores.ads.upsertCampaigns([broad('camp-1')]);
      await logSlate(opened.stores, 'slate-1', 'user-1', 'camp-1', 3, 37);
      await send('user-2', [event('click', { adId: 'camp-1', slateId: 'slate-1', position: 3 })]);
      await send('user-1', [event('click', { adId: 'camp-1', slateId: 'slate-1', position: 4 })]);
      await send('user-1', [event('click', { adId: 'camp-2', slateId: 'slate-1', position: 3 })]);
      await send('user-1', [
        event('click', { adId: 'camp-1', slateId: 'no-such-slate', position: 3 }),
      ]);
      deps.setNow(NOW + 2 * 86_400_000);
      await send('user-1', [
        event('click', {
          adId: 'camp-1',
          slateId: 'slate-1',
          position: 3,
          clientTime: NOW + 2 * 86_400_000,
        }),
      ]);
      expect(await spend('camp-1')).toEqual({ today: {}, total: {} });
    });

    it('never overspends a nearly exhausted budget under many simultaneous clicks', async () => {
      // 500 fen left today at 40 fen a click: 12 clicks fit (480), the 13th would overspend.
      await opened.stores.ads.upsertCampaigns([
        broad('camp-1', { dailyBudgetFen: 10_000, totalBudgetFen: 100_000 }),
      ]);
      await opened.stores.counters.add([
        { scope: SPEND, id: 'camp-1', bucket: DAY, field: 'spentFen', by: 9_500 },
        // The campaign's other traffic this minute: 40 clicks among 240 impressions are no
        // campaign-wide flood (CAMPAIGN_FLOOD_*), so only the budget refuses clicks here.
        { scope: RATE, id: 'camp-1', bucket: minuteBucket(NOW), field: 'impressions', by: 200 },
      ]);
      const users = Array.from({ length: 40 }, (_, u) => `user-${u}`);
      for (const u of users) {
        await logSlate(opened.stores, `slate-${u}`, u, 'camp-1', 3, 40);
        await view(u, 'camp-1', `slate-${u}`, 3);
      }
      await Promise.all(
        users.map((u) =>
          send(u, [event('click', { adId: 'camp-1', slateId: `slate-${u}`, position: 3 })]),
        ),
      );
      const s = await spend('camp-1');
      expect(s.today.spentFen).toBe(9_980);
      expect(s.today.clicks).toBe(12);
      expect(s.total).toEqual({ spentFen: 480, clicks: 12 });
    }, 30_000); // 40 concurrent clicks, each a dozen counter calls through the in-memory cloud service

    it("stops at the lifetime budget and gives the refused click back to today's counter", async () => {
      await opened.stores.ads.upsertCampaigns([
        broad('camp-1', { dailyBudgetFen: 10_000, totalBudgetFen: 100 }),
      ]);
      for (const u of ['user-1', 'user-2', 'user-3']) {
        await logSlate(opened.stores, `slate-${u}`, u, 'camp-1', 3, 40);
        await view(u, 'camp-1', `slate-${u}`, 3);
      }
      for (const u of ['user-1', 'user-2', 'user-3'])
        await send(u, [event('click', { adId: 'camp-1', slateId: `slate-${u}`, position: 3 })]);
      expect(await spend('camp-1')).toEqual({
        today: { spentFen: 80, clicks: 2 },
        total: { spentFen: 80, clicks: 2 },
      });
    });
  });

  describe('invalid traffic', () => {
    it('charges no click without a recorded impression of that position by its user', async () => {
      await opened.stores.ads.upsertCampaigns([broad('camp-1')]);
      await logSlate(opened.stores, 'slate-1', 'user-1', 'camp-1', 3, 37);
      await click('user-1', 'camp-1', 'slate-1', 3);
      // An impression of another position does not make this one seen.
      await view('user-1', 'camp-1', 'slate-1', 4);
      await click('user-1', 'camp-1', 'slate-1', 3, NOW + 5 * 60_000);
      expect(await spend('camp-1')).toEqual({ today: {}, total: {} });
      expect(await unbilled('camp-1')).toMatchObject({ unbilled_no_impression: 2 });
      // Once seen, a later click is charged.
      await view('user-1', 'camp-1', 'slate-1', 3);
      await click('user-1', 'camp-1', 'slate-1', 3, NOW + 10 * 60_000);
      expect((await spend('camp-1')).total).toEqual({ spentFen: 37, clicks: 1 });
    });

    it("counts a click on a slate that is not the clicker's as invalid", async () => {
      await opened.stores.ads.upsertCampaigns([broad('camp-1')]);
      await logSlate(opened.stores, 'slate-1', 'user-1', 'camp-1', 3, 37);
      await view('user-1', 'camp-1', 'slate-1', 3);
      await click('user-2', 'camp-1', 'slate-1', 3);
      expect(await spend('camp-1')).toEqual({ today: {}, total: {} });
      expect(await unbilled('camp-1')).toEqual({ unbilled_not_served: 1 });
    });

    it('charges one of repeated clicks by one user on one ad within a minute, on other slates too', async () => {
      await opened.stores.ads.upsertCampaigns([broad('camp-1')]);
      for (const s of ['a', 'b', 'c']) {
        await logSlate(opened.stores, `slate-${s}`, 'user-1', 'camp-1', 3, 30);
        await view('user-1', 'camp-1', `slate-${s}`, 3);
      }
      await click('user-1', 'camp-1', 'slate-a', 3, NOW);
      // 70 s later on another slate: the next minute, still within the window.
      await click('user-1', 'camp-1', 'slate-b', 3, NOW + 70_000);
      expect((await spend('camp-1')).total).toEqual({ spentFen: 30, clicks: 1 });
      expect(await unbilled('camp-1')).toEqual({ unbilled_repeat: 1 });
      // Two minutes on, a click is charged again.
      await click('user-1', 'camp-1', 'slate-c', 3, NOW + 3 * 60_000);
      expect((await spend('camp-1')).total).toEqual({ spentFen: 60, clicks: 2 });
    });

    it('charges no click of a flood: past 5 ad clicks of one user in a minute', async () => {
      const ids = Array.from({ length: 8 }, (_, i) => `camp-${i}`);
      await opened.stores.ads.upsertCampaigns(ids.map((id) => broad(id)));
      for (const [i, id] of ids.entries()) {
        await logSlate(opened.stores, `slate-${i}`, 'user-1', id, 3, 20);
        await view('user-1', id, `slate-${i}`, 3);
      }
      // One batch, as a script would send it: eight different ads in the same minute.
      await send(
        'user-1',
        ids.map((id, i) => event('click', { adId: id, slateId: `slate-${i}`, position: 3 })),
      );
      let billed = 0;
      let flood = 0;
      for (const id of ids) {
        billed += (await spend(id)).total.clicks ?? 0;
        flood += (await unbilled(id)).unbilled_flood ?? 0;
      }
      expect(billed).toBe(5);
      expect(flood).toBe(3);
      // Another user's click in the same minute is charged: the flood is this user's.
      await logSlate(opened.stores, 'slate-u2', 'user-2', 'camp-0', 3, 20);
      await view('user-2', 'camp-0', 'slate-u2', 3);
      await click('user-2', 'camp-0', 'slate-u2', 3);
      expect((await spend('camp-0')).total.clicks).toBe(2);
    });

    it('charges no click of a campaign-wide flood: many users clicking one campaign far above its rate', async () => {
      await opened.stores.ads.upsertCampaigns([broad('camp-1'), broad('camp-2')]);
      // Honest traffic first, minutes earlier: 60 users see the ad, 12 click (20 %, high but not
      // five times the expected rate): every click is charged.
      const honest = NOW - 10 * 60_000;
      deps.setNow(honest);
      for (let u = 0; u < 60; u++) {
        await logSlate(opened.stores, `slate-h${u}`, `user-h${u}`, 'camp-1', 3, 10, honest);
        await opened.stores.privacy.recordConsent(`user-h${u}`, {
          noticeVersion: 'v1',
          granted: true,
          at: honest - 60_000,
        });
        await view(`user-h${u}`, 'camp-1', `slate-h${u}`, 3);
      }
      for (let u = 0; u < 12; u++) await click(`user-h${u}`, 'camp-1', `slate-h${u}`, 3, honest);
      expect((await spend('camp-1')).total.clicks).toBe(12);
      expect(await unbilled('camp-1')).toEqual({});

      // Then a burst: 30 users (scripts) each record an impression and click within one minute.
      deps.setNow(NOW);
      for (let u = 0; u < 30; u++) {
        await logSlate(opened.stores, `slate-b${u}`, `user-${u}`, 'camp-1', 3, 10);
        await view(`user-${u}`, 'camp-1', `slate-b${u}`, 3);
      }
      for (let u = 0; u < 30; u++) await click(`user-${u}`, 'camp-1', `slate-b${u}`, 3, NOW);
      const flood = (await unbilled('camp-1')).unbilled_campaign_flood ?? 0;
      const billed = (await spend('camp-1')).total.clicks! - 12;
      expect(billed + flood).toBe(30);
      // Only the burst's first clicks (up to CAMPAIGN_FLOOD_MIN_CLICKS) went through.
      expect(billed).toBe(10);
      expect(INVALID_OUTCOMES).toContain('campaign_flood');
      // Another campaign's click in the same minute is charged: the flood is camp-1's.
      await logSlate(opened.stores, 'slate-o', 'user-39', 'camp-2', 3, 10);
      await view('user-39', 'camp-2', 'slate-o', 3);
      await click('user-39', 'camp-2', 'slate-o', 3, NOW);
      expect((await spend('camp-2')).total.clicks).toBe(1);
    }, 60_000); // ~200 track calls through the cloud adapter on a shared 2-core machine
  });

  describe('serveAds', () => {
    const serve = (openid: string, over: Partial<Parameters<typeof serveAds>[1]> = {}) =>
      serveAds(deps, {
        openid,
        personalised: true,
        scene: 1001,
        profile: null,
        content: content(10),
        offset: 0,
        now: NOW,
        scorer: null,
        random: mulberry32(1),
        ...over,
      });

    it('puts marked ads into the configured slots with a reason and logs their price and propensity', async () => {
      await opened.stores.ads.upsertMerchants([{ id: 'm-1', name: '川味小馆', createdAt: 0 }]);
      await opened.stores.ads.upsertCampaigns([
        broad('camp-1', { bidFen: 80 }),
        broad('camp-2', { bidFen: 50 }),
        broad('camp-3', { bidFen: 30 }),
      ]);
      const served = await serve('user-1');
      expect(served.cards).toHaveLength(12);
      expect(served.cards.map((c) => c.position)).toEqual([...Array(12).keys()]);
      const ads = served.cards.filter((c) => c.kind === 'ad');
      expect(ads.map((c) => c.position)).toEqual([3, 10]);
      expect(ads[0]).toMatchObject({
        kind: 'ad',
        sponsored: true,
        advertiser: '川味小馆',
        reason: { code: 'broad' },
      });
      expect(served.slateCards).toHaveLength(2);
      for (const sc of served.slateCards) {
        expect(sc.priceFen).toBeGreaterThanOrEqual(5);
        expect(sc.propensity).toBeGreaterThan(0);
        expect(sc.propensity).toBeLessThanOrEqual(1);
      }
    });

    it('stops serving an ad to a user at the frequency cap and after they hide it', async () => {
      await opened.stores.ads.upsertCampaigns([broad('camp-1')]);
      expect((await serve('user-1')).slateCards.map((c) => c.adId)).toEqual(['camp-1']);
      const imp = () => event('impression', { adId: 'camp-1', slateId: 'x', position: 3 });
      await send('user-1', [imp(), imp(), imp()]); // cap 3 per day
      expect((await serve('user-1')).slateCards).toEqual([]);
      expect((await serve('user-2')).slateCards.map((c) => c.adId)).toEqual(['camp-1']);
      await send('user-2', [
        event('hide', { adId: 'camp-1', slateId: 'x', position: 3, reason: 'not_interested' }),
      ]);
      expect((await serve('user-2')).slateCards).toEqual([]);
    });

    it('targets an opted-out user by the page content only', async () => {
      const t = { interestTags: ['旅行'], genders: [], ageBands: [], cities: [], scenes: [] };
      await opened.stores.ads.upsertCampaigns([
        broad('travel', { targeting: t }),
        broad('city', { targeting: { ...t, interestTags: [], cities: ['上海'] } }),
      ]);
      const profile = {
        openid: 'user-1',
        updatedAt: NOW,
        interests: { 'cat:旅行': 5 },
        counts: {},
        recent: [],
        lastActiveAt: NOW,
      };
      const personal = await serve('user-1', { profile, shared: { city: '上海' } });
      expect(
        personal.cards
          .filter((c) => c.kind === 'ad')
          .map((c) => (c.kind === 'ad' ? c.reason.code : '')),
      ).toEqual(expect.arrayContaining(['interest']));
      const optOut = await serve('user-1', {
        personalised: false,
        profile,
        shared: { city: '上海' },
      });
      expect(optOut.slateCards).toEqual([]); // the page is about 美食/火锅, not 旅行
    });

    it('serves a likely-buyers campaign only to personalised users ranked within its top share', async () => {
      const t = { interestTags: [], genders: [], ageBands: [], cities: [], scenes: [] };
      await opened.stores.ads.upsertCampaigns([
        broad('buyers', { targeting: { ...t, likelyBuyers: 0.2 } }),
      ]);
      // The option survives the adapter's round trip.
      const stored = await opened.stores.ads.getCampaign('buyers');
      expect(stored?.targeting.likelyBuyers).toBe(0.2);
      const ranked = (topShare: number, asOf = NOW - 3_600_000) => ({
        openid: 'u',
        updatedAt: NOW,
        interests: {},
        counts: {},
        recent: [],
        lastActiveAt: NOW,
        purchase: { p: 0.4, topShare, horizonDays: 30, asOf },
      });
      const adIds = (r: Awaited<ReturnType<typeof serve>>) => r.slateCards.map((c) => c.adId);
      const likely = await serve('u-likely', { profile: ranked(0.1) });
      expect(adIds(likely)).toEqual(['buyers']);
      expect(likely.cards.find((c) => c.kind === 'ad')).toMatchObject({
        reason: { code: 'buyers' },
      });
      expect(adIds(await serve('u-edge', { profile: ranked(0.2) }))).toEqual(['buyers']);
      // Below the share, never scored, opted out of personalisation, or ranked over a week ago: not eligible.
      expect(adIds(await serve('u-other', { profile: ranked(0.21) }))).toEqual([]);
      expect(adIds(await serve('u-unscored', { profile: null }))).toEqual([]);
      expect(
        adIds(await serve('u-optout', { personalised: false, profile: ranked(0.05) })),
      ).toEqual([]);
      expect(
        adIds(await serve('u-stale', { profile: ranked(0.05, NOW - 8 * 86_400_000) })),
      ).toEqual([]);
    });

    it('serves on campaign spend at most AD_STATE_TTL_MS old, re-read after it, on a new day and for a new campaign', async () => {
      // Daily budget 100 fen, bid 80: a full-bid click fits while today's spend is at most 20.
      const capped = (id: string) =>
        broad(id, { bidFen: 80, dailyBudgetFen: 100, endAt: NOW + 3 * 86_400_000 });
      const spent = (id: string) =>
        opened.stores.counters.add([{ scope: SPEND, id, bucket: DAY, field: 'spentFen', by: 90 }]);
      const served = async (at: number) =>
        (await serve('user-1', { now: at })).slateCards.map((c) => c.adId).sort();
      await opened.stores.ads.upsertCampaigns([capped('camp-1')]);
      expect(await served(NOW)).toEqual(['camp-1']);
      await spent('camp-1');
      // Inside the 1 s window the instance still serves on the spend it read (the click charge is what guards the budget).
      expect(await served(NOW + 999)).toEqual(['camp-1']);
      expect(await served(NOW + 1000)).toEqual([]);
      expect(await served(NOW + 29_500)).toEqual([]);
      // A refreshed campaign set is read at once (here, at 30 s, it brings camp-2, already spent).
      await opened.stores.ads.upsertCampaigns([capped('camp-2')]);
      await spent('camp-2');
      expect(await served(NOW + 30_000)).toEqual([]);
      // A new CST day starts from that day's spend.
      expect(await served(NOW + 86_400_000)).toEqual(['camp-1', 'camp-2']);
    });

    it('reads campaign spend on every ad page with AD_STATE_TTL_MS=0', async () => {
      deps.config = { ...deps.config, adStateTtlMs: 0 };
      await opened.stores.ads.upsertCampaigns([
        broad('camp-1', { bidFen: 80, dailyBudgetFen: 100 }),
      ]);
      expect((await serve('user-1')).slateCards.map((c) => c.adId)).toEqual(['camp-1']);
      await opened.stores.counters.add([
        { scope: SPEND, id: 'camp-1', bucket: DAY, field: 'spentFen', by: 90 },
      ]);
      expect((await serve('user-1')).slateCards).toEqual([]);
    });

    it('leaves out a campaign with a corrupted bid or creative, logs it, and still serves the rest', async () => {
      await opened.stores.ads.upsertCampaigns([
        broad('good'),
        { ...broad('bad-bid'), bidFen: Number.NaN } as Campaign,
        { ...broad('bad-creative'), creative: { title: '' } } as unknown as Campaign,
      ]);
      const served = await serve('user-1');
      expect(served.slateCards.map((c) => c.adId)).toEqual(['good']);
      expect(deps.errors.join('\n')).toMatch(/campaign excluded: corrupted.*bad-bid/);
      expect(deps.errors.join('\n')).toMatch(/campaign excluded: corrupted.*bad-creative/);
    });
  });
});
