/** Prices that do not depend on dice: GSP on posterior-mean eCPMs of the eligible ads (hand-computed). */
import { gspPrices, type Bidder } from '../../../../server/engine/ads/auction';
import { DEFAULT_AD_PARAMS } from '../../../../server/engine/ads/params';
import { selectAds, type PolicyCandidate } from '../../../../server/engine/ads/policy';
import { mulberry32 } from '../../../../server/engine/models/rng';

const rules = { ...DEFAULT_AD_PARAMS, reserveFen: 5, minCtr: 0.001 };
const bidder = (id: string, bidFen: number, ctr: number): Bidder => ({
  id,
  bidFen,
  ctr,
  quality: ctr,
});

describe('gspPrices', () => {
  // Mean eCPMs (fen per mille): A 100 × 0.02 → 2000, B 150 × 0.01 → 1500, C 120 × 0.015 → 1800, D 50 × 0.02 → 1000.
  const eligible = [
    bidder('A', 100, 0.02),
    bidder('B', 150, 0.01),
    bidder('C', 120, 0.015),
    bidder('D', 50, 0.02),
  ];

  it('prices each winner against the best mean eCPM not placed above or at its rank', () => {
    // A first: best other is C (1800) → ⌊1800 / 20⌋ + 1 = 91; C second: best left is B (1500) → ⌊1500 / 15⌋ + 1 = 101.
    expect(gspPrices(['A', 'C'], eligible, rules)).toEqual([91, 101]);
  });

  it('charges an explored winner ranked above a better mean at most its bid, and the runner-up as if ranked by means', () => {
    // C won the draw over A: to beat A's 2000 by means it would need ⌊2000 / 15⌋ + 1 = 134 > its bid 120 → 120.
    // A second: B (1500) is the best left → ⌊1500 / 20⌋ + 1 = 76.
    expect(gspPrices(['C', 'A'], eligible, rules)).toEqual([120, 76]);
  });

  it('never goes below the reserve, and uses the reserve with no rival', () => {
    // D bids under the reserve: not a rival. E's eCPM 10 × 0.002 → 20: ⌊20 / 20⌋ + 1 = 2 → reserve 5.
    expect(gspPrices(['A'], [bidder('A', 100, 0.02), bidder('D', 2, 0.02)], rules)).toEqual([5]);
    expect(gspPrices(['A'], [bidder('A', 100, 0.02), bidder('E', 10, 0.002)], rules)).toEqual([5]);
  });
});

describe('selectAds prices', () => {
  const mature = (id: string, bidFen: number, modelCtr: number): PolicyCandidate => ({
    id,
    bidFen,
    modelCtr,
    clicks: 0,
    impressions: 1_000_000,
    pass: 1,
  });
  // C is explored (no impressions): its posterior mean is its model CTR, 0.015 (eCPM 1800), but
  // a Thompson draw often ranks it above A (2000) or below D; B is paced (its coin decides entry).
  const cands: PolicyCandidate[] = [
    mature('A', 100, 0.02),
    { ...mature('B', 150, 0.01), pass: 0.5 },
    { id: 'C', bidFen: 120, modelCtr: 0.015, clicks: 0, impressions: 0, pass: 1 },
    mature('D', 50, 0.02),
  ];
  it('depend only on who won, not on the draws, including an explored winner', () => {
    const rng = mulberry32(99);
    const seen = new Map<string, Set<string>>();
    for (let i = 0; i < 3000; i++) {
      const w = selectAds(cands, 2, { ...rules, propensityDraws: 2 }, rng);
      const key = w.map((x) => x.id).join(',');
      const prices = w.map((x) => x.priceFen).join(',');
      if (!seen.has(key)) seen.set(key, new Set());
      seen.get(key)!.add(prices);
    }
    // One price list per outcome: the dice changed who won, never what a winner paid.
    for (const [, prices] of seen) expect(prices.size).toBe(1);
    const price = (k: string) => [...seen.get(k)!][0];
    expect(price('A,C')).toBe('91,101');
    // The explored C ahead of A: C pays its bid (a mean of 1800 does not beat A's 2000), A pays
    // against B (1500): 76 — before, C's sampled CTR priced A, up to A's whole bid.
    expect(price('C,A')).toBe('120,76');
    expect(seen.has('C,A')).toBe(true);
  });
});
