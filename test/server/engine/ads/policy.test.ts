/** Exploration (Thompson sampling on Beta posteriors), propensities of served ads, and ad slots. */
import { betaMean, posterior, sampleBeta } from '../../../../server/engine/ads/explore';
import { DEFAULT_AD_PARAMS } from '../../../../server/engine/ads/params';
import { selectAds, type PolicyCandidate } from '../../../../server/engine/ads/policy';
import { weave } from '../../../../server/engine/ads/slots';
import { mulberry32 } from '../../../../server/engine/models/rng';
import { slotPositions } from '../../../../server/serving/ads';

const rules = { ...DEFAULT_AD_PARAMS, minCtr: 0.001 };
const mature = (id: string, bidFen: number, modelCtr: number): PolicyCandidate => ({
  id,
  bidFen,
  modelCtr,
  clicks: 0,
  impressions: 1_000_000,
  pass: 1,
});

describe('Beta posterior and sampling', () => {
  it('samples with the Beta mean and variance', () => {
    const rng = mulberry32(1);
    for (const b of [
      { alpha: 2, beta: 50 },
      { alpha: 0.5, beta: 0.5 },
      { alpha: 30, beta: 10 },
    ]) {
      const xs = Array.from({ length: 10_000 }, () => sampleBeta(b, rng));
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
      const n = b.alpha + b.beta;
      expect(mean).toBeCloseTo(b.alpha / n, 2);
      const expected = (b.alpha * b.beta) / (n * n * (n + 1));
      expect(Math.abs(variance - expected) / expected).toBeLessThan(0.06);
      expect(xs.every((x) => x >= 0 && x <= 1)).toBe(true);
    }
  });

  it('starts at the prior and moves to the observed CTR as impressions come in', () => {
    expect(betaMean(posterior(0.02, 50, 0, 0))).toBeCloseTo(0.02, 9);
    expect(betaMean(posterior(0.02, 50, 100, 1000))).toBeCloseTo((1 + 100) / (50 + 1000), 9);
    expect(betaMean(posterior(0.02, 50, 5000, 100_000))).toBeCloseTo(0.05, 3);
  });
});

describe('the ad policy', () => {
  it('is deterministic with propensity 1 when no ad is explored or throttled', () => {
    const w = selectAds(
      [mature('A', 100, 0.02), mature('B', 150, 0.01), mature('C', 80, 0.015)],
      2,
      rules,
      mulberry32(3),
    );
    expect(w.map((x) => [x.id, x.priceFen, x.propensity, x.explored])).toEqual([
      ['A', 76, 1, false],
      ['B', 121, 1, false],
    ]);
  });

  it('gives a new ad traffic through Thompson sampling where a greedy ranking never would', () => {
    // The new ad's prior mean (model CTR 0.018) keeps it just under the incumbent's eCPM.
    const cands = [
      mature('old', 100, 0.02),
      { id: 'new', bidFen: 100, modelCtr: 0.018, clicks: 0, impressions: 0, pass: 1 },
    ];
    const rng = mulberry32(11);
    let newWins = 0;
    for (let i = 0; i < 400; i++)
      if (selectAds(cands, 1, { ...rules, propensityDraws: 1 }, rng)[0].id === 'new') newWins++;
    expect(newWins).toBeGreaterThan(80);
    expect(newWins).toBeLessThan(320);
  });

  it('records a propensity that matches how often the policy makes that choice', () => {
    const cands = [
      mature('old', 100, 0.02),
      { id: 'new', bidFen: 100, modelCtr: 0.018, clicks: 2, impressions: 60, pass: 1 },
      { ...mature('paced', 120, 0.02), pass: 0.5 },
    ];
    const rng = mulberry32(5);
    const runs = 600;
    const won: Record<string, number> = {};
    const propensitySum: Record<string, number> = {};
    for (let i = 0; i < runs; i++) {
      const [w] = selectAds(cands, 1, rules, rng);
      won[w.id] = (won[w.id] ?? 0) + 1;
      propensitySum[w.id] = (propensitySum[w.id] ?? 0) + w.propensity;
      expect(w.propensity).toBeGreaterThanOrEqual(0);
      expect(w.propensity).toBeLessThanOrEqual(1);
      expect(w.propensitySamples).toBe(rules.propensityDraws - 1);
    }
    // E[propensity | chosen] ≈ P(chosen) when the estimate is right (to Monte Carlo error).
    for (const id of Object.keys(won))
      expect(propensitySum[id] / won[id]).toBeCloseTo(won[id] / runs, 1);
    // The paced campaign (pass 0.5) wins only auctions it enters: at most about half.
    expect(won.paced / runs).toBeGreaterThan(0.1);
    expect(won.paced / runs).toBeLessThan(0.55);
    expect(Object.keys(won).sort()).toEqual(['new', 'old', 'paced']);
  });

  it('estimates a propensity without counting the served draw (unbiased, with its sample count)', () => {
    // One campaign paced at ½ and one slot: it is served with probability exactly ½. With one
    // replay, counting the served draw too would give (1 + ½) / 2 = 0.75 on average.
    const cands = [{ ...mature('paced', 100, 0.02), pass: 0.5 }];
    const r2 = { ...rules, propensityDraws: 2 };
    const rng = mulberry32(17);
    let served = 0;
    let sum = 0;
    for (let i = 0; i < 4000; i++) {
      const [w] = selectAds(cands, 1, r2, rng);
      if (!w) continue;
      served++;
      sum += w.propensity;
      expect(w.propensitySamples).toBe(1);
    }
    expect(served / 4000).toBeCloseTo(0.5, 1);
    expect(sum / served).toBeGreaterThan(0.46);
    expect(sum / served).toBeLessThan(0.54);
  });

  it('serves nothing without slots or candidates', () => {
    expect(selectAds([mature('A', 100, 0.02)], 0, rules, mulberry32(1))).toEqual([]);
    expect(selectAds([], 3, rules, mulberry32(1))).toEqual([]);
  });
});

describe('ad slots', () => {
  const content = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => ({
      kind: 'content' as const,
      position: from + i,
      id: `i${from + i}`,
    }));
  const ad = (id: string) => ({ kind: 'ad' as const, position: -1, id });

  it('finds the slots of a page, counting ads in the positions', () => {
    expect(slotPositions([3, 10, 17], 0, 10)).toEqual([3, 10]); // 10 content + 2 ads = positions 0..11
    expect(slotPositions([3, 10, 17], 0, 3)).toEqual([]); // content ends before the slot: no trailing ad
    expect(slotPositions([3, 10, 17], 12, 10)).toEqual([17]);
    expect(slotPositions([3, 10, 17], 18, 10)).toEqual([]);
  });

  it('weaves ads into their slots and renumbers positions consecutively', () => {
    const cards = weave(content(10), [ad('A'), ad('B')], [3, 10], 0);
    expect(cards.map((c) => `${c.position}:${c.id}`)).toEqual([
      '0:i0',
      '1:i1',
      '2:i2',
      '3:A',
      '4:i3',
      '5:i4',
      '6:i5',
      '7:i6',
      '8:i7',
      '9:i8',
      '10:B',
      '11:i9',
    ]);
    // Fewer winners than slots: the empty slot is content.
    expect(weave(content(4), [], [3], 0).map((c) => c.id)).toEqual(['i0', 'i1', 'i2', 'i3']);
  });
});
