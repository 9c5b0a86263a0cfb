/**
 * The 搜索 page in miniprogram-simulate with real @vant/weapp components and a stubbed `content`
 * client: the local history (shown before a search, newest first, tap to search again, 清空 after a
 * confirmation), results that open the detail page, the empty and error (重试) states, the
 * `search` event tracked; 热门搜索 from the server as chips that run the search when tapped (no
 * section and no error when the list is empty or cannot be read); and the feed's entry to it.
 */
import * as simulate from 'miniprogram-simulate';
import type { ContentRequest, ItemView } from '../../../typings';
import { setTracker } from '../../../miniprogram/services/analytics';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import pageJson from '../../../miniprogram/pages/search/index.json';
import {
  HISTORY_KEY,
  hotChips as toHotChips,
  MAX_HOT,
} from '../../../miniprogram/pages/search/view';
import { stubContent, type ContentHandler } from '../helpers/content-api';
import { loadWithVant } from '../helpers/vant';
import { texts } from '../helpers/texts';
import { recordingTracker } from '../helpers/recording-tracker';
import { memoryStorage } from '../helpers/storage';
import { expectExperience } from '../helpers/experience';
import { modalAnswer } from '../helpers/modal';

const TAG = 'search-page';
const hit = (id: string, title: string): ItemView => ({
  id,
  title,
  summary: `摘要 ${id}`,
  category: '美食',
  tags: ['火锅'],
  cover: '',
  publishedAt: Date.UTC(2026, 10, 27),
});

type AnyObject = WechatMiniprogram.IAnyObject;
type SearchPage = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: { onLoad(): void; data: AnyObject };
};

let pageId: string;
beforeAll(() => {
  pageId = loadWithVant('pages/search/index', TAG, pageJson.usingComponents);
});
afterEach(() => {
  setTracker(null);
  setApi(null);
  jest.restoreAllMocks();
});

async function open(): Promise<SearchPage> {
  const page = simulate.render(pageId) as unknown as SearchPage;
  page.attach(document.createElement('parent-wrapper'));
  page.instance.onLoad();
  await simulate.sleep(0);
  expectExperience(page, 5); // the first screen within the experience-score rules
  return page;
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await simulate.sleep(0);
};

/** Types into van-search's own input as a person would, then taps 搜索. */
async function searchFor(page: SearchPage, value: string): Promise<void> {
  const field = page.querySelector('#rs-search-box')?.querySelector('.van-search__field');
  const controls = field?.querySelectorAll('.van-field__control') ?? [];
  const input = controls[controls.length - 1];
  expect(input).toBeTruthy();
  input?.dispatchEvent('input', { detail: { value } });
  await simulate.sleep(0);
  page.querySelector('#rs-search-go')?.dispatchEvent('tap');
  await settle();
}

const chips = (page: SearchPage) => texts(page, TAG, 'rs-search__chip');
const hotChips = (page: SearchPage) => texts(page, TAG, 'rs-search__hot');

/**
 * Stubs `content`: search.hot answers `hot` (a list, or an error to throw), every other request
 * goes to `handler`; returns those other requests in order.
 */
function stubSearch(handler: ContentHandler, hot: string[] | Error = []): ContentRequest[] {
  const calls: ContentRequest[] = [];
  stubContent((req) => {
    if (req.action === 'search.hot')
      return hot instanceof Error ? hot : { action: 'search.hot', queries: hot };
    calls.push(req);
    return handler(req);
  });
  return calls;
}
const titles = (page: SearchPage) => texts(page, TAG, 'rs-search__title');

describe('search page (搜索)', () => {
  it('searches, shows the results, tracks the search and remembers the query on this device', async () => {
    const store = memoryStorage({ [HISTORY_KEY]: ['露营'] });
    const tracked = recordingTracker();
    const calls = stubSearch(() => ({
      action: 'search',
      items: [hit('i1', '成都火锅推荐'), hit('i2', '在家做火锅')],
      personalised: false,
    }));
    const page = await open();
    expect(chips(page)).toEqual(['露营']);
    await searchFor(page, ' 火锅 ');
    expect(calls).toEqual([{ action: 'search', query: '火锅' }]);
    expect(titles(page)).toEqual(['成都火锅推荐', '在家做火锅']);
    expect(tracked).toEqual([['search', { query: '火锅', page: 'pages/search/index' }]]);
    expect(store.get(HISTORY_KEY)).toEqual(['火锅', '露营']);
    const navigate = jest.spyOn(wx, 'navigateTo').mockImplementation(() => undefined as never);
    page.querySelectorAll('.rs-search__result')[1]?.dispatchEvent('tap');
    await settle();
    expect(navigate.mock.calls).toEqual([[{ url: '/pages/detail/index?itemId=i2' }]]);
  });

  it('searches again from the history, and clears it only after the confirmation', async () => {
    const store = memoryStorage({ [HISTORY_KEY]: ['火锅', '露营'] });
    recordingTracker();
    const calls = stubSearch(() => ({ action: 'search', items: [], personalised: false }));
    let confirm = false;
    jest.spyOn(wx, 'showModal').mockImplementation(modalAnswer(() => confirm));
    const page = await open();
    page.querySelector('#rs-search-clear')?.dispatchEvent('tap');
    await settle();
    expect(chips(page)).toEqual(['火锅', '露营']);
    confirm = true;
    page.querySelector('#rs-search-clear')?.dispatchEvent('tap');
    await settle();
    expect(chips(page)).toEqual([]);
    expect(page.querySelector('#rs-search-no-history')).toBeTruthy();
    expect(store.has(HISTORY_KEY)).toBe(false);
    store.set(HISTORY_KEY, ['露营']);
    const again = await open();
    again.querySelectorAll('.rs-search__chip')[0]?.dispatchEvent('tap');
    await settle();
    expect(calls).toEqual([{ action: 'search', query: '露营' }]);
  });

  it('says when nothing matched, and offers 重试 after a failure', async () => {
    memoryStorage();
    recordingTracker();
    let fail = true;
    const calls = stubSearch(() =>
      fail
        ? new ApiError('NETWORK', '网络不可用，请检查网络后重试')
        : { action: 'search', items: [], personalised: false },
    );
    const page = await open();
    expect(page.querySelector('#rs-search-no-history')).toBeTruthy();
    await searchFor(page, '量子计算');
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '网络不可用，请检查网络后重试',
    ]);
    fail = false;
    page.querySelector('#rs-search-retry')?.querySelector('.van-button')?.dispatchEvent('tap');
    await settle();
    expect(calls).toHaveLength(2);
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '没有找到与「量子计算」相关的内容，换个词试试',
    ]);
  });

  it('shows 热门搜索 from the server as chips; tapping one runs the search', async () => {
    const store = memoryStorage({ [HISTORY_KEY]: ['露营'] });
    const tracked = recordingTracker();
    const calls = stubSearch(
      () => ({ action: 'search', items: [hit('i1', '成都火锅推荐')], personalised: false }),
      ['火锅', '咖啡', '露营'],
    );
    const page = await open();
    expect(texts(page, TAG, 'rs-search__heading')).toEqual(['搜索历史', '热门搜索']);
    expect(chips(page)).toEqual(['露营']);
    expect(hotChips(page)).toEqual(['火锅', '咖啡', '露营']);
    page.querySelectorAll('.rs-search__hot')[1]?.dispatchEvent('tap');
    await settle();
    expect(calls).toEqual([{ action: 'search', query: '咖啡' }]);
    expect(page.instance.data.query).toBe('咖啡');
    expect(titles(page)).toEqual(['成都火锅推荐']);
    expect(tracked).toEqual([['search', { query: '咖啡', page: 'pages/search/index' }]]);
    expect(store.get(HISTORY_KEY)).toEqual(['咖啡', '露营']);
    expect(page.querySelector('#rs-search-hot')).toBeFalsy(); // results replace the suggestions
  });

  it('shows no 热门搜索 and no error when the list is empty or cannot be read', async () => {
    memoryStorage({ [HISTORY_KEY]: ['露营'] });
    recordingTracker();
    for (const hot of [[], new ApiError('NETWORK', '网络不可用，请检查网络后重试')]) {
      stubSearch(() => ({ action: 'search', items: [], personalised: false }), hot);
      const page = await open();
      expect(page.querySelector('#rs-search-hot')).toBeFalsy();
      expect(texts(page, TAG, 'rs-search__heading')).toEqual(['搜索历史']);
      expect(chips(page)).toEqual(['露营']);
      expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([]);
      expect(page.instance.data.state).toBe('idle');
    }
  });
});

describe('hot chips (view.ts)', () => {
  it('keeps non-empty strings once, at most MAX_HOT, and nothing from a malformed answer', () => {
    expect(toHotChips(['火锅', '', '  ', 3, '火锅', '咖啡'])).toEqual(['火锅', '咖啡']);
    expect(toHotChips(Array.from({ length: 15 }, (_, i) => `话题${i}`))).toHaveLength(MAX_HOT);
    expect(toHotChips('火锅')).toEqual([]);
    expect(toHotChips(null)).toEqual([]);
    expect(toHotChips(['长'.repeat(51)])).toEqual([]);
  });
});
