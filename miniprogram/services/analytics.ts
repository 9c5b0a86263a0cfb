/**
 * The app-wide tracker and what feeds it at app level: WeChat's privacy authorization (nothing
 * is collected before the user agrees) and the app's own performance (services/perf-collect.ts).
 */
import type { ConsentState } from '../../typings';
import { getApi } from './api';
import type { ApiClient } from './api';
import { CONSENT_RECORDED_KEY, applyConsent } from './consent';
import { maybeOnboard } from './onboarding';
import { startPerfCollection } from './perf-collect';
import type { PerfWx } from './perf-collect';
import { OPT_OUT_KEY, createTracker } from './tracker';
import type { Tracker } from './tracker';

export { CONSENT_RECORDED_KEY };

let current: Tracker | null = null;

/**
 * The app-wide tracker, created on first use; it sends batches through the typed API client and
 * collects only once startAnalytics has the consent recorded on the server.
 */
export function getTracker(): Tracker {
  current ??= createTracker({ send: (req) => getApi().call('track', req), consentMode: 'manual' });
  return current;
}

/** Replaces the app-wide tracker (tests); null builds a new one on next use. */
export function setTracker(tracker: Tracker | null): void {
  current = tracker;
}

/** The wx calls app start-up uses here; the real wx satisfies it. */
export interface AnalyticsWx extends PerfWx {
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, data: unknown): void;
  removeStorageSync(key: string): void;
  getPrivacySetting?(o: { success(res: { needAuthorization: boolean }): void }): void;
  requirePrivacyAuthorize?(o: { success(): void; fail?(): void }): void;
}

/** Version of the privacy notice the app shows; recorded with the user's answer. */
export const PRIVACY_NOTICE_VERSION = '2026-11';

/**
 * Records the answer on the server (`account`): `track` stores nothing for a user without it. A
 * withdrawal erases the user's data there unless `keepHistory` is true.
 */
export type RecordConsent = (granted: boolean, keepHistory?: boolean) => Promise<unknown>;

/** The recorder over an API client (the app's by default). */
export const consentRecorder =
  (api: Pick<ApiClient, 'call'>): RecordConsent =>
  (granted, keepHistory) =>
    api.call('account', {
      action: 'consent.set',
      noticeVersion: PRIVACY_NOTICE_VERSION,
      granted,
      ...(!granted && keepHistory !== undefined ? { keepHistory } : {}),
    });

const recordOnServer: RecordConsent = (granted) => consentRecorder(getApi())(granted);

/** Reads the server's consent record (`account` consent.get). */
export type ReadConsent = () => Promise<ConsentState>;

const readFromServer: ReadConsent = async () => {
  const res = await getApi().call('account', { action: 'consent.get' });
  if (!('consent' in res)) throw new Error('unexpected answer');
  return res.consent;
};

/**
 * Called once from App.onLaunch. If WeChat says the user has not agreed to the privacy notice
 * yet, asks through WeChat's own authorization flow. On "agree", or when the user agreed on an
 * earlier launch but this device has not recorded it for this notice version, the consent is
 * recorded on the server first, and the tracker collects only once that succeeded. When this
 * device did record it, the server's record is read again (an erasure or another device may have
 * removed or withdrawn it) and decides; unreadable (offline), the device's record stands. A
 * refusal of WeChat's popup is recorded (best effort) and turns collection off here. A user who
 * turned collection off in the app stays off.
 */
export function startAnalytics(
  w: AnalyticsWx = wx as unknown as AnalyticsWx,
  tracker: Tracker = getTracker(),
  recordConsent: RecordConsent = recordOnServer,
  readConsent: ReadConsent = readFromServer,
): void {
  const grant = (): void => {
    recordConsent(true).then(
      () => {
        w.setStorageSync(CONSENT_RECORDED_KEY, PRIVACY_NOTICE_VERSION);
        tracker.setConsent(true);
        // The first launch's consent just landed: the feed may now offer 选择你感兴趣的内容.
        maybeOnboard(w);
      },
      // Without the server record every event would be dropped: stay off until the next launch tries again.
      (err: unknown) => console.warn('privacy consent not recorded; analytics stay off', err),
    );
  };
  const refuse = (): void => {
    w.removeStorageSync(CONSENT_RECORDED_KEY);
    tracker.setConsent(false);
    recordConsent(false).catch((err: unknown) =>
      console.warn('privacy refusal not recorded; collection is off on this device', err),
    );
  };
  const recheck = (): void => {
    readConsent().then(
      (state) => void applyConsent(state, tracker, w),
      () => tracker.setConsent(true), // offline: what this device recorded stands until the next read
    );
  };
  const decide = (needAuthorization: boolean): void => {
    if (w.getStorageSync(OPT_OUT_KEY) === true) return; // the user turned collection off in the app
    if (needAuthorization) w.requirePrivacyAuthorize?.({ success: grant, fail: refuse });
    // Agreed earlier (or no privacy flow on this base library): record it once per notice version.
    else if (w.getStorageSync(CONSENT_RECORDED_KEY) === PRIVACY_NOTICE_VERSION) recheck();
    else grant();
  };
  if (w.getPrivacySetting) w.getPrivacySetting({ success: (res) => decide(res.needAuthorization) });
  else decide(false);
  startPerfCollection(w, tracker);
}
