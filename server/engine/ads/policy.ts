/**
 * The randomised ad policy of one request: pacing coin flips, Thompson-sampled CTRs for ads
 * still being explored, then the GSP auction. Each served ad's propensity — the probability
 * that this policy puts that ad at that rank, given the request — is estimated by replaying the
 * policy's random draws `propensityDraws` times (the served draw counts as one of them), so it
 * is at least 1 / draws and exactly 1 when nothing random could change the outcome. Logged with
 * the slate, it makes later off-policy evaluation (inverse propensity scoring) possible.
 */
import { runAuction, type AuctionWinner, type Bidder } from './auction';
import { betaMean, posterior, sampleBeta } from './explore';
import type { AdParams } from './params';

export interface PolicyCandidate {
  id: string;
  bidFen: number;
  /** The click model's CTR for this user and context (or the prior when there is no model). */
  modelCtr: number;
  /** Lifetime observed clicks and viewable impressions of the ad. */
  clicks: number;
  impressions: number;
  /** Pacing pass probability (0–1). */
  pass: number;
}

export interface PolicyWinner extends AuctionWinner {
  /** Whether the CTR the auction used was a Thompson sample. */
  explored: boolean;
  propensity: number;
}

type Rules = Pick<AdParams, 'reserveFen' | 'minCtr' | 'priorStrength' | 'exploreBelowImpressions' | 'propensityDraws'>;

function draw(cands: readonly PolicyCandidate[], slots: number, rules: Rules, rng: () => number): AuctionWinner[] {
  const bidders: Bidder[] = [];
  for (const c of cands) {
    if (c.pass < 1 && rng() >= c.pass) continue;
    if (c.impressions < rules.exploreBelowImpressions) {
      const post = posterior(c.modelCtr, rules.priorStrength, c.clicks, c.impressions);
      bidders.push({ id: c.id, bidFen: c.bidFen, ctr: sampleBeta(post, rng), quality: betaMean(post) });
    } else {
      bidders.push({ id: c.id, bidFen: c.bidFen, ctr: c.modelCtr, quality: c.modelCtr });
    }
  }
  return runAuction(bidders, slots, rules);
}

export function selectAds(cands: readonly PolicyCandidate[], slots: number, rules: Rules, rng: () => number): PolicyWinner[] {
  if (slots <= 0 || cands.length === 0) return [];
  const served = draw(cands, slots, rules, rng);
  const random = cands.some((c) => c.pass < 1 || c.impressions < rules.exploreBelowImpressions);
  const hits = served.map(() => 1);
  if (random) {
    for (let k = 1; k < rules.propensityDraws; k++) {
      const replay = draw(cands, slots, rules, rng);
      served.forEach((w, i) => {
        if (replay[w.rank]?.id === w.id) hits[i] += 1;
      });
    }
  }
  const explored = new Set(cands.filter((c) => c.impressions < rules.exploreBelowImpressions).map((c) => c.id));
  return served.map((w, i) => ({
    ...w,
    explored: explored.has(w.id),
    propensity: random ? hits[i] / rules.propensityDraws : 1,
  }));
}
