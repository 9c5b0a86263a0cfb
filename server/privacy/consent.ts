/** Consent answers and the personalisation switch (PIPL art. 24): recorded per user, read back with history. */
import type { ConsentState } from '../../typings';
import type { Stores } from '../ports';
import { clearDemographics } from './demographics';
import { forgetGate } from './gate';
import { clearRisk } from './risk';
import { clearInterests } from './interests';

export async function consentState(stores: Stores, openid: string): Promise<ConsentState> {
  const [settings, history] = await Promise.all([
    stores.privacy.getSettings(openid),
    stores.privacy.consentHistory(openid),
  ]);
  return {
    current: settings?.consent ?? null,
    history,
    personalized: settings?.personalised ?? true,
  };
}

export async function recordConsent(
  stores: Stores,
  openid: string,
  noticeVersion: string,
  granted: boolean,
  now: number,
): Promise<ConsentState> {
  await stores.privacy.recordConsent(openid, { noticeVersion, granted, at: now });
  // Withdrawing consent withdraws what was shared for ad targeting, the risk assessment and the
  // interests chosen at first launch too (server/privacy/demographics.ts, risk.ts, interests.ts).
  if (!granted) {
    await clearDemographics(stores, openid, now);
    await clearRisk(stores, openid, now);
    await clearInterests(stores, openid, now);
  }
  // A withdrawal stops storage at once in this instance (others within the gate's TTL).
  forgetGate(stores, openid);
  return consentState(stores, openid);
}

export async function setPersonalization(
  stores: Stores,
  openid: string,
  enabled: boolean,
  now: number,
): Promise<ConsentState> {
  await stores.privacy.setPersonalised(openid, enabled, now);
  return consentState(stores, openid);
}
