/**
 * The feed page in miniprogram-simulate with real @vant/weapp components and a stubbed API
 * client: what a person would see for items, an empty slate, an error, offline, and the next page,
 * and what channel tabs and the card menu (不感兴趣 / 为什么看到这条广告) send.
 */
import * as simulate from 'miniprogram-simulate';
import type { FeedCard, RecommendRequest, RecommendResponse } from '../../../typings';
import { setTracker } from '../../../miniprogram/services/analytics';
import { setApi, type ApiClient } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import pageJson from '../../../miniprogram/pages/feed/index.json';
import { loadWithVant } from '../helpers/vant';
import { inOrder, stubFunction } from '../helpers/stub-api';
import { texts } from '../helpers/texts';
import { recordingTracker, tapsOf } from '../helpers/recording-tracker';
import { tapRetry } from '../helpers/load-state';
import { markFeedStale } from '../../../miniprogram/services/feed-refresh';
import { adCard, contentCard } from '../helpers/feed-cards';
import { GENERAL_FEED_TABS } from '../helpers/channels';

const card = (id: string, position: number, title = `标题 ${id}`) =>
  contentCard(id, position, { title });

/** A stub client: each recommend call takes the next scripted answer (a response or an error). */
const stubApi = (...answers: Array<RecommendResponse | Error>): RecommendRequest[] =>
  stubFunction('recommend', inOrder(answers));

let pageId: string;

beforeAll(() => {
  // Load once: simulate runs the page's JS through require, which jest caches per file.
  pageId = loadWithVant('pages/feed/index', 'feed-page', pageJson.usingComponents);
});

afterEach(() => {
  setApi(null);
  setTracker(null);
});

type AnyObject = WechatMiniprogram.IAnyObject;
/** The rendered page, with the page methods the tests drive (the runtime calls them on a real device). */
type FeedPage = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: {
    onLoad(q?: object): Promise<void>;
    onReachBottom(): Promise<void>;
    onPullDownRefresh(): Promise<void>;
  };
};

async function open(): Promise<FeedPage> {
  const page = simulate.render(pageId) as unknown as FeedPage;
  page.attach(document.createElement('parent-wrapper'));
  await page.instance.onLoad({});
  return page;
}

/** The "…" of the card at `index`, inside its feed-card component. */
function menu(page: FeedPage, index: number): { dispatchEvent(name: string): void } {
  const views = page.querySelectorAll('.rs-feed__card-view');
  const node = views[index]?.querySelector('.rs-feed-card__menu');
  if (!node) throw new Error(`no menu on card ${index}`);
  return node;
}

const html = (page: FeedPage): string => (page.dom as HTMLElement).innerHTML;
/** How many vant skeletons rendered (their own title rows: not empty <van-skeleton> tags). */
const skeletons = (page: FeedPage): number =>
  html(page).split('van-skeleton--van-skeleton__title').length - 1;

interface JsonNode {
  tagName?: string;
  attrs?: Array<{ name: string; value: unknown }>;
  children?: Array<JsonNode | string>;
}

/** Attributes of every node with a tag name in simulate's JSON tree (shadow trees included). */
function findAttrs(node: unknown, tagName: string): Array<Record<string, unknown>> {
  if (!node || typeof node !== 'object') return [];
  const n = node as JsonNode;
  const own =
    n.tagName === tagName
      ? [Object.fromEntries((n.attrs ?? []).map((a) => [a.name, a.value]))]
      : [];
  return [...own, ...(n.children ?? []).flatMap((c) => findAttrs(c, tagName))];
}

describe('feed page', () => {
  it("tracks a card's viewable impression after 1 s at ≥ 50 % and its tap, with slate and position", async () => {
    const tracked = recordingTracker();
    stubApi({ slateId: 'slate-1', cursor: null, cards: [card('a', 0), card('b', 1)] });
    const page = simulate.render(pageId) as unknown as FeedPage;
    // jsdom lays nothing out, so the test plays the intersection observer.
    let onChange: (res: object) => void = () => undefined;
    let selector = '';
    const observer = {
      relativeToViewport: () => observer,
      observe: (sel: string, cb: (res: object) => void) => {
        selector = sel;
        onChange = cb;
      },
      disconnect: () => undefined,
    };
    Object.assign(page.instance, { createIntersectionObserver: () => observer });
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad({});
    expect(selector).toBe('.rs-feed__card');

    jest.useFakeTimers();
    try {
      onChange({
        dataset: { slateId: 'slate-1', position: 1, itemId: 'b' },
        intersectionRatio: 0.4,
      });
      onChange({
        dataset: { slateId: 'slate-1', position: 0, itemId: 'a' },
        intersectionRatio: 0.6,
      });
      jest.advanceTimersByTime(999);
      expect(tracked).toEqual([]);
      jest.advanceTimersByTime(1);
    } finally {
      jest.useRealTimers();
    }
    expect(tracked).toEqual([['impression', { slateId: 'slate-1', position: 0, itemId: 'a' }]]);

    const cards = page.querySelectorAll('.rs-feed__card');
    expect(cards).toHaveLength(2);
    const navigate = jest.spyOn(wx, 'navigateTo');
    cards[1].dispatchEvent('tap');
    await simulate.sleep(0);
    expect(tracked[1]).toEqual(['click', { slateId: 'slate-1', position: 1, itemId: 'b' }]);
    expect(navigate).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/detail/index?itemId=b&slateId=slate-1&position=1' }),
    );
    navigate.mockRestore();
  });

  it('opens 搜索 from the entry above the channels', async () => {
    stubApi({ slateId: 's1', cursor: null, cards: [card('a', 0, '春日野餐指南')] });
    const page = await open();
    const navigate = jest.spyOn(wx, 'navigateTo').mockImplementation(() => undefined as never);
    expect(page.querySelector('#rs-feed-search')?.dom?.textContent).toContain('搜索内容、标签');
    page.querySelector('#rs-feed-search')?.dispatchEvent('tap');
    await simulate.sleep(0);
    expect(navigate.mock.calls).toEqual([[{ url: '/pages/search/index' }]]);
    navigate.mockRestore();
  });

  it('renders each returned card through vant: cell title and label, category tag', async () => {
    const calls = stubApi({
      slateId: 's1',
      cursor: null,
      cards: [card('a', 0, '春日野餐指南'), card('b', 1, '城市骑行路线')],
    });
    const page = await open();

    expect(calls).toEqual([{ limit: 10 }]);
    // The feed-card component's own template produced these nodes: not an empty <rs-feed-card> tag.
    expect(texts(page, 'rs-feed-card', 'rs-feed-card__title')).toEqual([
      '春日野餐指南',
      '城市骑行路线',
    ]);
    expect(texts(page, 'rs-feed-card', 'rs-feed-card__summary')).toEqual(['摘要 a', '摘要 b']);
    expect(texts(page, 'van-tag', 'van-tag')).toEqual(['美食', '美食']);
    expect(texts(page, 'feed-page', 'rs-feed__end')).toEqual(['没有更多了']);
    expect(html(page)).not.toContain('van-empty');
  });

  it('names the tapped features: a card tap sends feed.card before its click, the search entry feed.search', async () => {
    const tracked = recordingTracker({ withTaps: true });
    stubApi({ slateId: 's1', cursor: null, cards: [card('a', 0), card('b', 1)] });
    const page = await open();
    const navigate = jest.spyOn(wx, 'navigateTo');
    page.querySelectorAll('.rs-feed__card')[1].dispatchEvent('tap');
    await simulate.sleep(0);
    expect(tracked).toEqual([
      ['tap', { feature: 'feed.card' }],
      ['click', { itemId: 'b', slateId: 's1', position: 1 }],
    ]);
    page.querySelector('#rs-feed-search')?.dispatchEvent('tap');
    await simulate.sleep(0);
    expect(tapsOf(tracked)).toEqual(['feed.card', 'feed.search']);
    navigate.mockRestore();
  });

  it('renders an ad card marked 广告 with its advertiser, and its tap names the ad, not an item', async () => {
    const tracked = recordingTracker();
    const ad = adCard(1);
    stubApi({ slateId: 's1', cursor: null, cards: [card('a', 0), ad] });
    const page = await open();

    expect(texts(page, 'rs-feed-card', 'rs-feed-card__title')).toEqual(['标题 a', '新店开业']);
    expect(texts(page, 'van-tag', 'van-tag')).toEqual(['美食', '广告 · 川味小馆']);
    const navigate = jest.spyOn(wx, 'navigateTo');
    page.querySelectorAll('.rs-feed__card')[1].dispatchEvent('tap');
    await simulate.sleep(0);
    expect(tracked).toEqual([['click', { adId: 'camp-1', slateId: 's1', position: 1 }]]);
    expect(navigate).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/ad/index?adId=camp-1&slateId=s1&position=1' }),
    );
    navigate.mockRestore();
  });

  it('shows vant skeletons, not a spinner, while the first page is on its way', async () => {
    let release: (res: RecommendResponse) => void = () => undefined;
    setApi({ call: () => new Promise((resolve) => (release = resolve as never)) } as ApiClient);
    const page = simulate.render(pageId) as unknown as FeedPage;
    page.attach(document.createElement('parent-wrapper'));
    const loaded = page.instance.onLoad({});
    expect(skeletons(page)).toBe(4);
    expect(html(page)).toContain('van-skeleton__row'); // vant's own skeleton template rendered
    expect(html(page)).not.toContain('van-loading__spinner');
    release({ slateId: 's', cursor: null, cards: [card('a', 0)] });
    await loaded;
    expect(html(page)).not.toContain('van-skeleton');
    expect(texts(page, 'rs-feed-card', 'rs-feed-card__summary')).toEqual(['摘要 a']);
  });

  it('marks 首页 in the tab bar on show, and leaves 我的 and 商家中心 to the tab bar and the Me page', async () => {
    stubApi({ slateId: 's1', cursor: null, cards: [card('a', 0)] });
    const page = simulate.render(pageId) as unknown as FeedPage;
    const marked: number[] = [];
    Object.assign(page.instance, {
      getTabBar: () => ({ setData: (d: { active: number }) => void marked.push(d.active) }),
    });
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad({});
    // The runtime's page show (simulate has it; its d.ts does not).
    (page as unknown as { triggerPageLifeTime(name: string): void }).triggerPageLifeTime('show');
    expect(marked).toEqual([0]);
    // No links under an infinite feed: they moved away each time more cards loaded.
    const text = (page.dom as HTMLElement).textContent ?? '';
    expect(text).not.toContain('商家中心');
    expect(text).not.toContain('我的与隐私');
  });

  it('reloads from the first page when personalisation was switched on 我的, and only then', async () => {
    const calls = stubApi(
      { slateId: 's1', cursor: 'cur-2', cards: [card('a', 0)] },
      { slateId: 's2', cursor: null, cards: [card('x', 0), card('y', 1)] },
    );
    const page = await open();
    const show = () =>
      (page as unknown as { triggerPageLifeTime(name: string): void }).triggerPageLifeTime('show');
    show(); // an ordinary return to the feed: nothing reloads
    await simulate.sleep(0);
    expect(calls).toHaveLength(1);

    markFeedStale();
    show();
    expect(skeletons(page)).toBe(4); // the old cards go at once
    await simulate.sleep(0);
    expect(calls).toEqual([{ limit: 10 }, { limit: 10 }]); // a fresh first page
    expect(texts(page, 'rs-feed-card', 'rs-feed-card__title')).toEqual(['标题 x', '标题 y']);
  });

  it('shares the channel to chats and to 朋友圈 with a share id, and records the target of each', async () => {
    const tracked = recordingTracker();
    stubApi({ slateId: 's1', cursor: null, cards: [card('a', 0)] });
    const page = simulate.render(pageId) as unknown as FeedPage & {
      instance: {
        onShareAppMessage(): { title: string; path: string };
        onShareTimeline(): { title: string; query: string };
      };
    };
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad({ channel: '美食' });
    const chat = page.instance.onShareAppMessage();
    const timeline = page.instance.onShareTimeline();
    const idOf = (s: string) => /shareId=([^&]+)/.exec(s)?.[1];
    expect(chat.title).toBe('发现好内容，推荐给你');
    expect(chat.path).toBe(
      `/pages/feed/index?channel=${encodeURIComponent('美食')}&shareId=${idOf(chat.path)}`,
    );
    expect(timeline.query).toBe(
      `channel=${encodeURIComponent('美食')}&shareId=${idOf(timeline.query)}`,
    );
    expect(idOf(chat.path)).not.toBe(idOf(timeline.query));
    expect(tracked).toEqual([
      ['share', { shareId: idOf(chat.path), target: 'chat' }],
      ['share', { shareId: idOf(timeline.query), target: 'timeline' }],
    ]);
  });

  it('records share_open with where the share was posted when opened from one', async () => {
    const tracked = recordingTracker();
    jest.spyOn(wx, 'getEnterOptionsSync').mockReturnValueOnce({ scene: 1154 } as never);
    stubApi({ slateId: 's1', cursor: null, cards: [] });
    const page = simulate.render(pageId) as unknown as FeedPage;
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad({ shareId: 'sh-9' });
    expect(tracked).toEqual([['share_open', { shareId: 'sh-9', target: 'timeline' }]]);
    jest.restoreAllMocks();
  });

  it('shows the vant empty state for an empty slate', async () => {
    stubApi({ slateId: 's1', cursor: null, cards: [] });
    const page = await open();
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '暂时没有内容，下拉刷新试试',
    ]);
    expect(html(page)).not.toContain('rs-feed-card__title');
  });

  it('shows the error message with a retry button that calls again', async () => {
    const calls = stubApi(new ApiError('UNAVAILABLE', '服务暂时不可用'), {
      slateId: 's2',
      cursor: null,
      cards: [card('a', 0)],
    });
    const page = await open();
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual(['服务暂时不可用']);
    expect(texts(page, 'van-button', 'van-button__text')).toEqual(['重新加载']); // not 重试 (offline)

    // Tap vant's native button: van-button emits `click`, the state `retry`, the page onRetry.
    await tapRetry(page);

    expect(calls).toHaveLength(2);
    expect(texts(page, 'rs-feed-card', 'rs-feed-card__summary')).toEqual(['摘要 a']);
    expect(html(page)).not.toContain('van-empty');
  });

  it('loads the next page with the server cursor and appends it', async () => {
    const calls = stubApi(
      { slateId: 's1', cursor: 'cur-2', cards: [card('a', 0), card('b', 1)] },
      // The repeated 'b' must not render twice across the page boundary.
      { slateId: 's2', cursor: null, cards: [card('b', 2), card('c', 3)] },
    );
    const page = await open();
    expect(texts(page, 'feed-page', 'rs-feed__end')).toEqual([]);

    await page.instance.onReachBottom();
    expect(calls).toEqual([{ limit: 10 }, { limit: 10, cursor: 'cur-2' }]);
    expect(texts(page, 'rs-feed-card', 'rs-feed-card__summary')).toEqual([
      '摘要 a',
      '摘要 b',
      '摘要 c',
    ]);
    expect(texts(page, 'feed-page', 'rs-feed__end')).toEqual(['没有更多了']);

    // At the end of the feed, reaching the bottom asks for nothing more.
    await page.instance.onReachBottom();
    expect(calls).toHaveLength(2);
  });

  it('keeps the cards and offers a retry when loading more fails', async () => {
    const calls = stubApi(
      { slateId: 's1', cursor: 'cur-2', cards: [card('a', 0)] },
      new ApiError('NETWORK', '网络连接失败'),
      { slateId: 's2', cursor: null, cards: [card('b', 1)] },
    );
    const page = await open();
    await page.instance.onReachBottom();
    expect(texts(page, 'rs-feed-card', 'rs-feed-card__summary')).toEqual(['摘要 a']);
    expect(texts(page, 'feed-page', 'rs-feed__more-error')).toEqual(['网络连接失败，点击重试']);

    page.querySelector('.rs-feed__more-error')?.dispatchEvent('tap');
    await simulate.sleep(0);
    expect(calls[2]).toEqual({ limit: 10, cursor: 'cur-2' });
    expect(texts(page, 'rs-feed-card', 'rs-feed-card__summary')).toEqual(['摘要 a', '摘要 b']);
  });

  it('renders a cover through van-image and passes the channel from the page query', async () => {
    const withCover = card('a', 0);
    withCover.item.cover = 'https://example.invalid/a.jpg';
    const calls = stubApi({ slateId: 's1', cursor: null, cards: [withCover] });
    const page = simulate.render(pageId) as unknown as FeedPage;
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad({ channel: '美食' });
    expect(calls).toEqual([{ limit: 10, channel: '美食' }]);
    expect(page.data.activeTab).toBe(1); // the 美食 tab
    // vant's own <image> node inside van-image carries the src (attributes live in the tree, not the DOM).
    expect(findAttrs(page.toJSON(), 'wx-image').map((a) => a.src)).toEqual([
      'https://example.invalid/a.jpg',
    ]);
  });

  it('pull-to-refresh replaces the slate, stops the spinner, and keeps the cards if it fails', async () => {
    const stop = jest.spyOn(wx, 'stopPullDownRefresh');
    const toast = jest.spyOn(wx, 'showToast');
    const calls = stubApi(
      { slateId: 's1', cursor: 'cur-2', cards: [card('a', 0)] },
      { slateId: 's2', cursor: null, cards: [card('x', 0), card('y', 1)] },
      new ApiError('NETWORK', '网络连接失败'),
    );
    const page = await open();
    await page.instance.onPullDownRefresh();
    expect(calls[1]).toEqual({ limit: 10 }); // a fresh first page, no cursor
    expect(texts(page, 'rs-feed-card', 'rs-feed-card__summary')).toEqual(['摘要 x', '摘要 y']);
    expect(stop).toHaveBeenCalledTimes(1);

    await page.instance.onPullDownRefresh();
    expect(texts(page, 'rs-feed-card', 'rs-feed-card__summary')).toEqual(['摘要 x', '摘要 y']);
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '网络连接失败' }));
    expect(stop).toHaveBeenCalledTimes(2);
    stop.mockRestore();
    toast.mockRestore();
  });

  it('shows the offline state with a retry when the first load fails with NETWORK', async () => {
    const calls = stubApi(new ApiError('NETWORK', '网络连接失败'), {
      slateId: 's2',
      cursor: null,
      cards: [card('a', 0)],
    });
    const page = await open();
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '网络不可用，请检查网络设置',
    ]);
    expect(texts(page, 'van-button', 'van-button__text')).toEqual(['重试']); // not the generic error state

    await tapRetry(page);
    expect(calls).toHaveLength(2);
    expect(texts(page, 'rs-feed-card', 'rs-feed-card__summary')).toEqual(['摘要 a']);
  });

  it('switching the channel tab refreshes from skeletons with that channel', async () => {
    const travel = card('t', 0, '川西自驾');
    travel.item.category = '旅行';
    let release: (res: RecommendResponse) => void = () => undefined;
    const travelAnswer = new Promise<RecommendResponse>((resolve) => (release = resolve));
    const calls = stubApi(
      { slateId: 's1', cursor: 'cur-2', cards: [card('a', 0)] },
      travelAnswer as unknown as RecommendResponse, // the client awaits whatever the stub returns
      { slateId: 's3', cursor: null, cards: [card('b', 0)] },
    );
    const page = await open();
    expect(page.data.channels.map((c: { title: string }) => c.title)).toEqual(GENERAL_FEED_TABS);

    // van-tabs renders one nav tab per van-tab (their relation links in the test loader): tap 旅行's.
    const tabsNode = page.querySelector('#rs-feed-tabs') as unknown as {
      querySelectorAll(sel: string): Array<{ dispatchEvent(name: string): void; dom: HTMLElement }>;
    };
    const navTabs = () => tabsNode.querySelectorAll('.van-tab');
    expect(navTabs().map((t) => t.dom.textContent?.trim())).toEqual(GENERAL_FEED_TABS);
    navTabs()[2].dispatchEvent('tap');
    await simulate.sleep(0);
    expect(skeletons(page)).toBe(4); // the 旅行 answer is still on its way
    release({ slateId: 's2', cursor: null, cards: [travel] });
    await simulate.sleep(0);
    expect(calls[1]).toEqual({ limit: 10, channel: '旅行' });
    expect(page.data.activeTab).toBe(2);
    expect(texts(page, 'rs-feed-card', 'rs-feed-card__title')).toEqual(['川西自驾']);

    // Back to 推荐: no channel at all.
    navTabs()[0].dispatchEvent('tap');
    await simulate.sleep(0);
    await simulate.sleep(0);
    expect(calls[2]).toEqual({ limit: 10 });
  });

  it('不感兴趣 with a reason tracks hide and removes the card, which stays out of later pages', async () => {
    const tracked = recordingTracker();
    const sheet = jest.spyOn(wx, 'showActionSheet');
    sheet
      .mockResolvedValueOnce({ tapIndex: 0, errMsg: 'showActionSheet:ok' } as never)
      .mockResolvedValueOnce({ tapIndex: 2, errMsg: 'showActionSheet:ok' } as never);
    const navigate = jest.spyOn(wx, 'navigateTo');
    const calls = stubApi(
      { slateId: 's1', cursor: 'cur-2', cards: [card('a', 0), card('b', 1)] },
      { slateId: 's2', cursor: null, cards: [card('b', 2), card('c', 3)] },
    );
    const page = await open();

    menu(page, 1).dispatchEvent('tap');
    await simulate.sleep(0);
    expect(sheet.mock.calls[0][0].itemList).toEqual(['不感兴趣']);
    expect(sheet.mock.calls[1][0].itemList).toEqual(
      expect.arrayContaining(['内容重复', '不喜欢这个分类', '标题党']),
    );
    expect(tracked).toEqual([
      ['hide', { itemId: 'b', slateId: 's1', position: 1, reason: '标题党' }],
    ]);
    expect(navigate).not.toHaveBeenCalled(); // the menu does not open the card
    expect(texts(page, 'rs-feed-card', 'rs-feed-card__summary')).toEqual(['摘要 a']);

    await page.instance.onReachBottom();
    expect(calls[1]).toEqual({ limit: 10, cursor: 'cur-2' });
    expect(texts(page, 'rs-feed-card', 'rs-feed-card__summary')).toEqual(['摘要 a', '摘要 c']);
    sheet.mockRestore();
    navigate.mockRestore();
  });

  it("an ad card's menu explains why the ad is shown, and hiding it names the ad", async () => {
    const tracked = recordingTracker();
    const ad = adCard(1);
    const sheet = jest.spyOn(wx, 'showActionSheet');
    sheet
      .mockResolvedValueOnce({ tapIndex: 1, errMsg: 'showActionSheet:ok' } as never)
      .mockResolvedValueOnce({ tapIndex: 0, errMsg: 'showActionSheet:ok' } as never)
      .mockResolvedValueOnce({ tapIndex: 0, errMsg: 'showActionSheet:ok' } as never);
    const modal = jest.spyOn(wx, 'showModal');
    stubApi({ slateId: 's1', cursor: null, cards: [card('a', 0), ad] });
    const page = await open();

    menu(page, 1).dispatchEvent('tap');
    await simulate.sleep(0);
    expect(sheet.mock.calls[0][0].itemList).toEqual(['不感兴趣', '为什么看到这条广告']);
    expect(modal).toHaveBeenCalledWith(
      expect.objectContaining({
        title: '为什么看到这条广告',
        content: '这条广告与你的兴趣相符：你关注了「美食」。',
      }),
    );
    expect(tracked).toEqual([]);

    menu(page, 1).dispatchEvent('tap');
    await simulate.sleep(0);
    expect(tracked).toEqual([
      ['hide', { adId: 'camp-1', slateId: 's1', position: 1, reason: '内容重复' }],
    ]);
    expect(texts(page, 'rs-feed-card', 'rs-feed-card__title')).toEqual(['标题 a']);
    sheet.mockRestore();
    modal.mockRestore();
  });
});

describe('feed page payload', () => {
  /** Bytes setData carries: the JSON of the patch, as the runtime serialises it to the render layer. */
  const bytes = (patch: object): number =>
    encodeURIComponent(JSON.stringify(patch)).replace(/%[0-9A-F]{2}/g, 'x').length;

  it("keeps the first screen's setData under 64 KB however long the catalog's texts are, and cuts them visibly", async () => {
    recordingTracker();
    const long = '很长的文字🙂'.repeat(400);
    const cards: FeedCard[] = Array.from({ length: 10 }, (_, i) => ({
      kind: 'content' as const,
      position: i,
      item: {
        id: `item-${i}-${'x'.repeat(100)}`,
        title: long,
        summary: long,
        category: '美食',
        tags: Array.from({ length: 50 }, (_, t) => `标签${t}`),
        cover: `https://img.example.com/${'c'.repeat(400)}.jpg`,
        publishedAt: 0,
      },
    }));
    cards[2] = {
      ...adCard(1),
      position: 2,
      creative: {
        title: long,
        description: long,
        image: '',
        landing: { kind: 'page', path: 'pages/feed/index' },
      },
    };
    stubApi({ slateId: 'slate-payload', cursor: 'c'.repeat(500), cards });

    const page = simulate.render(pageId) as unknown as FeedPage & {
      instance: { setData(patch: object, cb?: () => void): void };
    };
    const sizes: number[] = [];
    const original = page.instance.setData.bind(page.instance);
    page.instance.setData = (patch: object, cb?: () => void) => {
      sizes.push(bytes(patch));
      original(patch, cb);
    };
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad({});

    const initial = bytes(page.data as object);
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(page.data.cards).toHaveLength(10);
    expect(initial + total).toBeLessThan(64 * 1024);
    // The cut is visible, not silent: every long text ends in … and keeps its first characters.
    const titles = texts(page, 'rs-feed-card', 'rs-feed-card__title');
    expect(titles[0]).toMatch(/^很长的文字🙂很长.*…$/);
    expect(Array.from(titles[0])).toHaveLength(60);
  });
});
