/**
 * The device's view of the privacy consent, kept true to the server's record (`account`
 * consent.get). The device collects only while the server holds a granted consent and the person
 * has not turned collection off here; it re-reads the record whenever it may have changed: on
 * launch, after an erasure (which removes the record), after a refusal or a withdrawal.
 */
import type { ConsentState } from '../../typings';
import type { ApiClient } from './api';
import { OPT_OUT_KEY } from './tracker';
import type { Tracker } from './tracker';

/** Storage key: the notice version whose consent this device has seen recorded on the server. */
export const CONSENT_RECORDED_KEY = 'privacy:recorded';

/** The wx storage calls used here; the real wx satisfies it. */
export interface ConsentStorage {
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, data: unknown): void;
  removeStorageSync(key: string): void;
}

/** Whether this device collects now (the 收集使用数据 switch): a recorded consent, not opted out here. */
export function isCollecting(w: ConsentStorage): boolean {
  return w.getStorageSync(OPT_OUT_KEY) !== true && Boolean(w.getStorageSync(CONSENT_RECORDED_KEY));
}

/**
 * Applies the server's record: a granted consent turns collection on (unless the person turned it
 * off on this device, which stands); none, or a refusal, turns it off and forgets the device's
 * "recorded" mark, so nothing is sent that the server would drop. Returns whether it collects.
 */
export function applyConsent(state: ConsentState, tracker: Tracker, w: ConsentStorage): boolean {
  const current = state.current;
  if (current?.granted && w.getStorageSync(OPT_OUT_KEY) !== true) {
    w.setStorageSync(CONSENT_RECORDED_KEY, current.noticeVersion);
    tracker.setConsent(true);
    return true;
  }
  if (!current?.granted) w.removeStorageSync(CONSENT_RECORDED_KEY);
  tracker.setConsent(false);
  return false;
}

/** Re-reads the record (`account` consent.get) and applies it; rejects when it cannot be read. */
export async function syncConsent(
  api: Pick<ApiClient, 'call'>,
  tracker: Tracker,
  w: ConsentStorage,
): Promise<{ collecting: boolean; personalized: boolean }> {
  const res = await api.call('account', { action: 'consent.get' });
  if (!('consent' in res)) throw new Error('unexpected answer');
  return {
    collecting: applyConsent(res.consent, tracker, w),
    personalized: res.consent.personalized,
  };
}
