/**
 * 旅游出行 through `recommend` on both adapters: a location shared with the request brings the
 * travel items near it and shows their distance; a destination city brings that city's; the
 * location counts only while personalised and is kept nowhere but the cursor, where an
 * implausible jump between pages is not believed; bad coordinates are refused.
 */
import type { ApiResult, ContentCard, RecommendResponse } from '../../../typings';
import account from '../../../server/functions/account';
import recommend from '../../../server/functions/recommend';
import { locatedFor, openSession } from '../../../server/serving/session';
import { toHandler } from '../../../server/runtime/function';
import { makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const accountH = toHandler(account);
const recommendH = toHandler(recommend);
const NOW = Date.UTC(2026, 11, 6, 2, 0, 0);
const ME = 'demo-user-1';
const CHENGDU = { lat: 30.6702, lng: 104.0585 };
const HANGZHOU = { lat: 30.2437, lng: 120.1502 };

describe('locatedFor', () => {
  const first = openSession(undefined, 'foryou');
  it('rounds a location to about 100 m and believes any first one', () => {
    expect(locatedFor(first, { lat: 30.67019, lng: 104.05851 }, NOW)).toEqual({
      located: { lat: 30.67, lng: 104.059, at: NOW },
      jumped: false,
    });
    expect(locatedFor(first, undefined, NOW)).toEqual({ located: null, jumped: false });
  });

  it('keeps the previous location when the new one is farther than an airliner could have flown', () => {
    const before = { ...first, located: { ...CHENGDU, at: NOW } };
    // 1,660 km in ten minutes: not believed.
    expect(locatedFor(before, HANGZHOU, NOW + 10 * 60_000)).toEqual({
      located: before.located,
      jumped: true,
    });
    // The same in three hours: a flight.
    expect(locatedFor(before, HANGZHOU, NOW + 3 * 3_600_000).jumped).toBe(false);
    // Thirty km within a second: positioning noise, believed.
    expect(locatedFor(before, { lat: 30.9, lng: 104.1 }, NOW + 1000).jumped).toBe(false);
  });
});

describe.each(bothAdapters)('recommend with a place on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const get = (payload: object): Promise<ApiResult<RecommendResponse>> =>
    recommendH({ payload, openid: ME }, deps);
  const page = async (payload: object): Promise<RecommendResponse> => {
    const res = await get(payload);
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
    return res.data;
  };
  const travel = (r: RecommendResponse) =>
    r.cards
      .filter((c): c is ContentCard => c.kind === 'content' && c.item.place !== undefined)
      .map((c) => c.item);

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    await opened.stores.catalog.upsert([
      ...Array.from({ length: 20 }, (_, i) =>
        makeItem(`food-${i}`, { publishedAt: NOW - i * 60_000 }),
      ),
      ...[0, 1].map((k) =>
        makeItem(`chengdu-${k}`, {
          category: '旅行',
          tags: ['攻略'],
          publishedAt: NOW - 40 * 86_400_000,
          place: { city: '成都', lat: CHENGDU.lat + k * 0.05, lng: CHENGDU.lng },
        }),
      ),
      ...[0, 1].map((k) =>
        makeItem(`hangzhou-${k}`, {
          category: '旅行',
          tags: ['攻略'],
          publishedAt: NOW - 40 * 86_400_000,
          place: { city: '杭州', lat: HANGZHOU.lat + k * 0.05, lng: HANGZHOU.lng },
        }),
      ),
    ]);
    const res = await accountH(
      { payload: { action: 'consent.set', noticeVersion: 'v1', granted: true }, openid: ME },
      deps,
    );
    expect(res.ok).toBe(true);
  });
  afterEach(() => opened.cleanup());

  it('brings travel items near the shared location first, with their distance, and stores no location', async () => {
    const plain = travel(await page({ limit: 10 }));
    expect(plain.every((i) => i.place?.distanceKm === undefined)).toBe(true);
    deps.setNow(NOW + 1000);
    const r = await page({ limit: 10, location: { lat: 30.66, lng: 104.06 } });
    expect(travel(r)).toEqual([
      expect.objectContaining({ id: 'chengdu-0', place: { city: '成都', distanceKm: 1.1 } }),
      expect.objectContaining({ id: 'chengdu-1', place: { city: '成都', distanceKm: 6.7 } }),
    ]);
    // The location is in no stored record (slates, settings).
    const dump = JSON.stringify(await opened.stores.slates.get([r.slateId]));
    expect(dump).toContain('chengdu-0');
    expect(dump).not.toMatch(/30\.66|104\.06/);
    expect(JSON.stringify(await opened.stores.privacy.getSettings(ME))).not.toMatch(/30\.66/);
  });

  it('brings a destination city’s items, also with personalisation off, when the location is ignored', async () => {
    const ids = (r: RecommendResponse) =>
      travel(r)
        .map((i) => i.id)
        .sort();
    expect(ids(await page({ limit: 10, destination: '杭州市' }))).toEqual([
      'hangzhou-0',
      'hangzhou-1',
    ]);
    await accountH(
      { payload: { action: 'personalization.set', enabled: false }, openid: ME },
      deps,
    );
    deps.setNow(NOW + 1000);
    const r = await page({ limit: 10, location: CHENGDU, destination: '杭州' });
    expect(ids(r)).toEqual(['hangzhou-0', 'hangzhou-1']);
    expect(travel(r).every((i) => i.place?.distanceKm === undefined)).toBe(true);
    deps.setNow(NOW + 2000);
    const located = travel(await page({ limit: 10, location: CHENGDU }));
    expect(located.every((i) => i.place?.distanceKm === undefined)).toBe(true);
  });

  it('keeps the previous location on the next page when the new one jumped implausibly', async () => {
    const first = await page({ limit: 3, location: CHENGDU });
    expect(travel(first).map((i) => i.id)).toEqual(['chengdu-0', 'chengdu-1']);
    deps.setNow(NOW + 60_000);
    const next = await page({ limit: 20, cursor: first.cursor, location: HANGZHOU });
    const hangzhou = travel(next).filter((i) => i.id.startsWith('hangzhou'));
    expect(hangzhou).toHaveLength(2);
    // Distances are still from 成都: the jump to 杭州 within a minute is not believed.
    for (const i of hangzhou) expect(i.place?.distanceKm).toBeGreaterThan(1500);
  });

  it('refuses impossible coordinates and a malformed destination, and serves nothing for them', async () => {
    for (const payload of [
      { location: { lat: 91, lng: 104 } },
      { location: { lat: 30, lng: -181 } },
      { location: { lat: 30 } },
      { location: { lat: '30', lng: 104 } },
      { location: { lat: 30, lng: 104, accuracy: 5 } },
      { destination: '' },
      { destination: '<script>' },
      { destination: '杭'.repeat(40) },
    ]) {
      expect(await get({ limit: 5, ...payload })).toMatchObject({
        ok: false,
        code: 'INVALID_INPUT',
      });
    }
    // Refused before anything was served: no slate of the caller's was logged.
    expect((await opened.stores.personal.read('slates', ME, null, 10)).records).toEqual([]);
  });
});
