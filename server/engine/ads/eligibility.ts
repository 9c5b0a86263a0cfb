/**
 * Which campaigns may enter this request's auction: active, within schedule, about the
 * deployment's scene (scene.ts: a 旅游出行 deployment advertises travel only), suitable for the
 * user (a financial product's risk level within the user's risk tolerance), targeted at this
 * audience, with budget left for a click at its bid (today and in total), under the user's
 * frequency cap for the day, and not hidden by the user.
 */
import type { AdReason, Campaign } from '../../../typings';
import { suitable } from '../suitability';
import { inSchedule } from './schedule';
import { inAdScene } from './scene';
import { matchTargeting, type Audience } from './targeting';

export interface AdState {
  /** Fen charged today / over the campaign's life. */
  spentTodayFen: number;
  spentTotalFen: number;
  /** The user's viewable impressions of this ad today. */
  seenToday: number;
  hidden: boolean;
}

export type Ineligible =
  'status' | 'schedule' | 'scene' | 'suitability' | 'targeting' | 'budget' | 'frequency' | 'hidden';

export type Eligibility = { ok: true; reason: AdReason } | { ok: false; why: Ineligible };

const noCategory = (): undefined => undefined;

export function checkEligible(
  c: Campaign,
  audience: Audience,
  state: AdState,
  now: number,
  frequencyCap: number,
): Eligibility {
  if (c.status !== 'active') return { ok: false, why: 'status' };
  if (!inSchedule(c, now)) return { ok: false, why: 'schedule' };
  // The scene's rule, like suitability, before anything that depends on the bid or the score.
  if (!inAdScene(c, audience.adScene, audience.categoryOf ?? noCategory))
    return { ok: false, why: 'scene' };
  // Suitability before anything that depends on the bid or the score: a hard rule.
  if (!suitable(c.riskLevel, audience.riskTolerance)) return { ok: false, why: 'suitability' };
  if (state.hidden) return { ok: false, why: 'hidden' };
  if (state.seenToday >= frequencyCap) return { ok: false, why: 'frequency' };
  // A click may cost up to the bid: serve only while a full-bid click still fits both budgets.
  if (
    c.dailyBudgetFen - state.spentTodayFen < c.bidFen ||
    c.totalBudgetFen - state.spentTotalFen < c.bidFen
  ) {
    return { ok: false, why: 'budget' };
  }
  const reason = matchTargeting(c.targeting, audience);
  return reason ? { ok: true, reason } : { ok: false, why: 'targeting' };
}
