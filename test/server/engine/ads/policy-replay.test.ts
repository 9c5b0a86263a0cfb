/**
 * selectAds' replays skip work (posteriors once, only the best fixed bidders carried into each
 * auction) but must make exactly the choices, prices and propensities of the plain policy:
 * every candidate drawn in every run, the auction over all of them, with the same random stream.
 */
import {
  gspPrices,
  runAuction,
  type AuctionWinner,
  type Bidder,
} from '../../../../server/engine/ads/auction';
import { betaMean, posterior, sampleBeta } from '../../../../server/engine/ads/explore';
import { DEFAULT_AD_PARAMS } from '../../../../server/engine/ads/params';
import { selectAds, type PolicyCandidate } from '../../../../server/engine/ads/policy';
import { mulberry32 } from '../../../../server/engine/models/rng';

type Rules = typeof DEFAULT_AD_PARAMS;

/** The policy as first written: one full pass over the candidates per run. */
function plainDraw(
  cands: readonly PolicyCandidate[],
  slots: number,
  rules: Rules,
  rng: () => number,
): AuctionWinner[] {
  const bidders: Bidder[] = [];
  for (const c of cands) {
    if (c.pass < 1 && rng() >= c.pass) continue;
    if (c.impressions < rules.exploreBelowImpressions) {
      const post = posterior(c.modelCtr, rules.priorStrength, c.clicks, c.impressions);
      bidders.push({
        id: c.id,
        bidFen: c.bidFen,
        ctr: sampleBeta(post, rng),
        quality: betaMean(post),
      });
    } else bidders.push({ id: c.id, bidFen: c.bidFen, ctr: c.modelCtr, quality: c.modelCtr });
  }
  return runAuction(bidders, slots, rules);
}

function plainSelect(
  cands: readonly PolicyCandidate[],
  slots: number,
  rules: Rules,
  rng: () => number,
) {
  if (slots <= 0 || cands.length === 0) return [];
  const served = plainDraw(cands, slots, rules, rng);
  const random = cands.some((c) => c.pass < 1 || c.impressions < rules.exploreBelowImpressions);
  const replays = rules.propensityDraws - 1;
  const hits = served.map(() => 0);
  if (random) {
    for (let k = 0; k < replays; k++) {
      const replay = plainDraw(cands, slots, rules, rng);
      served.forEach((w, i) => {
        if (replay[w.rank]?.id === w.id) hits[i] += 1;
      });
    }
  }
  const meanCtr = (c: PolicyCandidate) =>
    c.impressions < rules.exploreBelowImpressions
      ? betaMean(posterior(c.modelCtr, rules.priorStrength, c.clicks, c.impressions))
      : c.modelCtr;
  const prices = gspPrices(
    served.map((w) => w.id),
    cands.map((c) => ({ id: c.id, bidFen: c.bidFen, ctr: meanCtr(c), quality: meanCtr(c) })),
    rules,
  );
  return served.map((w, i) => ({
    ...w,
    priceFen: prices[i],
    explored: cands.find((c) => c.id === w.id)!.impressions < rules.exploreBelowImpressions,
    ...(random ? { propensity: hits[i] / replays, propensitySamples: replays } : { propensity: 1 }),
  }));
}

describe('selectAds replays', () => {
  it('equal the plain policy run for run on random candidate sets (ties, throttled, explored, below the floors)', () => {
    const r = mulberry32(2026);
    const rules: Rules = { ...DEFAULT_AD_PARAMS, propensityDraws: 24 };
    let randomSets = 0;
    for (let trial = 0; trial < 400; trial++) {
      const n = Math.floor(r() * 40);
      const cands: PolicyCandidate[] = Array.from({ length: n }, (_, i) => {
        const u = r();
        return {
          id: `c${(i * 7919) % 97}-${i}`,
          // Few distinct bids and CTRs: equal eCPMs happen.
          bidFen: [3, 20, 40, 80][Math.floor(r() * 4)],
          modelCtr: [0.001, 0.01, 0.02, 0.04][Math.floor(r() * 4)],
          clicks: Math.floor(r() * 20),
          impressions: u < 0.3 ? Math.floor(r() * 999) : 1000 + Math.floor(r() * 5000),
          pass: u > 0.8 ? r() : trial % 5 === 0 ? 1 : r() < 0.5 ? 1 : 0.3 + 0.7 * r(),
        };
      });
      if (cands.some((c) => c.pass < 1 || c.impressions < rules.exploreBelowImpressions))
        randomSets++;
      const slots = 1 + Math.floor(r() * 3);
      const seed = Math.floor(r() * 2 ** 31);
      expect(selectAds(cands, slots, rules, mulberry32(seed))).toEqual(
        plainSelect(cands, slots, rules, mulberry32(seed)),
      );
    }
    expect(randomSets).toBeGreaterThan(300);
  });
});
