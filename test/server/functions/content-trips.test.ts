/**
 * 行程 (旅游出行) through `content` on both adapters: saving travel items (consent needed, only
 * items with a place, repeats harmless, at most 50), the order and cities of the trip, removal,
 * bad input changing nothing, and the trip in the export and gone after erasure.
 */
import type { ApiResult, ContentResponse, TripView } from '../../../typings';
import account from '../../../server/functions/account';
import content from '../../../server/functions/content';
import { MAX_TRIP } from '../../../server/content/trips';
import { toHandler } from '../../../server/runtime/function';
import { makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const contentH = toHandler(content);
const accountH = toHandler(account);
const NOW = Date.UTC(2026, 11, 6, 3, 0, 0);
const ME = 'demo-user-1';
const place = (city: string) => ({ city, lat: 30, lng: 104 });

describe.each(bothAdapters)('the trip (行程) on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const call = (payload: object, openid = ME): Promise<ApiResult<ContentResponse>> =>
    contentH({ payload, openid }, deps);
  const trip = async (payload: object, openid = ME): Promise<TripView> => {
    const res = await call(payload, openid);
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
    return (res.data as { trip: TripView }).trip;
  };
  const ids = (t: TripView) => t.entries.map((e) => e.item.id);
  const consent = (openid = ME) =>
    accountH(
      { payload: { action: 'consent.set', noticeVersion: 'v1', granted: true }, openid },
      deps,
    );

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    await opened.stores.catalog.upsert([
      makeItem('kuanzhai', { category: '旅行', place: place('成都') }),
      makeItem('westlake', { category: '旅行', place: place('杭州') }),
      makeItem('dujiangyan', { category: '旅行', place: place('成都') }),
      makeItem('hotpot'),
      makeItem('gone', { category: '旅行', place: place('成都'), status: 'unpublished' }),
    ]);
  });
  afterEach(() => opened.cleanup());

  it('saves travel items in the order added, with their cities, and removes them', async () => {
    expect(await call({ action: 'trip.add', itemId: 'kuanzhai' })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(await opened.stores.trips.list(ME, 10)).toEqual([]);
    await consent();
    await trip({ action: 'trip.add', itemId: 'kuanzhai' });
    deps.setNow(NOW + 1000);
    await trip({ action: 'trip.add', itemId: 'westlake' });
    deps.setNow(NOW + 2000);
    const t = await trip({ action: 'trip.add', itemId: 'dujiangyan' });
    expect(ids(t)).toEqual(['kuanzhai', 'westlake', 'dujiangyan']);
    expect(t.cities).toEqual(['成都', '杭州']);
    expect(t.entries[0]).toMatchObject({
      city: '成都',
      addedAt: NOW,
      item: { place: { city: '成都' } },
    });
    // A repeated add keeps the first place in the order.
    deps.setNow(NOW + 3000);
    expect(ids(await trip({ action: 'trip.add', itemId: 'kuanzhai' }))).toEqual(ids(t));
    expect(ids(await trip({ action: 'trip.remove', itemId: 'westlake' }))).toEqual([
      'kuanzhai',
      'dujiangyan',
    ]);
    expect((await trip({ action: 'trip.list' })).cities).toEqual(['成都']);
    // Removing what is not there is harmless; another user's trip is their own.
    expect(ids(await trip({ action: 'trip.remove', itemId: 'westlake' }))).toHaveLength(2);
    expect(await trip({ action: 'trip.list' }, 'someone-else')).toEqual({
      entries: [],
      cities: [],
    });
  });

  it('refuses items without a place, unknown or unpublished ones, bad input, and a 51st entry', async () => {
    await consent();
    expect(await call({ action: 'trip.add', itemId: 'hotpot' })).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/带地点/),
    });
    for (const itemId of ['nope', 'gone'])
      expect(await call({ action: 'trip.add', itemId })).toMatchObject({
        ok: false,
        code: 'NOT_FOUND',
      });
    for (const payload of [
      { action: 'trip.add' },
      { action: 'trip.add', itemId: '' },
      { action: 'trip.add', itemId: { $ne: null } },
      { action: 'trip.add', itemId: 'kuanzhai', openid: 'other' },
      { action: 'trip.list', limit: 5 },
    ])
      expect(await call(payload)).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(await opened.stores.trips.list(ME, 10)).toEqual([]);

    await opened.stores.catalog.upsert(
      Array.from({ length: MAX_TRIP + 1 }, (_, i) =>
        makeItem(`sight-${i}`, { category: '旅行', place: place('成都') }),
      ),
    );
    for (let i = 0; i < MAX_TRIP; i++) await opened.stores.trips.add(ME, `sight-${i}`, NOW + i);
    expect(await call({ action: 'trip.add', itemId: `sight-${MAX_TRIP}` })).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/最多 50 项/),
    });
    expect(ids(await trip({ action: 'trip.add', itemId: 'sight-0' }))).toHaveLength(MAX_TRIP);
  });

  it('is exported with the user and gone after their erasure', async () => {
    await consent();
    await trip({ action: 'trip.add', itemId: 'kuanzhai' });
    await consent('another-user');
    await trip({ action: 'trip.add', itemId: 'westlake' }, 'another-user');
    const seen: string[] = [];
    for (let cursor: string | undefined, n = 0; n < 50; n++) {
      const res = await accountH(
        { payload: { action: 'export.page', ...(cursor ? { cursor } : {}) }, openid: ME },
        deps,
      );
      if (!res.ok) throw new Error(res.message);
      const page = (
        res.data as { page: { collection: string; records: object[]; cursor: string | null } }
      ).page;
      if (page.collection === 'trips') seen.push(JSON.stringify(page.records));
      if (page.cursor === null) break;
      cursor = page.cursor;
    }
    expect(seen.join('')).toContain('kuanzhai');
    expect(seen.join('')).not.toContain('westlake');
    let res = await accountH({ payload: { action: 'erase.start' }, openid: ME }, deps);
    for (let i = 0; i < 20; i++) {
      if (res.ok && (res.data as { erasure: { status: string } | null }).erasure?.status === 'done')
        break;
      // The job finishes once warm recommend instances have had time to reload the scrubbed model.
      deps.setNow(deps.now() + 60_000);
      res = await accountH({ payload: { action: 'erase.status' }, openid: ME }, deps);
    }
    expect(res).toMatchObject({ ok: true, data: { erasure: { status: 'done' } } });
    expect(await opened.stores.trips.list(ME, 10)).toEqual([]);
    expect(await opened.stores.trips.list('another-user', 10)).toHaveLength(1);
  });
});
