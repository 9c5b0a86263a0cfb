/**
 * The feed's 旅行 channel in miniprogram-simulate with real @vant/weapp components: its place bar
 * asks for the location only when 附近 is tapped and sends it with the channel's requests, says
 * so when the permission is refused, picks a destination, and the cards show city and distance.
 */
import * as simulate from 'miniprogram-simulate';
import type { ContentCard, RecommendResponse } from '../../../typings';
import { setTracker } from '../../../miniprogram/services/analytics';
import { setApi } from '../../../miniprogram/services/api';
import { placeText } from '../../../miniprogram/pages/feed/card-view';
import pageJson from '../../../miniprogram/pages/feed/index.json';
import { loadWithVant } from '../helpers/vant';
import { inOrder, stubFunction } from '../helpers/stub-api';
import { texts } from '../helpers/texts';
import { recordingTracker } from '../helpers/recording-tracker';

const sight = (id: string, distanceKm?: number): ContentCard => ({
  kind: 'content',
  position: 0,
  item: {
    id,
    title: `宽窄巷子 ${id}`,
    summary: '成都·宽窄巷子｜攻略',
    category: '旅行',
    tags: ['攻略', '成都'],
    cover: '',
    publishedAt: 0,
    place: { city: '成都', ...(distanceKm === undefined ? {} : { distanceKm }) },
  },
});
const answer = (c: ContentCard): RecommendResponse => ({ slateId: 's', cursor: null, cards: [c] });

type AnyObject = WechatMiniprogram.IAnyObject;
type Page = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: { onLoad(q?: object): Promise<void> };
};
type Wx = Record<string, unknown>;

let pageId: string;
beforeAll(() => {
  pageId = loadWithVant('pages/feed/index', 'feed-travel-page', pageJson.usingComponents);
});
afterEach(() => {
  setApi(null);
  setTracker(null);
  delete (wx as unknown as Wx).getLocation;
  delete (wx as unknown as Wx).openSetting;
});

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await simulate.sleep(0);
};

async function open(channel?: string): Promise<Page> {
  recordingTracker();
  const page = simulate.render(pageId) as unknown as Page;
  page.attach(document.createElement('parent-wrapper'));
  await page.instance.onLoad(channel ? { channel } : {});
  return page;
}

/** A node inside the place bar's shadow tree. */
function inBar(page: Page, id: string, inner: string) {
  const node = page.querySelector('#rs-feed-place')?.querySelector(`#${id}`)?.querySelector(inner);
  if (!node) throw new Error(`no ${inner} inside #${id}`);
  return node;
}

async function tapBar(page: Page, id: string): Promise<void> {
  inBar(page, id, '.van-button').dispatchEvent('tap');
  await settle();
}

describe('feed page: 旅行 channel', () => {
  it('shows the place bar only in 旅行, and asks for no location until 附近 is tapped', async () => {
    stubFunction('recommend', inOrder([answer(sight('a'))]));
    const plain = await open();
    expect(plain.querySelector('#rs-feed-place')).toBeFalsy();

    const getLocation = jest.fn(async () => ({ latitude: 30.66, longitude: 104.06 }));
    (wx as unknown as Wx).getLocation = getLocation;
    const calls = stubFunction('recommend', inOrder([answer(sight('a')), answer(sight('a', 1.1))]));
    const page = await open('旅行');
    expect(page.querySelector('#rs-feed-place')).toBeTruthy();
    expect(getLocation).not.toHaveBeenCalled();
    expect(calls).toEqual([{ limit: 10, channel: '旅行' }]);
    expect(texts(page, 'van-tag', 'van-tag')).toContain('旅行 · 成都');

    await tapBar(page, 'rs-place-locate');
    expect(getLocation).toHaveBeenCalledWith({ type: 'gcj02' });
    expect(calls[1]).toEqual({ limit: 10, channel: '旅行', location: { lat: 30.66, lng: 104.06 } });
    expect(texts(page, 'van-tag', 'van-tag')).toContain('旅行 · 成都 1.1 km');
  });

  it('says the permission was refused and offers the settings, sending no location', async () => {
    (wx as unknown as Wx).getLocation = jest.fn(async () => {
      throw { errMsg: 'getLocation:fail auth deny' };
    });
    const openSetting = jest.fn();
    (wx as unknown as Wx).openSetting = openSetting;
    const calls = stubFunction('recommend', inOrder([answer(sight('a'))]));
    const page = await open('旅行');
    await tapBar(page, 'rs-place-locate');
    expect(calls).toHaveLength(1);
    const bar = page.querySelector('#rs-feed-place')!;
    expect(((bar.dom as HTMLElement).textContent ?? '').trim()).toMatch(/未允许使用位置.*去设置/);
    bar.querySelector('#rs-place-setting')!.dispatchEvent('tap');
    await settle();
    expect(openSetting).toHaveBeenCalled();
  });

  it('sends a picked destination, and 清除 goes back to no place', async () => {
    const calls = stubFunction(
      'recommend',
      inOrder([answer(sight('a')), answer(sight('b')), answer(sight('c'))]),
    );
    const page = await open('旅行');
    await tapBar(page, 'rs-place-destination');
    const picker = page
      .querySelector('#rs-feed-place')!
      .querySelector('#rs-place-picker') as unknown as {
      instance: { setColumnIndex(c: number, i: number): Promise<void> };
      querySelector(sel: string): { dispatchEvent(name: string): void } | undefined;
    };
    await picker.instance.setColumnIndex(0, 5); // 杭州
    picker.querySelector('.van-picker__confirm')!.dispatchEvent('tap');
    await settle();
    expect(calls[1]).toEqual({ limit: 10, channel: '旅行', destination: '杭州' });
    await tapBar(page, 'rs-place-clear');
    expect(calls[2]).toEqual({ limit: 10, channel: '旅行' });
  });

  it('words a place with and without a distance', () => {
    expect(placeText({ city: '成都' })).toBe('成都');
    expect(placeText({ city: '成都', distanceKm: 6.7 })).toBe('成都 6.7 km');
  });
});
