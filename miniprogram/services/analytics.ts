/**
 * The app-wide tracker and what feeds it at app level: WeChat's privacy authorization (nothing
 * is collected before the user agrees) and Mini Program performance entries as page_perf events.
 */
import type { PagePerfEvent } from '../../typings';
import { getApi } from './api';
import type { ApiClient } from './api';
import { createTracker } from './tracker';
import type { Tracker } from './tracker';

let current: Tracker | null = null;

/** The app-wide tracker, created on first use; it sends batches through the typed API client. */
export function getTracker(): Tracker {
  current ??= createTracker({ send: (req) => getApi().call('track', req) });
  return current;
}

/** Replaces the app-wide tracker (tests); null builds a new one on next use. */
export function setTracker(tracker: Tracker | null): void {
  current = tracker;
}

/** performance entry → page_perf metric: only the entries the event contract names. */
const PERF_METRICS: Record<string, PagePerfEvent['metric']> = {
  appLaunch: 'appLaunch',
  route: 'route',
  firstRender: 'firstRender',
  firstPaint: 'firstPaint',
  firstContentfulPaint: 'firstContentfulPaint',
  largestContentfulPaint: 'largestContentfulPaint',
  evaluateScript: 'evaluateScript',
  downloadPackage: 'loadPackage',
};

interface PerfEntry {
  name: string;
  duration: number;
  path?: string;
}

/** The wx calls app start-up uses here; the real wx satisfies it. */
export interface AnalyticsWx {
  getPrivacySetting?(o: { success(res: { needAuthorization: boolean }): void }): void;
  requirePrivacyAuthorize?(o: { success(): void; fail?(): void }): void;
  getPerformance?(): { createObserver(cb: (list: { getEntries(): PerfEntry[] }) => void): { observe(o: { entryTypes: string[] }): void } };
}

/** Version of the privacy notice the app shows; recorded with the user's answer. */
export const PRIVACY_NOTICE_VERSION = '2026-11';

/** Records the answer on the server (`account`): `track` stores nothing for a user without it. */
export type RecordConsent = (granted: boolean) => Promise<unknown>;

/** The recorder over an API client (the app's by default). */
export const consentRecorder =
  (api: Pick<ApiClient, 'call'>): RecordConsent =>
  (granted) =>
    api.call('account', { action: 'consent.set', noticeVersion: PRIVACY_NOTICE_VERSION, granted });

const recordOnServer: RecordConsent = (granted) => consentRecorder(getApi())(granted);

/**
 * Called once from App.onLaunch. If WeChat says the user has not agreed to the privacy notice
 * yet, asks through WeChat's own authorization flow; on "agree" the consent is recorded on the
 * server first, and the tracker collects only once that succeeded.
 */
export function startAnalytics(
  w: AnalyticsWx = wx as unknown as AnalyticsWx,
  tracker: Tracker = getTracker(),
  recordConsent: RecordConsent = recordOnServer,
): void {
  w.getPrivacySetting?.({
    success: (res) => {
      if (!res.needAuthorization) return;
      w.requirePrivacyAuthorize?.({
        success: () => {
          recordConsent(true).then(
            () => tracker.setConsent(true),
            // Without the server record every event would be dropped: stay off until the next launch asks again.
            (err: unknown) => console.warn('privacy consent not recorded; analytics stay off', err),
          );
        },
      });
    },
  });
  const perf = w.getPerformance?.();
  if (!perf) return;
  perf
    .createObserver((list) => {
      for (const entry of list.getEntries()) {
        const metric = PERF_METRICS[entry.name];
        if (!metric || !(entry.duration >= 0)) continue;
        tracker.track('page_perf', { metric, durationMs: Math.round(entry.duration), ...(entry.path ? { page: entry.path } : {}) });
      }
    })
    .observe({ entryTypes: ['navigation', 'render', 'script', 'loadPackage'] });
}
