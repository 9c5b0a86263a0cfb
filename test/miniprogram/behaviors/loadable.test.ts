/**
 * The `loadable` behavior in miniprogram-simulate, mixed into a small page that renders its state
 * through `components/load-state` with real @vant/weapp: the states a person sees (loading, the
 * failure's message, not found, offline), and 重新加载 going back to loading and loading again;
 * the page lifecycle it brings (onLoad, 下拉刷新, reloading on return); and `foldable`, the same
 * state for a folded section of a page, whose toggle loads it once.
 */
import * as simulate from 'miniprogram-simulate';
import { foldable, loadable } from '../../../miniprogram/behaviors/loadable';
import { setTracker } from '../../../miniprogram/services/analytics';
import { recordingTracker, tapsOf } from '../helpers/recording-tracker';
import type { FailureStatuses } from '../../../miniprogram/behaviors/loadable';
import { ApiError } from '../../../miniprogram/services/api-error';
import stateJson from '../../../miniprogram/components/load-state/index.json';
import { loadWithVant } from '../helpers/vant';
import { texts } from '../helpers/texts';
import { retryButton, tapRetry } from '../helpers/load-state';

type AnyObject = WechatMiniprogram.IAnyObject;
type Rendered = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: AnyObject & {
    data: { status: string; errorMessage: string; expanded?: boolean };
    load(): Promise<void>;
    onRetry(): Promise<void>;
    showFailure(err: unknown, statuses?: FailureStatuses): ApiError;
    loadOnce(): Promise<void>;
    onToggle(e?: unknown): Promise<void>;
    onLoad(): Promise<void>;
    onPullDownRefresh(): Promise<void>;
    reloadOnReturn(): Promise<void>;
  };
};

/** What the test page's load() does next: a failure to show, or 'ready'. */
let outcomes: Array<Error | 'ready'> = [];
/** The status each load() saw when it started. */
let seen: string[] = [];
let pageId: simulate.ComponentId<AnyObject, AnyObject, AnyObject>;
let sectionId: simulate.ComponentId<AnyObject, AnyObject, AnyObject>;

/** The test page's and section's load: the next outcome, its failure shown through the behavior. */
async function load(this: Rendered['instance']): Promise<void> {
  seen.push(this.data.status);
  const next = outcomes.shift() ?? 'ready';
  if (next === 'ready') this.setData({ status: 'ready' });
  else this.showFailure(next, { NOT_FOUND: 'missing', NETWORK: 'offline' });
}

beforeAll(() => {
  const stateId = loadWithVant('components/load-state/index', 'rs-load-state', {
    ...stateJson.usingComponents,
  });
  pageId = simulate.load({
    template: `<rs-load-state id="rs-page-state" status="{{status}}" message="{{errorMessage}}" missing-text="没有这一页" bind:retry="onRetry" /><view wx:if="{{status === 'ready'}}" class="ready">内容</view>`,
    usingComponents: { 'rs-load-state': stateId },
    behaviors: [loadable],
    methods: { load },
  });
  sectionId = simulate.load({
    template: `<view id="toggle" data-feature="test.section.toggle" bindtap="onToggle">展开</view><view wx:if="{{status === 'error'}}" class="error">{{errorMessage}}</view>`,
    behaviors: [foldable],
    methods: { load },
  });
});

beforeEach(() => {
  outcomes = [];
  seen = [];
});

function render(): Rendered {
  const page = simulate.render(pageId) as unknown as Rendered;
  page.attach(document.createElement('parent-wrapper'));
  return page;
}

const description = (page: Rendered): string[] =>
  texts(page, 'van-empty', 'van-empty__description');

describe('loadable behavior', () => {
  it('starts loading, with vant’s spinner and no message', () => {
    const page = render();
    expect(page.instance.data).toMatchObject({ status: 'loading', errorMessage: '' });
    expect(texts(page, 'van-loading', 'van-loading__text')).toEqual(['加载中…']);
    expect(retryButton(page)).toBeFalsy();
  });

  it("shows a failure's own message with 重新加载, which goes back to loading and loads again", async () => {
    const page = render();
    outcomes = [new ApiError('UNAVAILABLE', '服务暂时不可用，请稍后再试'), 'ready'];
    await page.instance.load();
    expect(page.instance.data).toMatchObject({
      status: 'error',
      errorMessage: '服务暂时不可用，请稍后再试',
    });
    expect(description(page)).toEqual(['服务暂时不可用，请稍后再试']);
    expect(texts(page, 'van-button', 'van-button__text')).toEqual(['重新加载']);

    await tapRetry(page);
    expect(seen).toEqual(['loading', 'loading']); // the retry showed loading before it asked
    expect(page.instance.data).toMatchObject({ status: 'ready', errorMessage: '' });
    expect(description(page)).toEqual([]);
    expect((page.dom as HTMLElement).textContent?.trim()).toBe('内容'); // the state shows nothing
  });

  it('maps codes the page names to its own states: not found and offline', async () => {
    const page = render();
    outcomes = [new ApiError('NOT_FOUND', '内容不存在或已下架')];
    await page.instance.load();
    expect(page.instance.data.status).toBe('missing');
    expect(description(page)).toEqual(['内容不存在或已下架']);
    expect(retryButton(page)).toBeFalsy(); // nothing to retry

    outcomes = [new ApiError('NETWORK', '网络连接失败')];
    await page.instance.onRetry();
    expect(page.instance.data.status).toBe('offline');
    expect(description(page)).toEqual(['网络不可用，请检查网络设置']);
    expect(texts(page, 'van-button', 'van-button__text')).toEqual(['重试']);
  });

  it('shows anything that is not an ApiError as the generic message, never its own text', async () => {
    const page = render();
    const e = page.instance.showFailure(new TypeError('x is undefined'));
    expect(e.code).toBe('INTERNAL');
    expect(page.instance.data).toMatchObject({
      status: 'error',
      errorMessage: '出了点问题，请稍后重试',
    });
    expect(description(page)).toEqual(['出了点问题，请稍后重试']);
  });
});

describe('loadable page lifecycle', () => {
  it('loads on onLoad, again on 下拉刷新 (then stops the spinner)', async () => {
    const stop = jest.spyOn(wx, 'stopPullDownRefresh').mockImplementation(() => undefined as never);
    const page = render();
    await page.instance.onLoad();
    expect(seen).toEqual(['loading']);
    expect(stop).not.toHaveBeenCalled();
    await page.instance.onPullDownRefresh();
    expect(seen).toEqual(['loading', 'ready']);
    expect(stop).toHaveBeenCalledTimes(1);
    stop.mockRestore();
  });

  it('reloads on return only: not on the show that follows onLoad', async () => {
    const page = render();
    await page.instance.onLoad();
    await page.instance.reloadOnReturn(); // the first show
    expect(seen).toEqual(['loading']);
    await page.instance.reloadOnReturn(); // back from another page
    await page.instance.reloadOnReturn();
    expect(seen).toEqual(['loading', 'ready', 'ready']);
  });
});

describe('foldable (a folded section)', () => {
  function renderSection(): Rendered {
    const section = simulate.render(sectionId) as unknown as Rendered;
    section.attach(document.createElement('parent-wrapper'));
    return section;
  }

  it('starts idle and loads once: on the first unfolding, not while shown, again after a failure', async () => {
    const section = renderSection();
    expect(section.instance.data).toMatchObject({ status: 'idle', errorMessage: '' });
    outcomes = [new ApiError('UNAVAILABLE', '服务暂时不可用，请稍后再试'), 'ready'];
    await section.instance.loadOnce();
    expect(seen).toEqual(['loading']);
    expect(section.instance.data.status).toBe('error');
    expect((section.dom as HTMLElement).querySelector('.error')?.textContent).toBe(
      '服务暂时不可用，请稍后再试',
    );
    await section.instance.loadOnce();
    expect(seen).toEqual(['loading', 'loading']);
    expect(section.instance.data).toMatchObject({ status: 'ready', errorMessage: '' });
    await section.instance.loadOnce();
    expect(seen).toEqual(['loading', 'loading']);
  });

  it('is not measured itself (the page it sits in measures its setData) and has no page lifecycle', () => {
    const section = renderSection();
    expect(section.instance.setDataMeter).toBeUndefined();
    expect(section.instance.onPullDownRefresh).toBeUndefined();
    expect(render().instance.setDataMeter).toBeDefined();
  });
});

describe('foldable toggle', () => {
  afterEach(() => setTracker(null));

  it('unfolds loading once, folds without loading, and counts its named tap', async () => {
    const tracked = recordingTracker({ withTaps: true });
    const section = simulate.render(sectionId) as unknown as Rendered;
    section.attach(document.createElement('parent-wrapper'));
    const toggle = async () => {
      section.querySelector('#toggle')!.dispatchEvent('tap');
      await simulate.sleep(0);
    };
    await toggle();
    expect(section.instance.data).toMatchObject({ expanded: true, status: 'ready' });
    await toggle();
    await toggle();
    expect(section.instance.data.expanded).toBe(true);
    expect(seen).toEqual(['loading']);
    expect(tapsOf(tracked)).toEqual([
      'test.section.toggle',
      'test.section.toggle',
      'test.section.toggle',
    ]);
  });
});
