/**
 * 选择你感兴趣的内容 (first launch; issue 20's onboarding) in miniprogram-simulate with real
 * @vant/weapp components: toggling categories, 开始浏览 sending the choice and restarting the feed,
 * 跳过 remembered, the server's refusal shown, reopening from 我的 with the stored choice; the
 * scene's categories only (issue 19: what `recommend` told the feed, waited for when it has not
 * yet, every category when it never does); and when the feed opens it (consent recorded, not
 * before, never over a shared link, once).
 */
import * as simulate from 'miniprogram-simulate';
import type { AccountRequest, AccountResponse, AppSceneView } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import {
  CONSENT_RECORDED_KEY,
  PRIVACY_NOTICE_VERSION,
} from '../../../miniprogram/services/analytics';
import { takeFeedStale } from '../../../miniprogram/services/feed-refresh';
import {
  ONBOARDED_KEY,
  ONBOARDING_URL,
  maybeOnboard,
  needsOnboarding,
  resetOnboardingLaunch,
} from '../../../miniprogram/services/onboarding';
import {
  APP_SCENE_KEY,
  knownScene,
  rememberScene,
  resetAppScene,
  SCENE_WAIT_MS,
} from '../../../miniprogram/services/app-scene';
import pageJson from '../../../miniprogram/pages/onboarding/index.json';
import { loadWithVant } from '../helpers/vant';
import { GENERAL_CHANNELS } from '../helpers/channels';
import { inOrder, stubFunction } from '../helpers/stub-api';
import { texts } from '../helpers/texts';
import { memoryStorage } from '../helpers/storage';
import { expectExperience } from '../helpers/experience';

type AnyObject = WechatMiniprogram.IAnyObject;
type OnboardingPage = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: { onLoad(q?: object): Promise<void>; data: AnyObject };
};

let pageId: string;
beforeAll(() => {
  pageId = loadWithVant('pages/onboarding/index', 'onboarding-page', pageJson.usingComponents);
});

/** What `recommend` tells under each SCENE (server/scenes.ts). */
const VIEWS: Record<string, AppSceneView> = {
  general: { name: 'general', channels: GENERAL_CHANNELS, entries: [], placeBar: false },
  finance: { name: 'finance', channels: ['理财', '财经'], entries: ['risk'], placeBar: false },
  travel: { name: 'travel', channels: ['旅行'], entries: ['trips'], placeBar: true },
  support: { name: 'support', channels: GENERAL_CHANNELS, entries: ['support'], placeBar: false },
};

let store: Map<string, unknown>;
beforeEach(() => {
  // A device that has seen the general scene's feed before.
  store = memoryStorage({
    [CONSENT_RECORDED_KEY]: PRIVACY_NOTICE_VERSION,
    [APP_SCENE_KEY]: VIEWS.general,
  });
  resetAppScene();
  resetOnboardingLaunch();
  takeFeedStale();
});

afterEach(() => {
  setApi(null);
  jest.restoreAllMocks();
});

/** getCurrentPages() answering this stack (simulate's has no page stack). */
function pageStack(stack: object[]): void {
  jest
    .spyOn(globalThis as unknown as { getCurrentPages(): object[] }, 'getCurrentPages')
    .mockReturnValue(stack);
}

async function open(query: object = {}): Promise<OnboardingPage> {
  const page = simulate.render(pageId) as unknown as OnboardingPage;
  page.attach(document.createElement('parent-wrapper'));
  await page.instance.onLoad(query);
  await simulate.sleep(0);
  expectExperience(page, 5); // the first screen within the experience-score rules
  return page;
}

function toggle(page: OnboardingPage, index: number): void {
  const node = page.querySelector(`#rs-onboarding-${index}`);
  if (!node) throw new Error(`no option ${index}`);
  node.dispatchEvent('tap');
}

async function tap(page: OnboardingPage, id: string): Promise<void> {
  const node = page.querySelector(`#${id}`)?.querySelector('.van-button');
  if (!node) throw new Error(`no button #${id}`);
  node.dispatchEvent('tap');
  await simulate.sleep(0);
}

const answer = (categories: string[] | null): AccountResponse => ({
  action: 'interests.set',
  interests: categories && { categories, at: 1 },
});

describe('onboarding page', () => {
  it('sends the chosen categories, remembers it was done, and restarts the feed', async () => {
    const calls = stubFunction(
      'account',
      inOrder<AccountResponse | Error>([answer(['旅行', '体育'])]),
    );
    const back = jest.spyOn(wx, 'navigateBack');
    pageStack([{}, {}]);
    const page = await open();
    expect(texts(page, 'onboarding-page', 'rs-onboarding__option')).toEqual(GENERAL_CHANNELS);
    expect(page.instance.data.chosenCount).toBe(0);
    toggle(page, 1);
    toggle(page, 6);
    toggle(page, 0);
    toggle(page, 0); // chosen, then not
    await simulate.sleep(0);
    expect(page.instance.data.chosenCount).toBe(2);
    expect(texts(page, 'van-button', 'van-button__text')[0]).toBe('开始浏览（已选 2 个）');
    await tap(page, 'rs-onboarding-done');
    expect(calls).toEqual<AccountRequest[]>([
      { action: 'interests.set', categories: ['旅行', '体育'] },
    ]);
    expect(store.get(ONBOARDED_KEY)).toBe(true);
    expect(takeFeedStale()).toBe(true);
    expect(back).toHaveBeenCalled();
  });

  it("shows the server's refusal and stays, and 跳过 is remembered without a call", async () => {
    const calls = stubFunction(
      'account',
      inOrder<AccountResponse | Error>([
        new ApiError('FORBIDDEN', '请先同意隐私保护指引，再选择感兴趣的内容'),
      ]),
    );
    const back = jest.spyOn(wx, 'navigateBack');
    pageStack([{}, {}]);
    const page = await open();
    toggle(page, 0);
    await tap(page, 'rs-onboarding-done');
    expect(texts(page, 'onboarding-page', 'rs-onboarding__error')).toEqual([
      '请先同意隐私保护指引，再选择感兴趣的内容',
    ]);
    expect(store.has(ONBOARDED_KEY)).toBe(false);
    expect(back).not.toHaveBeenCalled();
    await tap(page, 'rs-onboarding-skip');
    expect(store.get(ONBOARDED_KEY)).toBe(true);
    expect(back).toHaveBeenCalled();
    expect(calls).toHaveLength(1);
  });

  it('opened from 我的 shows the stored choice, saves, and clearing all withdraws it', async () => {
    const calls = stubFunction(
      'account',
      inOrder<AccountResponse | Error>([
        { action: 'interests.get', interests: { categories: ['科技'], at: 1 } },
        answer(null),
      ]),
    );
    pageStack([{}, {}]);
    const page = await open({ from: 'me' });
    expect(page.instance.data.options[2]).toEqual({ name: '科技', chosen: true });
    expect(page.querySelector('#rs-onboarding-skip')).toBeUndefined();
    toggle(page, 2);
    await tap(page, 'rs-onboarding-done');
    expect(calls[1]).toEqual({ action: 'interests.set', categories: [] });
  });
});

describe('onboarding per scene', () => {
  const offered = (page: OnboardingPage) => texts(page, 'onboarding-page', 'rs-onboarding__option');

  it.each([
    ['finance', ['理财', '财经']],
    ['travel', ['旅行']],
    ['support', GENERAL_CHANNELS],
    ['general', GENERAL_CHANNELS],
  ])('offers the %s scene’s categories as the feed was told them', async (scene, want) => {
    rememberScene(wx, VIEWS[scene]);
    stubFunction('account', inOrder<AccountResponse | Error>([answer(want.slice(0, 1))]));
    pageStack([{}, {}]);
    const page = await open();
    expect(offered(page)).toEqual(want);
    toggle(page, 0);
    await tap(page, 'rs-onboarding-done');
    expect(store.get(ONBOARDED_KEY)).toBe(true);
  });

  it('waits for the feed’s first answer on a new device, then offers that scene', async () => {
    store.delete(APP_SCENE_KEY);
    const page = await open();
    expect(offered(page)).toEqual([]);
    expect(texts(page, 'onboarding-page', 'rs-onboarding__waiting')).toEqual(['正在加载可选内容…']);
    rememberScene(wx, VIEWS.finance); // the feed's applyScene
    await simulate.sleep(0);
    expect(offered(page)).toEqual(['理财', '财经']);
    expect(texts(page, 'onboarding-page', 'rs-onboarding__waiting')).toEqual([]);
  });

  it('follows a scene told again, keeping what is toggled on among the new options', async () => {
    const page = await open(); // the stored general scene
    toggle(page, 7); // 财经
    toggle(page, 0); // 美食
    rememberScene(wx, VIEWS.finance);
    await simulate.sleep(0);
    expect(page.instance.data.options).toEqual([
      { name: '理财', chosen: false },
      { name: '财经', chosen: true },
    ]);
    expect(page.instance.data.chosenCount).toBe(1);
  });

  it('opened from 我的 before the scene is known, marks the stored choice once it is', async () => {
    store.delete(APP_SCENE_KEY);
    stubFunction(
      'account',
      inOrder<AccountResponse | Error>([
        { action: 'interests.get', interests: { categories: ['旅行', '美食'], at: 1 } },
      ]),
    );
    const page = await open({ from: 'me' });
    expect(page.instance.data.options).toEqual([]);
    rememberScene(wx, VIEWS.travel);
    await simulate.sleep(0);
    expect(page.instance.data.options).toEqual([{ name: '旅行', chosen: true }]);
  });

  it('offers every category when the scene is never told (the feed failed)', async () => {
    store.delete(APP_SCENE_KEY);
    jest.useFakeTimers();
    try {
      const page = simulate.render(pageId) as unknown as OnboardingPage;
      page.attach(document.createElement('parent-wrapper'));
      await page.instance.onLoad({});
      expect(page.instance.data.options).toEqual([]);
      jest.advanceTimersByTime(SCENE_WAIT_MS);
      expect(page.instance.data.options.map((o: { name: string }) => o.name)).toEqual(
        GENERAL_CHANNELS,
      );
      expect(page.instance.data.waiting).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('when the feed offers onboarding', () => {
  const feedOnTop = () => 'pages/feed/index';

  it('only with the consent recorded, on the feed, once a launch, and never after it was done', () => {
    const opened: string[] = [];
    const nav = (url: string) => void opened.push(url);
    expect(maybeOnboard(wx, nav, () => 'pages/detail/index')).toBe(false); // opened from a link
    expect(maybeOnboard(wx, nav, feedOnTop)).toBe(true);
    expect(maybeOnboard(wx, nav, feedOnTop)).toBe(false); // once a launch
    expect(opened).toEqual([ONBOARDING_URL]);

    resetOnboardingLaunch();
    store.set(ONBOARDED_KEY, true);
    expect(needsOnboarding(wx)).toBe(false);
    expect(maybeOnboard(wx, nav, feedOnTop)).toBe(false);

    resetOnboardingLaunch();
    store.clear(); // no consent recorded on this device yet
    expect(maybeOnboard(wx, nav, feedOnTop)).toBe(false);
  });
});

describe('the feed on a first launch', () => {
  let feedId = '';
  beforeAll(async () => {
    const feedJson = (await import('../../../miniprogram/pages/feed/index.json')).default;
    feedId = loadWithVant('pages/feed/index', 'feed-page', feedJson.usingComponents);
  });

  it('opens onboarding once the consent is recorded, but not when opened from a shared link', async () => {
    stubFunction('recommend', () => ({ slateId: 's1', cursor: null, cards: [] }));
    pageStack([{ route: 'pages/feed/index' }]);
    const navigate = jest.spyOn(wx, 'navigateTo');
    const openFeed = async (query: object) => {
      const page = simulate.render(feedId) as unknown as OnboardingPage;
      page.attach(document.createElement('parent-wrapper'));
      await page.instance.onLoad(query);
    };
    await openFeed({ shareId: 'sh-1' });
    expect(navigate).not.toHaveBeenCalled();
    await openFeed({});
    expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ url: ONBOARDING_URL }));
  });

  it('tells the other pages the scene its first page names, and the device keeps it', async () => {
    store.delete(APP_SCENE_KEY);
    stubFunction('recommend', () => ({
      slateId: 's1',
      cursor: null,
      cards: [],
      appScene: VIEWS.travel,
    }));
    pageStack([{ route: 'pages/feed/index' }]);
    expect(knownScene(wx)).toBeNull();
    const page = simulate.render(feedId) as unknown as OnboardingPage;
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad({ shareId: 'sh-2' });
    await simulate.sleep(0);
    expect(knownScene(wx)).toEqual(VIEWS.travel);
    expect(store.get(APP_SCENE_KEY)).toEqual(VIEWS.travel);
    resetAppScene(); // a new launch: from the device
    expect(knownScene(wx)).toEqual(VIEWS.travel);
  });
});
