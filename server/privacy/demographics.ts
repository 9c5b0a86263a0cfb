/**
 * Gender / age band / city a user chose to share for ad targeting (the `account` actions
 * demographics.*), and what `recommend` may use of them. Sharing needs a granted consent to the
 * privacy notice; withdrawing that consent clears them (server/privacy/consent.ts); they count
 * only while the feed is personalised. They live in the account settings, so `recommend` reads
 * them with the personalisation switch in its one keyed read.
 */
import type { Demographics } from '../../typings';
import { statedTolerance } from '../engine/risk-assessment';
import { effectiveTolerance, type RiskLevel } from '../engine/suitability';
import { forbidden } from '../errors';
import type { ProfilePayments } from '../engine/profiles/profile';
import type { AccountSettings, Stores } from '../ports';

export async function demographicsOf(stores: Stores, openid: string): Promise<Demographics> {
  return (await stores.privacy.getSettings(openid))?.demographics ?? {};
}

/** Replaces what the user shares with exactly `shared`. */
export async function shareDemographics(
  stores: Stores,
  openid: string,
  shared: Demographics,
  now: number,
): Promise<Demographics> {
  const settings = await stores.privacy.getSettings(openid);
  if (!settings?.consent?.granted)
    throw forbidden(
      '请先同意隐私保护指引，再分享性别、年龄段或城市 (consent to the privacy notice first)',
    );
  await stores.privacy.setDemographics(openid, shared, now);
  return demographicsOf(stores, openid);
}

export async function clearDemographics(
  stores: Stores,
  openid: string,
  now: number,
): Promise<Demographics> {
  // Nothing to withdraw: no write (and no settings document created for a stranger).
  if (Object.keys(await demographicsOf(stores, openid)).length === 0) return {};
  await stores.privacy.setDemographics(openid, {}, now);
  return demographicsOf(stores, openid);
}

export interface ServingSettings {
  /** Personalised feed (the default) or refused (PIPL art. 24). */
  personalised: boolean;
  /** What ad targeting may use: shared attributes while consent is granted and the feed personalised, else none. */
  shared: Demographics;
  /**
   * The risk tolerance the user stated (server/engine/suitability.ts): the questionnaire's level
   * while consent is granted and the assessment valid, else null (no risk-rated product). It
   * holds whatever the personalisation switch: it is what the user stated to be offered
   * financial products at all, a rule that only ever withholds, not a profile of them. The feed
   * caps it by the payment suggestion where it reads the profile (paymentAdjustedTolerance).
   */
  riskTolerance: RiskLevel | null;
  /** Categories picked at first launch, seeding a cold profile: while personalised and consented, else none. */
  chosenInterests: string[];
}

/** What `recommend` uses of the account settings it reads (server/privacy/gate.ts servingGate). */
export function servingOf(settings: AccountSettings | null, now: number): ServingSettings {
  const personalised = settings?.personalised ?? true;
  const granted = settings?.consent?.granted === true;
  const usable = personalised && granted;
  const riskTolerance = granted ? statedTolerance(settings?.risk, now) : null;
  return {
    personalised,
    shared: usable && settings ? settings.demographics : {},
    riskTolerance,
    chosenInterests: usable ? (settings?.interests?.categories ?? []) : [],
  };
}

/**
 * The tolerance suitability acts on: the stated one capped by what the user's payment behaviour
 * supports (train's payment step writes it into the profile's payment summary:
 * server/engine/payments/tolerance.ts), never above the stated one; null stays null. Applied by
 * the feed, which reads the profile anyway, and shown on 我的 (risk.get).
 */
export function paymentAdjustedTolerance(
  stated: number | null | undefined,
  payments: ProfilePayments | null | undefined,
): RiskLevel | null {
  if (stated === null || stated === undefined) return null;
  return effectiveTolerance(stated as RiskLevel, payments?.suggestedTolerance ?? null);
}
