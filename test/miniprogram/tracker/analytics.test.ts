/** App start-up analytics: WeChat's privacy authorization gates consent; performance entries become page_perf. */
import {
  CONSENT_RECORDED_KEY,
  PRIVACY_NOTICE_VERSION,
  startAnalytics,
} from '../../../miniprogram/services/analytics';
import type { AnalyticsWx } from '../../../miniprogram/services/analytics';
import type { ConsentState } from '../../../typings';
import { OPT_OUT_KEY } from '../../../miniprogram/services/tracker';
import type { Tracker } from '../../../miniprogram/services/tracker';
import { createApiClient, setCallObserver } from '../../../miniprogram/services/api';
import { startPerfCollection } from '../../../miniprogram/services/perf-collect';
import type { PerfEntry } from '../../../miniprogram/services/perf-collect';
import { createTracker } from '../../../miniprogram/services/tracker';
import { eventSchema } from '../../../server/events/schema';
import { counterBytes, createFakeServer, createFakeWx } from './fakes';
import {
  forgetPrefetched,
  prefetchPlan,
  takePrefetched,
} from '../../../miniprogram/services/prefetch';

function fakeTracker() {
  const calls = {
    consent: [] as boolean[],
    tracked: [] as Array<[string, object]>,
    /** The types tracked through trackWhenDecided (held while consent is undecided). */
    whenDecided: [] as string[],
  };
  const tracker = {
    sessionId: 's',
    track: (type: string, props: object) => void calls.tracked.push([type, props]),
    trackWhenDecided: (type: string, props: object) => {
      calls.whenDecided.push(type);
      calls.tracked.push([type, props]);
    },
    flush: () => undefined,
    setConsent: (granted: boolean) => void calls.consent.push(granted),
    setSampling: () => undefined,
  } as unknown as Tracker;
  return { tracker, calls };
}

/** wx with storage plus the given calls. */
function fakeWx(
  calls: Partial<AnalyticsWx> = {},
  stored: Record<string, unknown> = {},
): AnalyticsWx & { store: Map<string, unknown> } {
  const store = new Map(Object.entries(stored));
  return {
    store,
    getStorageSync: (k) => (store.has(k) ? store.get(k) : ''),
    setStorageSync: (k, v) => void store.set(k, v),
    removeStorageSync: (k) => void store.delete(k),
    ...calls,
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

/** The server's consent record: granted, refused, or none (erased). */
const serverRecord = (granted: boolean | null): ConsentState => ({
  current: granted === null ? null : { noticeVersion: PRIVACY_NOTICE_VERSION, granted, at: 1 },
  history: [],
  personalized: true,
});

/** getPrivacySetting answering on a later turn, as the real one does. */
const laterPrivacy =
  (needAuthorization: boolean): AnalyticsWx['getPrivacySetting'] =>
  (o) =>
    void setTimeout(() => o.success({ needAuthorization }), 0);

describe('startAnalytics', () => {
  it('on launch re-reads the record: erased elsewhere (none on the server), collection goes off and the device forgets it', async () => {
    const { tracker, calls } = fakeTracker();
    const recordConsent = jest.fn(() => Promise.resolve());
    const w = fakeWx(
      { getPrivacySetting: laterPrivacy(false) },
      { [CONSENT_RECORDED_KEY]: PRIVACY_NOTICE_VERSION },
    );
    startAnalytics(w, tracker, recordConsent, () => Promise.resolve(serverRecord(null)));
    expect(calls.consent).toEqual([]); // nothing decided before WeChat and the server answer
    await settle();
    await settle();
    expect(calls.consent).toEqual([false]);
    expect(w.store.has(CONSENT_RECORDED_KEY)).toBe(false);
    expect(recordConsent).not.toHaveBeenCalled(); // no silent re-consent
  });

  it('on launch, a record the server cannot be asked for (offline) leaves the device’s own standing', async () => {
    const { tracker, calls } = fakeTracker();
    const w = fakeWx(
      { getPrivacySetting: laterPrivacy(false) },
      { [CONSENT_RECORDED_KEY]: PRIVACY_NOTICE_VERSION },
    );
    startAnalytics(
      w,
      tracker,
      () => Promise.resolve(),
      () => Promise.reject(new Error('offline')),
    );
    await settle();
    await settle();
    expect(calls.consent).toEqual([true]);
    expect(w.store.get(CONSENT_RECORDED_KEY)).toBe(PRIVACY_NOTICE_VERSION);
  });

  it('refusing WeChat’s privacy popup turns collection off, forgets the device record and records the refusal', async () => {
    const { tracker, calls } = fakeTracker();
    const recordConsent = jest.fn((_granted: boolean) => Promise.resolve());
    const w = fakeWx(
      {
        getPrivacySetting: laterPrivacy(true),
        requirePrivacyAuthorize: (o) => void setTimeout(() => o.fail?.(), 0),
      },
      { [CONSENT_RECORDED_KEY]: PRIVACY_NOTICE_VERSION },
    );
    startAnalytics(w, tracker, recordConsent, () => Promise.reject(new Error('not asked')));
    await settle();
    await settle();
    expect(calls.consent).toEqual([false]);
    expect(w.store.has(CONSENT_RECORDED_KEY)).toBe(false);
    expect(recordConsent).toHaveBeenCalledWith(false);
  });

  it('asks for privacy authorization when WeChat says it is needed, and grants consent only on agreement, once the server recorded it', async () => {
    const { tracker, calls } = fakeTracker();
    let agree: () => void = () => undefined;
    const w = fakeWx({
      getPrivacySetting: (o) => o.success({ needAuthorization: true }),
      requirePrivacyAuthorize: (o) => {
        agree = o.success;
      },
    });
    let recorded: () => void = () => undefined;
    const recordConsent = jest.fn(
      (_granted: boolean) => new Promise<void>((resolve) => (recorded = resolve)),
    );
    startAnalytics(w, tracker, recordConsent);
    expect(calls.consent).toEqual([]);
    agree();
    expect(recordConsent).toHaveBeenCalledWith(true);
    await Promise.resolve();
    expect(calls.consent).toEqual([]);
    recorded();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.consent).toEqual([true]);
  });

  it('keeps the tracker off when the server could not record the consent', async () => {
    const { tracker, calls } = fakeTracker();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const w = fakeWx({
      getPrivacySetting: (o) => o.success({ needAuthorization: true }),
      requirePrivacyAuthorize: (o) => o.success(),
    });
    startAnalytics(w, tracker, () => Promise.reject(new Error('offline')));
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.consent).toEqual([]);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('records an earlier agreement once per notice version, then collects without prompting', async () => {
    const { tracker, calls } = fakeTracker();
    const requirePrivacyAuthorize = jest.fn();
    const recordConsent = jest.fn(() => Promise.resolve());
    const w = fakeWx({
      getPrivacySetting: (o) => o.success({ needAuthorization: false }),
      requirePrivacyAuthorize,
    });
    startAnalytics(w, tracker, recordConsent);
    await settle();
    expect(requirePrivacyAuthorize).not.toHaveBeenCalled();
    expect(recordConsent).toHaveBeenCalledTimes(1);
    expect(calls.consent).toEqual([true]);
    expect(w.store.get(CONSENT_RECORDED_KEY)).toBe(PRIVACY_NOTICE_VERSION);

    // Next launch: already recorded for this version, so nothing is recorded again; the server's
    // record is read, and it still holds the consent.
    const next = fakeTracker();
    const readConsent = jest.fn(() => Promise.resolve(serverRecord(true)));
    startAnalytics(w, next.tracker, recordConsent, readConsent);
    await settle();
    expect(recordConsent).toHaveBeenCalledTimes(1);
    expect(readConsent).toHaveBeenCalledTimes(1);
    expect(next.calls.consent).toEqual([true]);
  });

  it('leaves collection off for a user who turned it off in the app', async () => {
    const { tracker, calls } = fakeTracker();
    const recordConsent = jest.fn(() => Promise.resolve());
    const w = fakeWx(
      { getPrivacySetting: (o) => o.success({ needAuthorization: false }) },
      { [OPT_OUT_KEY]: true },
    );
    startAnalytics(w, tracker, recordConsent);
    await settle();
    expect(recordConsent).not.toHaveBeenCalled();
    expect(calls.consent).toEqual([]);
  });

  it('reports what the feed prefetched when the app hides (the prefetch A/B cost), once per batch of use', async () => {
    const { tracker, calls } = fakeTracker();
    let hide: () => void = () => undefined;
    startAnalytics(fakeWx({ onAppHide: (cb: () => void) => (hide = cb) }), tracker, () =>
      Promise.resolve(),
    );
    hide(); // nothing prefetched yet: nothing sent
    expect(calls.tracked.filter(([t]) => t === 'prefetch')).toEqual([]);
    const api = {
      call: async (_fn: string, req: { action: string }) =>
        req.action === 'item.get'
          ? { action: 'item.get', item: { id: 'a' }, liked: false }
          : { action: 'comment.list', comments: [], cursor: null },
    } as never;
    // These tests run without miniprogram-simulate's wx: the prefetch asks only the network type.
    const g = globalThis as { wx?: unknown };
    g.wx = { getNetworkType: async () => ({ networkType: 'wifi' }) };
    await prefetchPlan({ policy: 'learned', itemIds: ['a'], bytes: [100] }, api);
    expect(takePrefetched('a')).toMatchObject({
      item: { action: 'item.get', item: { id: 'a' }, liked: false },
      comments: { action: 'comment.list', comments: [], cursor: null },
    });
    hide();
    hide(); // counted afresh after each report
    const sent = calls.tracked.filter(([t]) => t === 'prefetch');
    expect(sent).toHaveLength(1);
    expect(sent[0][1]).toMatchObject({ calls: 2, hits: 1, page: 'pages/feed/index' });
    expect((sent[0][1] as { bytes: number }).bytes).toBeGreaterThan(50);
    forgetPrefetched();
    delete g.wx;
  });

  it('turns the performance entries the contract names into page_perf events', () => {
    const { tracker, calls } = fakeTracker();
    let deliver: (list: {
      getEntries(): Array<{ name: string; duration: number; path?: string }>;
    }) => void = () => undefined;
    const observe = jest.fn();
    startAnalytics(
      fakeWx({
        getPerformance: () => ({
          createObserver: (cb) => {
            deliver = cb;
            return { observe };
          },
        }),
      }),
      tracker,
      () => Promise.resolve(),
    );
    expect(observe).toHaveBeenCalledWith({
      entryTypes: ['navigation', 'render', 'script', 'loadPackage'],
    });
    deliver({
      getEntries: () => [
        { name: 'appLaunch', duration: 812.4 },
        { name: 'firstRender', duration: 120, path: 'pages/feed/index' },
        { name: 'downloadPackage', duration: 300 },
        { name: 'somethingNew', duration: 5 },
        { name: 'route', duration: Number.NaN },
      ],
    });
    expect(calls.tracked).toEqual([
      ['page_perf', { metric: 'appLaunch', durationMs: 812, page: 'app' }],
      ['page_perf', { metric: 'firstRender', durationMs: 120, page: 'pages/feed/index' }],
      ['page_perf', { metric: 'loadPackage', durationMs: 300, page: 'app' }],
    ]);
  });

  it('adds the release, platform and network to perf events, the route it came from, call latency, errors and memory warnings', async () => {
    const { tracker, calls } = fakeTracker();
    let deliver: (list: { getEntries(): PerfEntry[] }) => void = () => undefined;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each wx callback has its own argument
    const on: Record<string, (res: any) => void> = {};
    startAnalytics(
      fakeWx({
        getAccountInfoSync: () => ({ miniProgram: { version: '1.4.0', envVersion: 'release' } }),
        getDeviceInfo: () => ({ platform: 'android' }),
        getNetworkType: (o) => o.success({ networkType: 'wifi' }),
        onNetworkStatusChange: (cb) => void (on.network = cb),
        onError: (cb) => void (on.error = cb),
        onUnhandledRejection: (cb) => void (on.rejection = cb),
        onMemoryWarning: (cb) => void (on.memory = cb),
        getPerformance: () => ({
          createObserver: (cb) => {
            deliver = cb;
            return { observe: () => undefined };
          },
        }),
      }),
      tracker,
      () => Promise.resolve(),
    );
    const ctx = { appVersion: '1.4.0', platform: 'android', network: 'wifi' };
    deliver({
      getEntries: () => [
        {
          name: 'route',
          duration: 85.2,
          path: 'pages/detail/index',
          referrerPath: '/pages/feed/index?x=1',
        },
      ],
    });
    on.network({ networkType: '4g' });
    on.error('TypeError: x is undefined');
    on.rejection({ reason: 'boom' });
    on.memory({ level: 10 });
    const api = createApiClient({
      send: (name) =>
        Promise.resolve(
          name === 'recommend' ? { ok: true, data: {} } : { ok: false, code: 'INTERNAL' },
        ),
    });
    await api.call('recommend', { limit: 3 });
    await api.call('track', { schemaVersion: 1, events: [] }).catch(() => undefined);
    await api.call('content', { action: 'item.get', itemId: 'i1' }).catch(() => undefined);
    const net4g = { ...ctx, network: '4g' };
    expect(calls.tracked).toEqual([
      [
        'page_perf',
        {
          metric: 'route',
          durationMs: 85,
          page: 'pages/detail/index',
          fromPage: 'pages/feed/index',
          ...ctx,
        },
      ],
      // before any page exists (no getCurrentPages here) they name the app as a whole
      ['app_error', { kind: 'error', ...net4g, page: 'app' }],
      ['app_error', { kind: 'rejection', ...net4g, page: 'app' }],
      ['app_error', { kind: 'memory', level: 10, ...net4g, page: 'app' }],
      [
        'api_call',
        { fn: 'recommend', durationMs: expect.any(Number), ok: true, ...net4g, page: 'app' },
      ],
      // the tracker's own `track` calls are not measured
      [
        'api_call',
        { fn: 'content', durationMs: expect.any(Number), ok: false, ...net4g, page: 'app' },
      ],
    ]);
    // each waits for the consent decision instead of being dropped before it (a cold start)
    expect(new Set(calls.whenDecided)).toEqual(new Set(['page_perf', 'app_error', 'api_call']));
    setCallObserver(null);
  });
});

describe('performance entries as each base library names them', () => {
  /** Collection over a fake tracker, with the observer's deliveries in the test's hands. */
  function observed() {
    const { tracker, calls } = fakeTracker();
    let deliver: (list: { getEntries(): PerfEntry[] }) => void = () => undefined;
    startPerfCollection(
      {
        getPerformance: () => ({
          createObserver: (cb) => {
            deliver = cb;
            return { observe: () => undefined };
          },
        }),
      },
      tracker,
    );
    return { calls, deliver: (...entries: PerfEntry[]) => deliver({ getEntries: () => entries }) };
  }

  it("times the paints (points without a duration) from their page's navigation, whichever list brings it first", () => {
    const { calls, deliver } = observed();
    const detail = { path: 'pages/detail/index', pageId: 7 };
    // FCP comes before the route entry that opened its page: it waits for it.
    deliver({
      name: 'firstContentfulPaint',
      entryType: 'render',
      startTime: 1450,
      duration: 0,
      ...detail,
    });
    expect(calls.tracked).toEqual([]);
    deliver(
      {
        name: 'route',
        entryType: 'navigation',
        startTime: 1000,
        duration: 300,
        referrerPath: 'pages/feed/index',
        ...detail,
      },
      { name: 'firstPaint', entryType: 'render', startTime: 1200, duration: 0, ...detail },
      { name: 'largestContentfulPaint', entryType: 'render', startTime: 1900, ...detail },
      // a paint of a page whose navigation never came is not reported (no start to count from)
      {
        name: 'firstPaint',
        entryType: 'render',
        startTime: 10,
        duration: 0,
        path: 'pages/me/index',
        pageId: 8,
      },
      // the detail page opened again (another instance): its paint counts from its own route
      {
        name: 'route',
        entryType: 'navigation',
        startTime: 5000,
        duration: 200,
        path: 'pages/detail/index',
        pageId: 9,
      },
      { name: 'firstPaint', entryType: 'render', startTime: 5150, ...detail, pageId: 9 },
      // the launch: its page's paints count from the launch's start, matched by path alone
      {
        name: 'appLaunch',
        entryType: 'navigation',
        startTime: 0,
        duration: 900,
        path: 'pages/feed/index',
      },
      {
        name: 'firstContentfulPaint',
        entryType: 'render',
        startTime: 640,
        path: 'pages/feed/index',
      },
    );
    const perf = calls.tracked.map(([, p]) => p);
    expect(perf).toEqual([
      {
        metric: 'route',
        durationMs: 300,
        page: 'pages/detail/index',
        fromPage: 'pages/feed/index',
      },
      { metric: 'firstContentfulPaint', durationMs: 450, page: 'pages/detail/index' },
      { metric: 'firstPaint', durationMs: 200, page: 'pages/detail/index' },
      { metric: 'largestContentfulPaint', durationMs: 900, page: 'pages/detail/index' },
      { metric: 'route', durationMs: 200, page: 'pages/detail/index' },
      { metric: 'firstPaint', durationMs: 150, page: 'pages/detail/index' },
      { metric: 'appLaunch', durationMs: 900, page: 'pages/feed/index' },
      { metric: 'firstContentfulPaint', durationMs: 640, page: 'pages/feed/index' },
    ]);
  });

  it('reports script and package entries (no page of their own) under the package they loaded', () => {
    const { calls, deliver } = observed();
    deliver(
      {
        name: 'evaluateScript',
        entryType: 'script',
        startTime: 5,
        duration: 40.4,
        moduleName: '__APP__',
      },
      {
        name: 'evaluateScript',
        entryType: 'script',
        startTime: 50,
        duration: 22,
        moduleName: 'merchant',
      },
      {
        name: 'downloadPackage',
        entryType: 'loadPackage',
        startTime: 60,
        duration: 250,
        packageName: 'merchant',
      },
      { name: 'resourceTiming', entryType: 'resource', startTime: 70, duration: 12 }, // not in the contract
    );
    expect(calls.tracked.map(([, p]) => p)).toEqual([
      { metric: 'evaluateScript', durationMs: 40, page: 'package/__APP__' },
      { metric: 'evaluateScript', durationMs: 22, page: 'package/merchant' },
      { metric: 'loadPackage', durationMs: 250, page: 'package/merchant' },
    ]);
  });

  it("keeps a cold start's entries until the consent is known, then sends them as track accepts them; a refusal drops them", () => {
    jest.useFakeTimers();
    try {
      for (const granted of [true, false]) {
        const wx = createFakeWx({ privacy: 'agreed' });
        const server = createFakeServer();
        const tracker = createTracker({
          send: server.send,
          wx,
          random: () => 0.5,
          randomBytes: counterBytes(),
          currentPage: () => '', // no page exists yet
          consentMode: 'manual', // decided when the server's record is read (startAnalytics)
        });
        let deliver: (list: { getEntries(): PerfEntry[] }) => void = () => undefined;
        let fail: (message: string) => void = () => undefined;
        startPerfCollection(
          {
            getAccountInfoSync: () => ({ miniProgram: { version: '1.4.0' } }),
            getDeviceInfo: () => ({ platform: 'ios' }),
            onError: (cb) => void (fail = cb),
            getPerformance: () => ({
              createObserver: (cb) => {
                deliver = cb;
                return { observe: () => undefined };
              },
            }),
          },
          tracker,
        );
        deliver({
          getEntries: () => [
            { name: 'evaluateScript', startTime: 1, duration: 30, moduleName: '__APP__' },
            { name: 'appLaunch', startTime: 0, duration: 800, path: 'pages/feed/index', pageId: 1 },
            { name: 'firstPaint', startTime: 500, path: 'pages/feed/index', pageId: 1 },
          ],
        });
        fail('TypeError');
        tracker.setConsent(granted);
        wx.hideApp();
        if (!granted) {
          expect(server.send).not.toHaveBeenCalled();
          continue;
        }
        const sent = server.last().req.events;
        expect(sent.map((e) => [e.type, e.page, 'metric' in e ? e.metric : undefined])).toEqual([
          ['page_perf', 'package/__APP__', 'evaluateScript'],
          ['page_perf', 'pages/feed/index', 'appLaunch'],
          ['page_perf', 'pages/feed/index', 'firstPaint'],
          ['app_error', 'app', undefined],
        ]);
        // every one passes track's own validation (an event without a page would be refused)
        for (const e of sent) expect(eventSchema.safeParse(e).success).toBe(true);
      }
    } finally {
      jest.useRealTimers();
    }
  });
});
