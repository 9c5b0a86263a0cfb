/**
 * Scenes as configuration on the feed page (miniprogram-simulate, real @vant/weapp): the scene a
 * session's first page names (SCENE on the server) sets the channel tabs and the entry points
 * above the feed — 智能客服 for support, 风险测评 for finance, 我的行程 and the place bar on every
 * channel for travel, everything and no entry for general.
 */
import * as simulate from 'miniprogram-simulate';
import type { AppSceneView, ContentCard, RecommendResponse } from '../../../typings';
import { setTracker } from '../../../miniprogram/services/analytics';
import { setApi } from '../../../miniprogram/services/api';
import pageJson from '../../../miniprogram/pages/feed/index.json';
import { SCENES } from '../../../server/scenes';
import { loadWithVant } from '../helpers/vant';
import { GENERAL_FEED_TABS } from '../helpers/channels';
import { inOrder, stubFunction } from '../helpers/stub-api';
import { recordingTracker } from '../helpers/recording-tracker';

type AnyObject = WechatMiniprogram.IAnyObject;
type Page = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: { onLoad(q?: object): Promise<void> };
};
type Wx = Record<string, unknown>;

const card = (id: string, category: string): ContentCard => ({
  kind: 'content',
  position: 0,
  item: { id, title: `标题 ${id}`, summary: '', category, tags: [], cover: '', publishedAt: 0 },
});
const answer = (view: AppSceneView | undefined, category: string): RecommendResponse => ({
  slateId: 's',
  cursor: null,
  cards: [card('a', category)],
  ...(view ? { appScene: view } : {}),
});

let pageId: string;
beforeAll(() => {
  pageId = loadWithVant('pages/feed/index', 'feed-scenes-page', pageJson.usingComponents);
});
afterEach(() => {
  setApi(null);
  setTracker(null);
  delete (wx as unknown as Wx).switchTab;
  delete (wx as unknown as Wx).navigateTo;
});

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await simulate.sleep(0);
};

async function open(): Promise<Page> {
  recordingTracker();
  const page = simulate.render(pageId) as unknown as Page;
  page.attach(document.createElement('parent-wrapper'));
  await page.instance.onLoad({});
  return page;
}

const tabs = (page: Page): string[] =>
  (page.instance as unknown as { data: { channels: { title: string }[] } }).data.channels.map(
    (c) => c.title,
  );
const entryText = (page: Page): string =>
  ((page.querySelector('#rs-feed-entries')?.dom as HTMLElement | undefined)?.textContent ?? '')
    .replace(/\s+/g, ' ')
    .trim();

/** Taps an entry's cell (van-cell's inner view emits its click). */
async function tapEntry(page: Page, key: string): Promise<void> {
  const cell = page.querySelector(`#rs-feed-entry-${key}`);
  if (!cell) throw new Error(`no entry ${key}`);
  cell.querySelector('.van-cell')!.dispatchEvent('tap');
  await settle();
}

describe('feed page: SCENE=support', () => {
  it('puts 智能客服 above the feed and opens the support page', async () => {
    stubFunction('recommend', inOrder([answer(SCENES.support.view, '美食')]));
    const page = await open();
    expect(entryText(page)).toContain('智能客服');
    expect(tabs(page)).toEqual(GENERAL_FEED_TABS);
    expect(page.querySelector('#rs-feed-place')).toBeFalsy();
    const navigateTo = jest.fn();
    (wx as unknown as Wx).navigateTo = navigateTo;
    await tapEntry(page, 'support');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/pages/support/index' });
  });
});

describe('feed page: SCENE=finance', () => {
  it('shows the 理财 and 财经 tabs and the 风险测评 entry, which opens 我的', async () => {
    const calls = stubFunction(
      'recommend',
      inOrder([answer(SCENES.finance.view, '理财'), answer(undefined, '理财')]),
    );
    const page = await open();
    expect(tabs(page)).toEqual(['推荐', '理财', '财经']);
    expect(entryText(page)).toContain('风险测评');
    expect(entryText(page)).not.toContain('智能客服');
    const switchTab = jest.fn();
    (wx as unknown as Wx).switchTab = switchTab;
    await tapEntry(page, 'risk');
    expect(switchTab).toHaveBeenCalledWith({ url: '/pages/me/index' });
    // The scene's second tab is the 理财 channel.
    page.querySelector('#rs-feed-tabs')!.dispatchEvent('change', { detail: { index: 1 } });
    await settle();
    expect(calls[1]).toEqual({ limit: 10, channel: '理财' });
  });
});

describe('feed page: SCENE=travel', () => {
  it('shows the 旅行 tab, 我的行程, and the place bar on 推荐 too, sending the place', async () => {
    const calls = stubFunction(
      'recommend',
      inOrder([answer(SCENES.travel.view, '旅行'), answer(undefined, '旅行')]),
    );
    const page = await open();
    expect(tabs(page)).toEqual(['推荐', '旅行']);
    expect(entryText(page)).toContain('我的行程');
    const bar = page.querySelector('#rs-feed-place');
    expect(bar).toBeTruthy();
    // A destination picked in 推荐 goes with the request (the scene keeps the bar on every channel).
    bar!.querySelector('#rs-place-destination')!.querySelector('.van-button')!.dispatchEvent('tap');
    await settle();
    const picker = bar!.querySelector('#rs-place-picker') as unknown as {
      instance: { setColumnIndex(c: number, i: number): Promise<void> };
      querySelector(sel: string): { dispatchEvent(name: string): void } | undefined;
    };
    await picker.instance.setColumnIndex(0, 5); // 杭州
    picker.querySelector('.van-picker__confirm')!.dispatchEvent('tap');
    await settle();
    expect(calls[0]).toEqual({ limit: 10 });
    expect(calls[1]).toEqual({ limit: 10, destination: '杭州' });
  });
});

describe('feed page: SCENE=general', () => {
  it('keeps every channel and shows no entry point', async () => {
    stubFunction('recommend', inOrder([answer(SCENES.general.view, '美食')]));
    const page = await open();
    expect(tabs(page)).toHaveLength(9);
    expect(page.querySelector('#rs-feed-entries')).toBeFalsy();
    expect(page.querySelector('#rs-feed-place')).toBeFalsy();
  });
});
