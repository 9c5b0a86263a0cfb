/**
 * The Me page in miniprogram-simulate with real @vant/weapp components and a stubbed `account`
 * client: the profile it shows, and what each privacy control sends and shows back.
 */
import * as simulate from 'miniprogram-simulate';
import type {
  AccountRequest,
  AccountResponse,
  ErasureProgress,
  FunctionMap,
  FunctionName,
  ProfileView,
} from '../../../typings';
import {
  CONSENT_RECORDED_KEY,
  PRIVACY_NOTICE_VERSION,
  setTracker,
} from '../../../miniprogram/services/analytics';
import { takeFeedStale } from '../../../miniprogram/services/feed-refresh';
import { OPT_OUT_KEY } from '../../../miniprogram/services/tracker';
import type { Tracker } from '../../../miniprogram/services/tracker';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import pageJson from '../../../miniprogram/pages/me/index.json';
import likedJson from '../../../miniprogram/pages/me/liked/index.json';
import type { ContentRequest, ContentResponse, LikedEntry } from '../../../typings';
import { loadWithVant } from '../helpers/vant';
import { inOrder, stubFunction } from '../helpers/stub-api';
import { texts } from '../helpers/texts';
import { answerNextModal } from '../helpers/modal';
import { tapRetry } from '../helpers/load-state';
import { memoryStorage } from '../helpers/storage';
import { expectExperience } from '../helpers/experience';
import type { SetDataMeter } from '../../../miniprogram/services/set-data-meter';

type Answer = AccountResponse | Error;

/** A stub client: each account call takes the next scripted answer, in order. */
const stubApi = (...answers: Answer[]): AccountRequest[] =>
  stubFunction('account', inOrder(answers));

function profile(over: Partial<ProfileView> = {}): AccountResponse {
  return {
    action: 'profile.get',
    profile: {
      interests: [
        { tag: 'cat:美食', score: 2 },
        { tag: 'tag:露营', score: 1 },
      ],
      eventCounts: { impression: 12, like: 3, comment: 0 },
      experiments: [],
      personalized: true,
      ...over,
    },
  };
}

const consent = (personalized: boolean): AccountResponse => ({
  action: 'personalization.set',
  consent: { current: null, history: [], personalized },
});

function erasure(
  action: 'erase.start' | 'erase.status',
  stepsDone: number,
  stepsTotal = 3,
): AccountResponse {
  const progress: ErasureProgress = {
    status: stepsDone >= stepsTotal ? 'done' : 'running',
    startedAt: 1,
    finishedAt: stepsDone >= stepsTotal ? 2 : null,
    deleted: {},
    stepsDone,
    stepsTotal,
  };
  return { action, erasure: progress };
}

let pageId: string;

beforeAll(() => {
  // 我赞过的 (its own component, loading itself through `content`) with its vant components.
  const likedId = loadWithVant('pages/me/liked/index', 'rs-liked', likedJson.usingComponents);
  pageId = loadWithVant('pages/me/index', 'me-page', pageJson.usingComponents, {
    'rs-liked': likedId,
  });
});

// As on a device where the consent was recorded at launch (services/consent.ts).
beforeEach(() => memoryStorage({ [CONSENT_RECORDED_KEY]: PRIVACY_NOTICE_VERSION }));

afterEach(() => {
  setApi(null);
  setTracker(null);
  jest.restoreAllMocks();
  takeFeedStale();
  for (const name of PRIVACY_APIS) delete (wx as unknown as Record<string, unknown>)[name];
});

/** WeChat's privacy APIs, which simulate's wx lacks: each test that needs them installs them. */
const PRIVACY_APIS = ['getPrivacySetting', 'requirePrivacyAuthorize', 'openPrivacyContract'];

/** getPrivacySetting answering later (as the real one does), and the popup's answer when asked. */
function privacyApis(needAuthorization: boolean, agrees = true): { popups: number } {
  const seen = { popups: 0 };
  Object.assign(wx, {
    getPrivacySetting: (o: { success(r: { needAuthorization: boolean }): void }) =>
      setTimeout(() => o.success({ needAuthorization }), 0),
    requirePrivacyAuthorize: (o: { success(): void; fail(): void }) => {
      seen.popups += 1;
      setTimeout(() => (agrees ? o.success() : o.fail()), 0);
    },
  });
  return seen;
}

/** The server's consent record as consent.get answers it. */
const record = (granted: boolean | null, personalized = true): AccountResponse => ({
  action: 'consent.get',
  consent: {
    current: granted === null ? null : { noticeVersion: PRIVACY_NOTICE_VERSION, granted, at: 1 },
    history: [],
    personalized,
  },
});

/** Waits (on real timers, for WeChat's asynchronous privacy calls) until `done` holds; fails after 2 s. */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 5) {
    if (waited > 2000) throw new Error('timed out waiting for the page');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Whether vant renders the switch with this id on. */
const switchOn = (page: MePage, id: string): boolean =>
  Boolean(page.querySelector(`#${id}`)?.querySelector('.van-switch--on'));

function recordingTracker(): boolean[] {
  const consents: boolean[] = [];
  setTracker({
    sessionId: 'test',
    track: () => undefined,
    trackWhenDecided: () => undefined,
    flush: () => undefined,
    // Like the real tracker, an opt-out is remembered on the device and a consent clears it.
    setConsent: (granted: boolean) => {
      consents.push(granted);
      if (granted) wx.removeStorageSync(OPT_OUT_KEY);
      else wx.setStorageSync(OPT_OUT_KEY, true);
    },
    setSampling: () => undefined,
  } as Tracker);
  return consents;
}

type AnyObject = WechatMiniprogram.IAnyObject;
type MePage = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: { onLoad(): Promise<void>; runErase(): Promise<void>; data: AnyObject };
};

async function open(): Promise<MePage> {
  const page = simulate.render(pageId) as unknown as MePage;
  page.attach(document.createElement('parent-wrapper'));
  await page.instance.onLoad();
  expectExperience(page, 5); // the first screen within the experience-score rules
  return page;
}

/** Taps the native node inside a vant component the page gave an id. */
async function tap(page: MePage, id: string, inner: string): Promise<void> {
  const node = page.querySelector(`#${id}`)?.querySelector(inner);
  if (!node) throw new Error(`no ${inner} inside #${id}`);
  node.dispatchEvent('tap');
  await simulate.sleep(0);
}

/** Lets the page's awaited promises settle (each API answer is one microtask hop or more). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('me page', () => {
  it('marks 我的 in the tab bar each time it shows', async () => {
    stubApi(profile());
    const page = simulate.render(pageId) as unknown as MePage & {
      instance: { onShow(): void };
    };
    const marked: number[] = [];
    Object.assign(page.instance, {
      getTabBar: () => ({ setData: (d: { active: number }) => void marked.push(d.active) }),
    });
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad();
    page.instance.onShow();
    expect(marked).toEqual([1]);
  });

  it('renders the interest tags with relative strengths and the stored event counts', async () => {
    const calls = stubApi(profile());
    const page = await open();
    expect(calls).toEqual([{ action: 'profile.get' }]);
    expect(texts(page, 'van-tag', 'van-tag')).toEqual(['美食', '露营']);
    expect(texts(page, 'me-page', 'rs-me__percent')).toEqual(['100%', '50%']);
    // Zero counts are not listed; labels are in Chinese, most first.
    const cells = texts(page, 'van-cell', 'van-cell__title');
    expect(cells.slice(0, 2)).toEqual(['浏览曝光', '点赞']);
    expect(texts(page, 'van-cell', 'van-cell__value').slice(0, 2)).toEqual(['12 条', '3 条']);
    expect(cells).not.toContain('评论');
  });

  it('shows an empty interest profile as an empty state, with the controls still there', async () => {
    stubApi(profile({ interests: [], eventCounts: {} }));
    const page = await open();
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual([
      '还没有兴趣画像，多看看内容吧',
    ]);
    expect(texts(page, 'van-cell', 'van-cell__title')).toContain('暂无记录');
    expect(page.querySelector('#rs-me-personalized')).toBeTruthy();
  });

  it('shows the error with a retry that loads again', async () => {
    const calls = stubApi(new ApiError('UNAVAILABLE', '服务暂时不可用'), profile());
    const page = await open();
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual(['服务暂时不可用']);
    expect(texts(page, 'van-tag', 'van-tag')).toEqual([]);

    await tapRetry(page);
    await settle();
    expect(calls).toHaveLength(2);
    expect(texts(page, 'van-tag', 'van-tag')).toEqual(['美食', '露营']);
  });

  it('the personalisation switch sends personalization.set and shows the server answer, reverting on error', async () => {
    const toast = jest.spyOn(wx, 'showToast');
    const calls = stubApi(profile(), consent(false), new ApiError('NETWORK', '网络连接失败'));
    const page = await open();
    expect(page.instance.data.personalized).toBe(true);

    await tap(page, 'rs-me-personalized', '.van-switch');
    await settle();
    expect(calls[1]).toEqual({ action: 'personalization.set', enabled: false });
    expect(page.instance.data.personalized).toBe(false);
    expect(page.querySelector('#rs-me-personalized')?.querySelector('.van-switch--on')).toBeFalsy();

    await tap(page, 'rs-me-personalized', '.van-switch');
    await settle();
    expect(calls[2]).toEqual({ action: 'personalization.set', enabled: true });
    expect(page.instance.data.personalized).toBe(false); // reverted
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '网络连接失败' }));
  });

  it('stop collecting with 删除 withdraws without keeping history and follows the erasure to done', async () => {
    recordingTracker();
    const modal = answerNextModal(true);
    const calls = stubApi(
      profile(),
      {
        action: 'consent.set',
        consent: { current: null, history: [], personalized: true },
        erasure: {
          status: 'running',
          startedAt: 1,
          finishedAt: null,
          deleted: {},
          stepsDone: 1,
          stepsTotal: 3,
        },
      },
      erasure('erase.start', 3),
      profile({ interests: [], eventCounts: {} }),
      record(false),
    );
    const page = await open();
    await tap(page, 'rs-me-collecting', '.van-switch');
    await settle();
    expect(modal).toHaveBeenCalledWith(expect.objectContaining({ confirmText: '删除' }));
    expect(calls[1]).toEqual({
      action: 'consent.set',
      noticeVersion: PRIVACY_NOTICE_VERSION,
      granted: false,
      keepHistory: false,
    });
    expect(calls[2]).toEqual({ action: 'erase.start' });
    expect(texts(page, 'me-page', 'rs-me__progress')).toEqual(['你的数据已全部删除']);
    expect(calls).toHaveLength(5); // every answer taken: nothing left for the next test
    modal.mockRestore();
  });

  it('stop collecting turns the tracker off at once and records the refusal on the server (保留: history kept)', async () => {
    const consents = recordingTracker();
    const modal = answerNextModal(false);
    const calls = stubApi(
      profile(),
      { action: 'consent.set', consent: { current: null, history: [], personalized: true } },
      record(false),
    );
    const page = await open();
    expect(page.instance.data.collecting).toBe(true);

    await tap(page, 'rs-me-collecting', '.van-switch');
    await settle();
    expect(consents[0]).toBe(false);
    expect(modal).toHaveBeenCalledTimes(1);
    expect(calls[1]).toMatchObject({ action: 'consent.set', granted: false, keepHistory: true });
    modal.mockRestore();
    // Then the server's record is read again and shown: a refusal, so off, and not "recorded" here.
    expect(calls[2]).toEqual({ action: 'consent.get' });
    expect(consents).not.toContain(true);
    expect(page.instance.data.collecting).toBe(false);
    expect(switchOn(page, 'rs-me-collecting')).toBe(false);
    expect(wx.getStorageSync(CONSENT_RECORDED_KEY)).toBe('');
  });

  it('turns collection back on after an erasure: WeChat authorization, the consent recorded, the switch on', async () => {
    wx.removeStorageSync(CONSENT_RECORDED_KEY); // as the erasure left it
    wx.setStorageSync(OPT_OUT_KEY, true);
    const consents = recordingTracker();
    const seen = privacyApis(false); // agreed in WeChat before: no popup
    const calls = stubApi(
      profile(),
      { action: 'consent.set', consent: { current: null, history: [], personalized: true } },
      record(true),
    );
    const page = await open();
    expect(switchOn(page, 'rs-me-collecting')).toBe(false);

    await tap(page, 'rs-me-collecting', '.van-switch');
    // getPrivacySetting answers later; the switch ends by reading the server's record again.
    await until(
      () => calls.some((c) => c.action === 'consent.get') && !page.instance.data.savingCollecting,
    );
    expect(seen.popups).toBe(0);
    expect(calls.slice(1)).toEqual([
      { action: 'consent.set', noticeVersion: PRIVACY_NOTICE_VERSION, granted: true },
      { action: 'consent.get' },
    ]);
    expect(consents[consents.length - 1]).toBe(true);
    expect(switchOn(page, 'rs-me-collecting')).toBe(true);
    expect(wx.getStorageSync(CONSENT_RECORDED_KEY)).toBe(PRIVACY_NOTICE_VERSION);
  });

  it('turning collection on when the person refuses WeChat’s privacy popup records nothing and stays off', async () => {
    wx.removeStorageSync(CONSENT_RECORDED_KEY);
    wx.setStorageSync(OPT_OUT_KEY, true);
    const consents = recordingTracker();
    const toast = jest.spyOn(wx, 'showToast');
    const seen = privacyApis(true, false);
    const calls = stubApi(profile(), record(false));
    const page = await open();

    await tap(page, 'rs-me-collecting', '.van-switch');
    await until(
      () => calls.some((c) => c.action === 'consent.get') && !page.instance.data.savingCollecting,
    );
    expect(seen.popups).toBe(1);
    expect(calls.slice(1)).toEqual([{ action: 'consent.get' }]); // no consent.set
    expect(consents).not.toContain(true);
    expect(switchOn(page, 'rs-me-collecting')).toBe(false);
    expect(toast).toHaveBeenCalledWith(
      expect.objectContaining({ title: '需要先同意隐私保护指引，才能开启收集' }),
    );
  });

  it('switching personalised recommendations off tells the feed to reload', async () => {
    stubApi(profile(), consent(false));
    const page = await open();
    await tap(page, 'rs-me-personalized', '.van-switch');
    await settle();
    expect(page.instance.data.personalized).toBe(false);
    expect(takeFeedStale()).toBe(true);
    expect(takeFeedStale()).toBe(false); // once
  });

  it('links the full privacy guide through wx.openPrivacyContract', async () => {
    const open_ = jest.fn();
    Object.assign(wx, { openPrivacyContract: open_ });
    stubApi(profile());
    const page = await open();
    expect(texts(page, 'van-cell', 'van-cell__title')).toContain('查看完整隐私保护指引');
    await tap(page, 'rs-me-privacy-contract', '.van-cell');
    expect(open_).toHaveBeenCalledTimes(1);
  });

  it('delete asks first: cancel sends nothing, confirm starts the erasure and polls status until done', async () => {
    const modal = answerNextModal(false);
    const calls = stubApi(
      profile(),
      erasure('erase.start', 0),
      erasure('erase.status', 1),
      erasure('erase.status', 3),
      profile({ interests: [], eventCounts: {} }),
      record(null), // the erasure removed the consent record too
    );
    const consents = recordingTracker();
    const page = await open();
    expect(switchOn(page, 'rs-me-collecting')).toBe(true);

    await tap(page, 'rs-me-erase', '.van-button');
    await settle();
    expect(modal).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(1);

    answerNextModal(true);
    jest.useFakeTimers();
    try {
      page.querySelector('#rs-me-erase')?.querySelector('.van-button')?.dispatchEvent('tap');
      await jest.advanceTimersByTimeAsync(0);
      expect(calls[1]).toEqual({ action: 'erase.start' });
      expect(texts(page, 'me-page', 'rs-me__progress')).toEqual(['正在删除… 已完成 0/3 项']);

      await jest.advanceTimersByTimeAsync(1000);
      expect(calls[2]).toEqual({ action: 'erase.status' });
      expect(texts(page, 'me-page', 'rs-me__progress')).toEqual(['正在删除… 已完成 1/3 项']);

      await jest.advanceTimersByTimeAsync(1000);
      expect(calls.slice(3)).toEqual([
        { action: 'erase.status' },
        { action: 'profile.get' },
        { action: 'consent.get' },
      ]);
    } finally {
      jest.useRealTimers();
    }
    await settle();
    // Both switches show the server's state: no consent left, so this device stops collecting.
    expect(consents).toEqual([false]);
    expect(switchOn(page, 'rs-me-collecting')).toBe(false);
    expect(switchOn(page, 'rs-me-personalized')).toBe(true);
    expect(wx.getStorageSync(CONSENT_RECORDED_KEY)).toBe('');
    expect(texts(page, 'me-page', 'rs-me__progress')).toEqual(['你的数据已全部删除']);
    expect(page.instance.data.erasing).toBe(false);
    expect(texts(page, 'van-tag', 'van-tag')).toEqual([]);
  });

  it('a failing erasure shows the error and stops polling', async () => {
    const calls = stubApi(profile(), new ApiError('UNAVAILABLE', '服务暂时不可用'));
    const page = await open();
    await page.instance.runErase();
    expect(calls).toHaveLength(2);
    expect(texts(page, 'me-page', 'rs-me__error')).toEqual(['服务暂时不可用']);
    expect(page.instance.data.erasing).toBe(false);
  });

  /** A file system that keeps what is written (simulate's writes nothing), and can be made full. */
  function memoryFiles(full = false): Map<string, string> & { unlinked: string[] } {
    const files = Object.assign(new Map<string, string>(), { unlinked: [] as string[] });
    jest.spyOn(wx, 'getFileSystemManager').mockReturnValue({
      writeFileSync: (path: string, data: string) => {
        if (full)
          throw new Error(
            'writeFileSync:fail the maximum size of the file storage limit is exceeded',
          );
        files.set(path, data);
      },
      unlinkSync: (path: string) => {
        files.unlinked.push(path);
        if (!files.delete(path)) throw new Error('unlinkSync:fail no such file or directory');
      },
    } as unknown as WechatMiniprogram.FileSystemManager);
    return files;
  }

  const threePages = (): Answer[] => [
    {
      action: 'export.page',
      page: { collection: 'events', records: [{ id: 1 }, { id: 2 }], cursor: 'c1' },
    },
    { action: 'export.page', page: { collection: 'events', records: [{ id: 3 }], cursor: 'c2' } },
    {
      action: 'export.page',
      page: { collection: 'consents', records: [{ granted: true }], cursor: null },
    },
  ];

  it('export pages through export.page until the cursor ends, summarises in Chinese, and copies the JSON', async () => {
    memoryFiles();
    const clip = jest.spyOn(wx, 'setClipboardData');
    const calls = stubApi(profile(), ...threePages());
    const page = await open();
    await tap(page, 'rs-me-export', '.van-button');
    await settle();
    expect(calls.slice(1)).toEqual([
      { action: 'export.page' },
      { action: 'export.page', cursor: 'c1' },
      { action: 'export.page', cursor: 'c2' },
    ]);
    expect(page.instance.data.exportSummary).toEqual([
      { type: 'events', label: '行为记录', count: 3 },
      { type: 'consents', label: '同意记录', count: 1 },
    ]);

    await tap(page, 'rs-me-copy', '.van-button');
    const copied = JSON.parse((clip.mock.calls[0][0] as { data: string }).data);
    expect(copied).toEqual({
      events: [{ id: 1 }, { id: 2 }, { id: 3 }],
      consents: [{ granted: true }],
    });
  });

  it('writes the export as a file with Chinese section names, sends it to a chat, and replaces the last one', async () => {
    const files = memoryFiles();
    const share = jest.spyOn(wx, 'shareFileMessage');
    stubApi(profile(), ...threePages(), ...threePages());
    const page = await open();
    await tap(page, 'rs-me-export', '.van-button');
    await settle();

    const [path] = [...files.keys()];
    expect(path).toMatch(/^\/usr\/\/?我的数据-\d{8}-\d{6}\.json$/);
    const doc = JSON.parse(files.get(path)!);
    expect(doc.部分).toEqual([
      { 名称: '行为记录', 数据表: 'events', 条数: 3, 记录: [{ id: 1 }, { id: 2 }, { id: 3 }] },
      { 名称: '同意记录', 数据表: 'consents', 条数: 1, 记录: [{ granted: true }] },
    ]);
    expect(doc.导出时间).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const fileName = path.slice(path.lastIndexOf('/') + 1);
    expect(texts(page, 'me-page', 'rs-me__file')).toEqual([`已保存为文件：${fileName}`]);

    await tap(page, 'rs-me-share-export', '.van-button');
    expect(share).toHaveBeenCalledWith(expect.objectContaining({ filePath: path, fileName }));

    // A second export replaces the first file rather than piling up on the phone.
    expect(files.unlinked).toEqual([]);
    await tap(page, 'rs-me-export', '.van-button');
    await settle();
    expect(files.unlinked).toEqual([path]);
    expect(files.size).toBe(1);
  });

  it('a phone out of storage keeps the summary and the copy, says why, and offers no file to send', async () => {
    memoryFiles(true);
    stubApi(profile(), ...threePages());
    const page = await open();
    await tap(page, 'rs-me-export', '.van-button');
    await settle();
    expect(texts(page, 'me-page', 'rs-me__error')).toEqual([
      '手机上小程序的存储空间不足，无法保存导出文件，请清理后重试',
    ]);
    expect(page.instance.data.exportSummary).toHaveLength(2);
    expect(page.querySelector('#rs-me-share-export')).toBeUndefined();
    expect(page.querySelector('#rs-me-copy')).toBeDefined();
  });

  it('a failing export page shows the error and keeps no partial summary', async () => {
    stubApi(
      profile(),
      { action: 'export.page', page: { collection: 'events', records: [{ id: 1 }], cursor: 'c1' } },
      new ApiError('NETWORK', '网络连接失败'),
    );
    const page = await open();
    await tap(page, 'rs-me-export', '.van-button');
    await settle();
    expect(texts(page, 'me-page', 'rs-me__error')).toEqual(['网络连接失败']);
    expect(page.instance.data.exportSummary).toEqual([]);
  });
});

describe('me page: 我赞过的', () => {
  const entry = (n: number): LikedEntry => ({
    item: {
      id: `item-${n}`,
      title: `喜欢的第 ${n} 篇`,
      summary: '',
      category: n % 2 ? '旅行' : '美食',
      tags: [],
      cover: '',
      publishedAt: 0,
    },
    likedAt: Date.UTC(2026, 10, 28, 1, n),
  });

  /** account answers the profile; content answers through `liked` and is recorded. */
  function stubBoth(liked: (req: ContentRequest) => ContentResponse | Error): ContentRequest[] {
    const calls: ContentRequest[] = [];
    setApi({
      async call<N extends FunctionName>(
        name: N,
        req: FunctionMap[N]['req'],
      ): Promise<FunctionMap[N]['res']> {
        if (name === 'account') return profile() as FunctionMap[N]['res'];
        if (name !== 'content') throw new Error(`unexpected call ${name}`);
        calls.push(req as ContentRequest);
        const answer = liked(req as ContentRequest);
        if (answer instanceof Error) throw answer;
        return answer as FunctionMap[N]['res'];
      },
    });
    return calls;
  }

  async function openLiked(): Promise<MePage> {
    const page = simulate.render(pageId) as unknown as MePage;
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad();
    await settle();
    await simulate.sleep(0);
    return page;
  }

  const rowTitles = (page: MePage) =>
    texts(page, 'van-cell', 'van-cell__title').filter((t) => t.startsWith('喜欢的'));
  const footText = (page: MePage) => texts(page, 'rs-liked', 'rs-liked__text');

  it('lists liked items latest first with category and CST time, pages with load more, and ends', async () => {
    const calls = stubBoth((req) => {
      if (req.action !== 'likes.list') throw new Error(req.action);
      return req.cursor === 'n2'
        ? { action: 'likes.list', items: [entry(3)], cursor: null }
        : { action: 'likes.list', items: [entry(9), entry(8)], cursor: 'n2' };
    });
    const page = await openLiked();
    expect(texts(page, 'van-cell-group', 'van-cell-group__title')).toContain('我赞过的');
    expect(rowTitles(page)).toEqual(['喜欢的第 9 篇', '喜欢的第 8 篇']);
    expect(texts(page, 'van-cell', 'van-cell__label')).toEqual(
      expect.arrayContaining([
        '旅行 · 赞于 2026年11月28日 09:09',
        '美食 · 赞于 2026年11月28日 09:08',
      ]),
    );
    const more = page
      .querySelector('#rs-me-liked')
      ?.querySelector('#rs-liked-more')
      ?.querySelector('.van-button');
    expect(more).toBeTruthy();
    const meter = (page.instance as unknown as { setDataMeter: SetDataMeter }).setDataMeter;
    const before = meter.peek().calls;
    more?.dispatchEvent('tap');
    await settle();
    await simulate.sleep(0);
    expect(rowTitles(page)).toEqual(['喜欢的第 9 篇', '喜欢的第 8 篇', '喜欢的第 3 篇']);
    // 我赞过的's own setData (the page made none here) counts in the page's meter, and load-more
    // stays within the experience-score rules.
    expect(meter.peek().calls).toBeGreaterThan(before);
    expectExperience(page, 5);
    expect(footText(page)).toEqual(['没有更多了']);
    expect(calls).toEqual([
      { action: 'likes.list', limit: 10 },
      { action: 'likes.list', limit: 10, cursor: 'n2' },
    ]);
  });

  it('opens the detail page of a tapped item', async () => {
    stubBoth(() => ({ action: 'likes.list', items: [entry(4)], cursor: null }));
    const navigate = jest.spyOn(wx, 'navigateTo').mockImplementation(() => undefined as never);
    const page = await openLiked();
    const cell = page
      .querySelector('#rs-me-liked')
      ?.querySelector('#rs-liked-item-4')
      ?.querySelector('.van-cell');
    expect(cell).toBeTruthy();
    cell?.dispatchEvent('tap');
    await simulate.sleep(0);
    expect(navigate).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/detail/index?itemId=item-4' }),
    );
  });

  it('says when nothing is liked yet', async () => {
    stubBoth(() => ({ action: 'likes.list', items: [], cursor: null }));
    const page = await openLiked();
    expect(rowTitles(page)).toEqual([]);
    expect(footText(page)).toEqual(['还没有赞过的内容，看到喜欢的就点个赞吧']);
  });

  it('shows a failure with its reason and a retry that loads the list', async () => {
    let fail = true;
    const calls = stubBoth(() =>
      fail
        ? new ApiError('NETWORK', '网络连接失败')
        : { action: 'likes.list', items: [entry(1)], cursor: null },
    );
    const page = await openLiked();
    expect(footText(page)).toEqual(['网络连接失败']);
    expect(rowTitles(page)).toEqual([]);
    fail = false;
    page
      .querySelector('#rs-me-liked')
      ?.querySelector('#rs-liked-retry')
      ?.querySelector('.van-button')
      ?.dispatchEvent('tap');
    await settle();
    await simulate.sleep(0);
    expect(rowTitles(page)).toEqual(['喜欢的第 1 篇']);
    expect(calls).toHaveLength(2);
  });
});
