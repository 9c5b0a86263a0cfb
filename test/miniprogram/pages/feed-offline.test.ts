/**
 * The feed offline (issue 20: offline and network changes), in miniprogram-simulate with real
 * @vant/weapp components: the channel's last first page from the device when the network is
 * gone (content only, marked with its age, no load-more), an automatic reload when the network
 * comes back, hides and location-ranked pages kept out of the copy, and the copy's bounds.
 */
import * as simulate from 'miniprogram-simulate';
import type { RecommendResponse } from '../../../typings';
import { setTracker } from '../../../miniprogram/services/analytics';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import {
  MAX_AGE_MS,
  MAX_CHANNELS,
  clearFeedCache,
  loadFeedPage,
  offlineNotice,
  saveFeedPage,
} from '../../../miniprogram/services/feed-cache';
import pageJson from '../../../miniprogram/pages/feed/index.json';
import { loadWithVant } from '../helpers/vant';
import { inOrder, stubFunction } from '../helpers/stub-api';
import { texts } from '../helpers/texts';
import { recordingTracker } from '../helpers/recording-tracker';
import { memoryStorage } from '../helpers/storage';
import { adCard as ad, contentCard as card } from '../helpers/feed-cards';

const offline = () => new ApiError('NETWORK', '网络连接失败');
const stubRecommend = (...answers: Array<RecommendResponse | Error>) =>
  stubFunction('recommend', inOrder(answers));

type AnyObject = WechatMiniprogram.IAnyObject;
type FeedPage = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: { onLoad(q?: object): Promise<void>; onReachBottom(): Promise<void> };
};

let pageId: string;
let network: Array<(res: { isConnected: boolean }) => void>;

beforeAll(() => {
  pageId = loadWithVant('pages/feed/index', 'feed-page', pageJson.usingComponents);
});

beforeEach(() => {
  memoryStorage();
  recordingTracker();
  network = [];
  jest
    .spyOn(wx, 'onNetworkStatusChange')
    .mockImplementation((l) => void network.push(l as (res: { isConnected: boolean }) => void));
});

afterEach(() => {
  setApi(null);
  setTracker(null);
  jest.restoreAllMocks();
});

async function open(query: object = {}): Promise<FeedPage> {
  const page = simulate.render(pageId) as unknown as FeedPage;
  page.attach(document.createElement('parent-wrapper'));
  await page.instance.onLoad(query);
  await simulate.sleep(0);
  return page;
}

const summaries = (page: FeedPage) => texts(page, 'rs-feed-card', 'rs-feed-card__summary');

describe('feed offline', () => {
  it('shows the last first page of content, marked, without ads or load-more, and reloads when the network is back', async () => {
    const calls = stubRecommend(
      { slateId: 's1', cursor: 'cur-2', cards: [card('a', 0), ad(1), card('b', 2)] },
      offline(),
      { slateId: 's3', cursor: null, cards: [card('c', 0)] },
    );
    await open(); // online: the page is kept
    const page = await open(); // a later launch, offline
    expect(calls).toHaveLength(2);
    expect(summaries(page)).toEqual(['摘要 a', '摘要 b']);
    expect(texts(page, 'feed-page', 'rs-feed__offline')).toEqual([
      '网络不可用，显示的是刚才加载的内容',
    ]);
    expect(texts(page, 'feed-page', 'rs-feed__end')).toEqual(['联网后可加载更多']);
    await page.instance.onReachBottom();
    expect(calls).toHaveLength(2); // no cursor offline

    network.forEach((l) => l({ isConnected: false }));
    await simulate.sleep(0);
    expect(calls).toHaveLength(2);
    network.forEach((l) => l({ isConnected: true }));
    await simulate.sleep(0);
    expect(calls).toHaveLength(3);
    expect(summaries(page)).toEqual(['摘要 c']);
    expect(texts(page, 'feed-page', 'rs-feed__offline')).toEqual([]);
  });

  it('with no copy, shows the offline state, and loads by itself when the network is back', async () => {
    const calls = stubRecommend(offline(), { slateId: 's2', cursor: null, cards: [card('a', 0)] });
    const page = await open();
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '网络不可用，请检查网络设置',
    ]);
    network.forEach((l) => l({ isConnected: true }));
    await simulate.sleep(0);
    expect(calls).toHaveLength(2);
    expect(summaries(page)).toEqual(['摘要 a']);
  });

  it('keeps one copy per channel: another channel offline has none', async () => {
    stubRecommend({ slateId: 's1', cursor: null, cards: [card('a', 0)] }, offline());
    await open();
    const page = await open({ channel: '科技' });
    expect(summaries(page)).toEqual([]);
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '网络不可用，请检查网络设置',
    ]);
  });

  it('a card hidden with 不感兴趣 is gone from the copy too', async () => {
    jest
      .spyOn(wx, 'showActionSheet')
      .mockResolvedValueOnce({ tapIndex: 0, errMsg: 'showActionSheet:ok' } as never)
      .mockResolvedValueOnce({ tapIndex: 0, errMsg: 'showActionSheet:ok' } as never);
    stubRecommend({ slateId: 's1', cursor: null, cards: [card('a', 0), card('b', 1)] }, offline());
    const first = await open();
    const menu = first
      .querySelectorAll('.rs-feed__card-view')[0]
      ?.querySelector('.rs-feed-card__menu');
    menu?.dispatchEvent('tap');
    await simulate.sleep(0);
    expect(summaries(first)).toEqual(['摘要 b']);
    const page = await open();
    expect(summaries(page)).toEqual(['摘要 b']);
  });

  it('a page ranked for a shared location is not kept', async () => {
    stubRecommend({ slateId: 's1', cursor: null, cards: [card('a', 0)] });
    const page = await open({ channel: '旅行' });
    // The place bar's 附近 choice: the next load sends the location.
    (page.instance as unknown as { place: object }).place = {
      location: { latitude: 30.6, longitude: 104.1 },
    };
    stubRecommend({ slateId: 's2', cursor: null, cards: [card('n', 0)] }, offline());
    await (page.instance as unknown as { load(): Promise<void> }).load();
    expect(loadFeedPage(wx, '旅行', Date.now())?.slateId).toBe('s1');
  });
});

describe('feed cache', () => {
  const now = Date.UTC(2026, 11, 6);

  it('shows nothing older than a week, or from the future', () => {
    saveFeedPage(wx, undefined, 's1', [card('a', 0)], now);
    expect(loadFeedPage(wx, undefined, now + MAX_AGE_MS)?.slateId).toBe('s1');
    expect(loadFeedPage(wx, undefined, now + MAX_AGE_MS + 1)).toBeNull();
    expect(loadFeedPage(wx, undefined, now - 3_600_000)).toBeNull();
  });

  it('keeps at most MAX_CHANNELS channels, dropping the least recently saved', () => {
    for (let i = 0; i <= MAX_CHANNELS; i++) saveFeedPage(wx, `c${i}`, `s${i}`, [card('a', 0)], now);
    expect(loadFeedPage(wx, 'c0', now)).toBeNull();
    expect(loadFeedPage(wx, 'c1', now)?.slateId).toBe('s1');
    expect(loadFeedPage(wx, `c${MAX_CHANNELS}`, now)?.slateId).toBe(`s${MAX_CHANNELS}`);
  });

  it('skips a page too large to keep, and a page of ads only', () => {
    const big = card('a', 0);
    big.item.summary = '长'.repeat(70_000);
    saveFeedPage(wx, undefined, 's1', [big], now);
    saveFeedPage(wx, '美食', 's2', [ad(0)], now);
    expect(loadFeedPage(wx, undefined, now)).toBeNull();
    expect(loadFeedPage(wx, '美食', now)).toBeNull();
  });

  it('is cleared whole (after an erasure)', () => {
    saveFeedPage(wx, undefined, 's1', [card('a', 0)], now);
    saveFeedPage(wx, '美食', 's2', [card('b', 0)], now);
    clearFeedCache(wx);
    expect(loadFeedPage(wx, undefined, now)).toBeNull();
    expect(loadFeedPage(wx, '美食', now)).toBeNull();
  });

  it('says how old the copy is', () => {
    expect(offlineNotice(now - 5 * 60_000, now)).toBe('网络不可用，显示的是5 分钟前加载的内容');
    expect(offlineNotice(now - 3 * 3_600_000, now)).toBe('网络不可用，显示的是3 小时前加载的内容');
    expect(offlineNotice(now - 2 * 86_400_000, now)).toBe('网络不可用，显示的是2 天前加载的内容');
  });
});
