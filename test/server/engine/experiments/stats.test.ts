/**
 * Experiment statistics pinned against scipy 1.10 (Debian 12's python3-scipy), computed once
 * on these fixed inputs and pasted here (no python at test time):
 *  - rates: z and p of the pooled two-proportion z-test by formula with scipy.stats.norm
 *    (p = 2·norm.sf(|z|)); difference interval ± norm.ppf(0.975)·unpooled SE; Wilson intervals by formula.
 *  - means: scipy.stats.ttest_ind(treatment, control, equal_var=False) for t and p; the
 *    Welch–Satterthwaite df and the interval ± stats.t.ppf(0.975, df)·SE by formula;
 *    per-arm mean ± stats.t.ppf(0.975, n−1)·stats.sem.
 *  - SRM: scipy.stats.chisquare(observed, expected = total·weight share).
 */
import {
  compareMeans,
  compareRates,
  compareRatios,
  meanEstimate,
  ratioEstimate,
  ratioMoments,
  rateEstimate,
  sampleRatioCheck,
  type RatioUnit,
} from '../../../../server/engine/experiments/stats';
import { mulberry32 } from '../../../../server/engine/models/rng';

const close = (actual: number | null | undefined, expected: number, digits = 9): void => {
  expect(actual).not.toBeNull();
  expect(actual).toBeCloseTo(expected, digits);
};

describe('rates: two-proportion z-test and Wilson intervals (scipy.stats.norm)', () => {
  const cases = [
    // [control x, n, treatment x, n] → z, p, diff low, diff high; Wilson low/high of each arm
    {
      c: [200, 10000],
      t: [245, 10000],
      z: 2.15734000009124,
      p: 0.030979182494508418,
      low: 0.0004121827543848147,
      high: 0.008587817245615186,
      wc: [0.01743471167513658, 0.022933926760712948],
      wt: [0.02164766048220529, 0.02771752196830815],
    },
    {
      c: [30, 1000],
      t: [31, 1000],
      z: 0.13003527360127276,
      p: 0.8965385193100612,
      low: -0.014072492600662631,
      high: 0.01607249260066263,
      wc: [0.0210937388288347, 0.042503414147587126],
      wt: [0.021924003447158568, 0.04366549601229214],
    },
    {
      c: [5, 120],
      t: [19, 130],
      z: 2.8017892789976035,
      p: 0.005082005611137068,
      low: 0.034018364719596586,
      high: 0.17495599425476244,
      wc: [0.017926716880109515, 0.09384085233703535],
      wt: [0.09560645464954777, 0.21701311173420373],
    },
  ];
  it.each(cases)('$c vs $t', ({ c, t, z, p, low, high, wc, wt }) => {
    const control = { successes: c[0], n: c[1] };
    const treatment = { successes: t[0], n: t[1] };
    const d = compareRates(control, treatment);
    close(d.statistic, z);
    close(d.pValue, p, 12);
    close(d.delta, t[0] / t[1] - c[0] / c[1], 12);
    close(d.low, low);
    close(d.high, high);
    const ec = rateEstimate(control);
    close(ec.low, wc[0]);
    close(ec.high, wc[1]);
    const et = rateEstimate(treatment);
    close(et.low, wt[0]);
    close(et.high, wt[1]);
  });

  it('has no test when neither arm varies, and no interval without data', () => {
    expect(compareRates({ successes: 0, n: 50 }, { successes: 0, n: 60 }).pValue).toBeNull();
    expect(rateEstimate({ successes: 0, n: 0 })).toEqual({ n: 0, value: 0, low: null, high: null });
  });
});

describe('ratio metrics over users: the delta method (Deng et al. 2018), against numpy', () => {
  /*
   * Per-user clicks and impressions; expected values from this script (numpy 1.24, scipy 1.10),
   * which uses the covariance form of the delta method, not the linearised one the code uses:
   *
   *   import numpy as np; from scipy import stats
   *   def delta(x, y):
   *       x = np.asarray(x, float); y = np.asarray(y, float); n = len(x)
   *       mx, my = x.mean(), y.mean(); c = np.cov(x, y, ddof=1)
   *       return mx/my, (c[0,0]/my**2 - 2*mx/my**3*c[0,1] + mx**2/my**4*c[1,1]) / n
   *   rc, vc = delta(ctl_c, ctl_n); rt, vt = delta(trt_c, trt_n); z975 = stats.norm.ppf(0.975)
   *   se = np.sqrt(vc + vt); d = rt - rc; z = d / se; p = 2 * stats.norm.sf(abs(z))
   *   # arm intervals r ± z975·√v; difference d ± z975·se
   */
  const units = (c: number[], n: number[]): RatioUnit[] =>
    c.map((x, i) => ({ numerator: x, denominator: n[i] }));
  const control = units([0, 1, 0, 2, 0, 0, 5, 0, 1, 0], [3, 10, 4, 12, 2, 6, 40, 5, 8, 1]);
  const treatment = units(
    [1, 0, 3, 0, 0, 2, 9, 1, 0, 0, 1, 0],
    [5, 2, 14, 3, 7, 9, 55, 6, 4, 2, 10, 3],
  );

  it('per-arm ratio, variance and interval', () => {
    const mc = ratioMoments(control);
    close(mc.ratio, 0.09890109890109891, 14);
    close(mc.variance, 0.00036025458978306175, 14);
    expect(mc).toMatchObject({ units: 10, denominator: 91 });
    close(ratioMoments(treatment).variance, 0.0003883943602693597, 14);
    const ec = ratioEstimate(control);
    expect(ec.n).toBe(91);
    close(ec.low, 0.06170024982990584, 12);
    close(ec.high, 0.13610194797229197, 12);
    const et = ratioEstimate(treatment);
    close(et.value, 0.14166666666666666, 14);
    close(et.low, 0.10304023865209892, 12);
    close(et.high, 0.1802930946812344, 12);
  });

  it('the difference, its interval and z-test p-value', () => {
    const d = compareRatios(control, treatment);
    close(d.delta, 0.04276556776556775, 14);
    close(d.low, -0.010861888940696722, 12);
    close(d.high, 0.09639302447183223, 12);
    close(d.statistic, 1.562986159459779, 11);
    close(d.pValue, 0.11805585029337404, 12);
  });

  it('has no test below two users or without impressions, and clips a rate interval to [0, 1]', () => {
    expect(compareRatios(units([1], [4]), treatment).pValue).toBeNull();
    expect(compareRatios(units([0, 0], [3, 5]), units([0, 0, 0], [1, 1, 2])).pValue).toBeNull();
    expect(ratioEstimate([])).toEqual({ n: 0, value: 0, low: null, high: null });
    expect(ratioEstimate(units([0, 0], [0, 0]))).toEqual({ n: 0, value: 0, low: null, high: null });
    const e = ratioEstimate(units([0, 0, 1], [5, 5, 1]));
    expect(e.low).toBe(0);
  });

  it('A/A with a few heavy users: the delta method holds its 5 % false-positive rate, the per-impression test does not', () => {
    // 400 A/A experiments, 500 users per arm, both arms drawn alike: 5 % of users see 100–300
    // impressions (the rest 1–5), and a user's click rate is 20 % or 1 % (a quarter are clickers),
    // so one user's impressions are far from independent trials. numpy's run of the same design
    // (3000 experiments): delta 5.7 %, per-impression 68 %; this seed: delta 6.75 %, per-impression 67.5 %.
    const rand = mulberry32(20261128);
    const arm = (): RatioUnit[] =>
      Array.from({ length: 500 }, () => {
        const impressions =
          rand() < 0.05 ? 100 + Math.floor(rand() * 201) : 1 + Math.floor(rand() * 5);
        const ctr = rand() < 0.25 ? 0.2 : 0.01;
        let clicks = 0;
        for (let i = 0; i < impressions; i++) if (rand() < ctr) clicks++;
        return { numerator: clicks, denominator: impressions };
      });
    const runs = 400;
    let delta = 0;
    let naive = 0;
    for (let r = 0; r < runs; r++) {
      const a = arm();
      const b = arm();
      if (compareRatios(a, b).pValue! < 0.05) delta++;
      const sum = (us: RatioUnit[]) => ({
        successes: us.reduce((s, u) => s + u.numerator, 0),
        n: us.reduce((s, u) => s + u.denominator, 0),
      });
      if (compareRates(sum(a), sum(b)).pValue! < 0.05) naive++;
    }
    expect(delta / runs).toBeGreaterThan(0.025);
    expect(delta / runs).toBeLessThan(0.085);
    expect(naive / runs).toBeGreaterThan(0.4);
  });
});

describe("means: Welch's t-test (scipy.stats.ttest_ind equal_var=False)", () => {
  // Paid fen per exposed user: mostly zero, a few large orders (the shape the metric really has).
  const a = [0, 0, 0, 1200, 0, 350, 0, 0, 9900, 0, 0, 120, 0, 0, 0, 480, 0, 0, 0, 2500];
  const b = [
    0, 800, 0, 0, 1500, 0, 0, 6400, 0, 230, 0, 0, 0, 3100, 0, 0, 990, 0, 0, 0, 0, 0, 4500, 0, 120,
  ];

  it('skewed amounts, no real difference', () => {
    const d = compareMeans(a, b);
    close(d.statistic, -0.03674993750960579);
    close(d.pValue, 0.9709029659189794);
    close(d.df, 33.43033751173735);
    close(d.low, -1233.7144807129011, 6);
    close(d.high, 1189.914480712901, 6);
    const ea = meanEstimate(a);
    close(ea.value, 727.5);
    close(ea.low, -321.6644655007524, 6);
    close(ea.high, 1776.6644655007524, 6);
    const eb = meanEstimate(b);
    close(eb.low, 40.48958958865694, 6);
    close(eb.high, 1370.7104104113432, 6);
  });

  it('unequal sizes and variances, a clear difference', () => {
    const c = [12.5, 30.0, 18.2, 25.1, 40.3, 22.8, 15.9, 28.4];
    const d = [35.2, 48.1, 29.9, 52.6, 44.0, 38.7, 61.3, 41.5, 33.8, 57.2, 46.4, 39.0];
    const r = compareMeans(c, d);
    close(r.statistic, 4.730953708090105);
    close(r.pValue, 0.00022849853875564176, 12);
    close(r.df, 15.934473132871398);
    close(r.low, 10.938594502102466);
    close(r.high, 28.711405497897537);
  });

  it('has no test below two users per arm or with no variance', () => {
    expect(compareMeans([5], [1, 2, 3]).pValue).toBeNull();
    expect(compareMeans([2, 2, 2], [2, 2]).pValue).toBeNull();
  });
});

describe('sample-ratio mismatch (scipy.stats.chisquare)', () => {
  it.each([
    { obs: [5000, 5000], w: [1, 1], chi: 0, p: 1, mismatch: false },
    { obs: [5120, 4880], w: [1, 1], chi: 5.76, p: 0.01639507184919225, mismatch: false },
    { obs: [10230, 9770], w: [1, 1], chi: 10.58, p: 0.0011431765973566508, mismatch: false },
    { obs: [3100, 3400, 3500], w: [1, 1, 1], chi: 26.0, p: 2.2603294069810534e-6, mismatch: true },
    { obs: [2100, 7900], w: [1, 4], chi: 6.25, p: 0.01241933065155227, mismatch: false },
  ])('$obs against weights $w', ({ obs, w, chi, p, mismatch }) => {
    const r = sampleRatioCheck(obs, w);
    close(r.chiSquare, chi, 10);
    // 1 − cdf: absolute precision, which is what the 0.001 threshold needs.
    close(r.pValue, p, 12);
    expect(r.df).toBe(obs.length - 1);
    expect(r.mismatch).toBe(mismatch);
  });

  it('refuses mismatched inputs', () => {
    expect(() => sampleRatioCheck([1, 2], [1])).toThrow(RangeError);
  });
});
