/**
 * One request's ads, from data to decisions (no I/O): eligibility, pacing, the randomised
 * auction and GSP prices, and which slot each winner takes.
 */
import type { AdReason, Campaign } from '../../../typings';
import { checkEligible, type AdState, type Ineligible } from './eligibility';
import { passProbability } from './pacing';
import type { AdParams } from './params';
import { selectAds, type PolicyCandidate } from './policy';
import { elapsedServingShare } from './schedule';
import type { Audience } from './targeting';

export interface AdStats {
  /** Lifetime viewable impressions and clicks of the ad. */
  impressions: number;
  clicks: number;
}

export interface AdPlanInput {
  campaigns: readonly Campaign[];
  audience: Audience;
  now: number;
  /** Feed positions of this page's ad slots, ascending. */
  positions: readonly number[];
  state(c: Campaign): AdState & AdStats;
  /** The click model's CTR of the ad for this request (the prior when there is no model). */
  ctr(c: Campaign, position: number): number;
  /**
   * The campaign's bid per click for this request, whole fen (oCPC: target × pCVR × factor,
   * capped at bidFen). Absent: every campaign bids its bidFen.
   */
  bid?(c: Campaign, position: number): number;
}

export interface PlannedAd {
  campaign: Campaign;
  reason: AdReason;
  position: number;
  priceFen: number;
  /** The CTR the auction ranked by. */
  ctr: number;
  propensity: number;
  /** Replays behind an estimated propensity (absent when it is exact). */
  propensitySamples?: number;
  explored: boolean;
}

export interface AdPlan {
  ads: PlannedAd[];
  /** Campaigns left out, by why (for logs and tests). */
  excluded: Partial<Record<Ineligible, number>>;
}

export function planAds(input: AdPlanInput, params: AdParams, rng: () => number): AdPlan {
  const excluded: AdPlan['excluded'] = {};
  if (input.positions.length === 0) return { ads: [], excluded };
  const reasons = new Map<string, { c: Campaign; reason: AdReason }>();
  const cands: PolicyCandidate[] = [];
  for (const c of input.campaigns) {
    const st = input.state(c);
    const e = checkEligible(c, input.audience, st, input.now, params.frequencyCap);
    if (!e.ok) {
      excluded[e.why] = (excluded[e.why] ?? 0) + 1;
      continue;
    }
    reasons.set(c.id, { c, reason: e.reason });
    cands.push({
      id: c.id,
      bidFen: input.bid ? input.bid(c, input.positions[0]) : c.bidFen,
      modelCtr: input.ctr(c, input.positions[0]),
      clicks: st.clicks,
      impressions: st.impressions,
      pass: passProbability(st.spentTodayFen, c.dailyBudgetFen, elapsedServingShare(c, input.now), {
        tolerance: params.pacingTolerance,
        floor: params.pacingFloor,
      }),
    });
  }
  const winners = selectAds(cands, input.positions.length, params, rng);
  return {
    excluded,
    ads: winners.map((w) => {
      const { c, reason } = reasons.get(w.id)!;
      return {
        campaign: c,
        reason,
        position: input.positions[w.rank],
        priceFen: w.priceFen,
        ctr: w.ctr,
        propensity: w.propensity,
        ...(w.propensitySamples !== undefined ? { propensitySamples: w.propensitySamples } : {}),
        explored: w.explored,
      };
    }),
  };
}
