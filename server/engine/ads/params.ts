/** Tunables of the ad auction, pacing and exploration, with defaults; slots and the frequency cap come from server/config.ts. */

export interface AdParams {
  /** Feed positions (0-based, across pages) that carry an ad. */
  slots: readonly number[];
  /** Viewable impressions of one ad per user per CST day before it stops being served to them. */
  frequencyCap: number;
  /** Lowest cost per click, fen: bids below it are not eligible, and no click costs less. */
  reserveFen: number;
  /** Quality floor: an ad whose expected CTR is below this is not shown at any bid. */
  minCtr: number;
  /** CTR assumed for an ad when there is no model (cold start). */
  priorCtr: number;
  /** Weight of the model's (or prior) CTR in the Beta prior, in pseudo-impressions. */
  priorStrength: number;
  /** Ads with fewer lifetime impressions than this are explored (Thompson sampling). */
  exploreBelowImpressions: number;
  /** Monte Carlo replays of the randomised policy used to estimate each served ad's propensity. */
  propensityDraws: number;
  /** Pacing: how far ahead of the even schedule (share of the daily budget) before throttling is total. */
  pacingTolerance: number;
  /** Pacing: the smallest pass probability while ahead, so a throttled campaign still learns. */
  pacingFloor: number;
}

export const DEFAULT_AD_PARAMS: AdParams = {
  slots: [3, 10, 17],
  frequencyCap: 3,
  reserveFen: 5,
  minCtr: 0.002,
  priorCtr: 0.02,
  priorStrength: 50,
  exploreBelowImpressions: 1000,
  propensityDraws: 64,
  pacingTolerance: 0.05,
  pacingFloor: 0,
};
