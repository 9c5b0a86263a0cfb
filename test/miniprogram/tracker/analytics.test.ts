/** App start-up analytics: WeChat's privacy authorization gates consent; performance entries become page_perf. */
import { startAnalytics } from '../../../miniprogram/services/analytics';
import type { AnalyticsWx } from '../../../miniprogram/services/analytics';
import type { Tracker } from '../../../miniprogram/services/tracker';

function fakeTracker() {
  const calls = { consent: [] as boolean[], tracked: [] as Array<[string, object]> };
  const tracker = {
    sessionId: 's',
    track: (type: string, props: object) => void calls.tracked.push([type, props]),
    flush: () => undefined,
    setConsent: (granted: boolean) => void calls.consent.push(granted),
    setSampling: () => undefined,
  } as unknown as Tracker;
  return { tracker, calls };
}

describe('startAnalytics', () => {
  it('asks for privacy authorization when WeChat says it is needed, and grants consent only on agreement, once the server recorded it', async () => {
    const { tracker, calls } = fakeTracker();
    let agree: () => void = () => undefined;
    const w: AnalyticsWx = {
      getPrivacySetting: (o) => o.success({ needAuthorization: true }),
      requirePrivacyAuthorize: (o) => {
        agree = o.success;
      },
    };
    let recorded: () => void = () => undefined;
    const recordConsent = jest.fn((_granted: boolean) => new Promise<void>((resolve) => (recorded = resolve)));
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
    const w: AnalyticsWx = { getPrivacySetting: (o) => o.success({ needAuthorization: true }), requirePrivacyAuthorize: (o) => o.success() };
    startAnalytics(w, tracker, () => Promise.reject(new Error('offline')));
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.consent).toEqual([]);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('does not prompt when the user has already agreed', () => {
    const { tracker } = fakeTracker();
    const requirePrivacyAuthorize = jest.fn();
    startAnalytics({ getPrivacySetting: (o) => o.success({ needAuthorization: false }), requirePrivacyAuthorize }, tracker);
    expect(requirePrivacyAuthorize).not.toHaveBeenCalled();
  });

  it('turns the performance entries the contract names into page_perf events', () => {
    const { tracker, calls } = fakeTracker();
    let deliver: (list: { getEntries(): Array<{ name: string; duration: number; path?: string }> }) => void = () => undefined;
    const observe = jest.fn();
    startAnalytics(
      {
        getPerformance: () => ({
          createObserver: (cb) => {
            deliver = cb;
            return { observe };
          },
        }),
      },
      tracker,
    );
    expect(observe).toHaveBeenCalledWith({ entryTypes: ['navigation', 'render', 'script', 'loadPackage'] });
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
      ['page_perf', { metric: 'appLaunch', durationMs: 812 }],
      ['page_perf', { metric: 'firstRender', durationMs: 120, page: 'pages/feed/index' }],
      ['page_perf', { metric: 'loadPackage', durationMs: 300 }],
    ]);
  });
});
