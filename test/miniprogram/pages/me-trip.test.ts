/**
 * The Me page's 我的行程 section in miniprogram-simulate with real @vant/weapp components and a
 * stubbed `content` client: folded until asked, then the trip in order with its cities; an entry
 * opens its detail page or is removed, and what shows is the server's answer.
 */
import * as simulate from 'miniprogram-simulate';
import type { ContentRequest, ContentResponse, TripView } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import { tripSummary } from '../../../miniprogram/pages/me/trip/view';
import sectionJson from '../../../miniprogram/pages/me/trip/index.json';
import pageJson from '../../../miniprogram/pages/me/index.json';
import { loadWithVant } from '../helpers/vant';
import { tap } from '../merchant/page-helpers';
import { stubFunction } from '../helpers/stub-api';

const entry = (id: string, city: string) => ({
  item: {
    id,
    title: `${city}·${id}`,
    summary: '',
    category: '旅行',
    tags: [],
    cover: '',
    publishedAt: 0,
    place: { city },
  },
  city,
  addedAt: 1,
});
const trip = (...entries: ReturnType<typeof entry>[]): TripView => ({
  entries,
  cities: [...new Set(entries.map((e) => e.city))],
});

type AnyObject = WechatMiniprogram.IAnyObject;
type Section = simulate.RootComponent<AnyObject, AnyObject, AnyObject>;

let sectionId: string;
beforeAll(() => {
  sectionId = loadWithVant('pages/me/trip/index', 'rs-trip', sectionJson.usingComponents);
});
afterEach(() => {
  setApi(null);
  jest.restoreAllMocks();
});

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await simulate.sleep(0);
};

function open(): Section {
  const s = simulate.render(sectionId);
  s.attach(document.createElement('parent-wrapper'));
  return s;
}

const text = (s: Section): string => (s.dom as HTMLElement).textContent ?? '';

describe('me page: 我的行程 section', () => {
  it('is part of the me page', () => {
    expect(pageJson.usingComponents).toMatchObject({ 'rs-trip': './trip/index' });
  });

  it('loads nothing until unfolded, then shows the trip in order with its cities', async () => {
    const calls = stubFunction('content', (req: ContentRequest): ContentResponse => {
      if (req.action === 'trip.list')
        return { action: 'trip.list', trip: trip(entry('a', '成都'), entry('b', '杭州')) };
      throw new Error(`unexpected ${req.action}`);
    });
    const s = open();
    await settle();
    expect(calls).toEqual([]);
    await tap(s, 'rs-trip-toggle', '.van-cell');
    expect(calls).toEqual([{ action: 'trip.list' }]);
    expect(text(s)).toMatch(/1\. 成都·a[\s\S]*2\. 杭州·b/);
    expect(s.instance.data.summary).toBe('2 项 · 成都、杭州');
  });

  it('a failed load says why; unfolding again retries', async () => {
    let fail = true;
    const calls = stubFunction('content', (req: ContentRequest): ContentResponse | Error => {
      if (req.action === 'trip.list')
        return fail
          ? new ApiError('UNAVAILABLE', '服务暂时不可用，请稍后重试')
          : { action: 'trip.list', trip: trip(entry('a', '成都')) };
      throw new Error(`unexpected ${req.action}`);
    });
    const s = open();
    await tap(s, 'rs-trip-toggle', '.van-cell');
    expect(text(s)).toContain('服务暂时不可用，请稍后重试');
    fail = false;
    await tap(s, 'rs-trip-toggle', '.van-cell'); // folds
    await tap(s, 'rs-trip-toggle', '.van-cell');
    expect(calls).toHaveLength(2);
    expect(text(s)).not.toContain('服务暂时不可用');
    expect(s.instance.data.summary).toBe('1 项 · 成都');
  });

  it('removes an entry and shows what the server answers; a failure is a toast', async () => {
    const toast = jest.spyOn(wx, 'showToast');
    let fail = false;
    const calls = stubFunction('content', (req: ContentRequest): ContentResponse | Error => {
      if (req.action === 'trip.list')
        return { action: 'trip.list', trip: trip(entry('a', '成都'), entry('b', '杭州')) };
      if (req.action === 'trip.remove')
        return fail
          ? new ApiError('UNAVAILABLE', '服务暂时不可用，请稍后重试')
          : { action: 'trip.remove', trip: trip(entry('b', '杭州')) };
      throw new Error(`unexpected ${req.action}`);
    });
    const s = open();
    await tap(s, 'rs-trip-toggle', '.van-cell');
    await tap(s, 'rs-trip-remove-a', '.van-button');
    expect(calls[calls.length - 1]).toEqual({ action: 'trip.remove', itemId: 'a' });
    expect(s.instance.data.rows.map((r: { id: string }) => r.id)).toEqual(['b']);
    expect(s.instance.data.summary).toBe('1 项 · 杭州');
    fail = true;
    await tap(s, 'rs-trip-remove-b', '.van-button');
    expect(toast).toHaveBeenLastCalledWith(
      expect.objectContaining({ title: '服务暂时不可用，请稍后重试' }),
    );
    expect(s.instance.data.rows).toHaveLength(1);
  });

  it('opens an entry’s detail page', async () => {
    stubFunction('content', () => ({ action: 'trip.list', trip: trip(entry('a', '成都')) }));
    const navigate = jest.spyOn(wx, 'navigateTo').mockImplementation(() => undefined as never);
    const s = open();
    await tap(s, 'rs-trip-toggle', '.van-cell');
    const row = (s.dom as HTMLElement).querySelector('[class*="rs-trip__main"]');
    expect(row).toBeTruthy();
    s.querySelectorAll('.rs-trip__main')[0].dispatchEvent('tap');
    await settle();
    expect(navigate).toHaveBeenCalledWith({ url: '/pages/detail/index?itemId=a' });
  });

  it('words an empty trip', () => {
    expect(tripSummary({ entries: [], cities: [] })).toBe('还没有行程');
  });
});
