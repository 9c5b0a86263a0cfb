import { FtrlProximal } from '../../../server/engine/models/ftrl';
import { LogisticRegression } from '../../../server/engine/models/logistic';
import { FeatureVector } from '../../../server/engine/features/vector';

describe('FTRL-Proximal (McMahan et al. 2013, Algorithm 1)', () => {
  it('follows hand-computed steps', () => {
    const o = new FtrlProximal(4, { alpha: 0.1, beta: 1, l1: 0, l2: 0 });
    expect(o.weight(2)).toBe(0);
    // g = 0.5: σ = (√0.25 − 0)/0.1 = 5; z = 0.5 − 5·0 = 0.5; n = 0.25; w = −0.5 / ((1 + 0.5)/0.1) = −1/30.
    o.step(2, 0.5, 0);
    expect(o.z(2)).toBeCloseTo(0.5, 6);
    expect(o.n(2)).toBeCloseTo(0.25, 6);
    expect(o.weight(2)).toBeCloseTo(-1 / 30, 6);
    // g = −0.3 at w = −1/30: n = 0.34; σ = (√0.34 − 0.5)/0.1 = 0.830952; z = 0.2 + 0.830952/30 = 0.227698;
    // w = −0.227698 / ((1 + 0.583095)/0.1) = −0.0143831.
    o.step(2, -0.3, o.weight(2));
    expect(o.n(2)).toBeCloseTo(0.34, 6);
    expect(o.z(2)).toBeCloseTo(0.227698, 5);
    expect(o.weight(2)).toBeCloseTo(-0.0143831, 6);
    expect(o.touched(2)).toBe(true);
    expect(o.touched(1)).toBe(false);
  });

  it('L1 keeps small accumulators at exactly zero and shrinks larger ones', () => {
    const o = new FtrlProximal(2, { alpha: 0.1, beta: 1, l1: 1, l2: 0 });
    o.step(0, 0.5, 0);
    expect(o.weight(0)).toBe(0); // |z| = 0.5 ≤ λ1
    o.step(1, 2, 0); // σ = 20, z = 2, n = 4 → w = −(2 − 1)/((1 + 2)/0.1) = −1/30
    expect(o.weight(1)).toBeCloseTo(-1 / 30, 6);
  });

  it('L2 adds to the denominator', () => {
    const o = new FtrlProximal(1, { alpha: 0.1, beta: 1, l1: 0, l2: 5 });
    o.step(0, 0.5, 0); // w = −0.5 / (15 + 5)
    expect(o.weight(0)).toBeCloseTo(-0.025, 6);
  });

  it('refuses invalid parameters', () => {
    expect(() => new FtrlProximal(1, { alpha: 0, beta: 1, l1: 0, l2: 0 })).toThrow(RangeError);
    expect(() => new FtrlProximal(1, { alpha: 0.1, beta: 1, l1: -1, l2: 0 })).toThrow(RangeError);
  });

  it('drives one logistic step: p = ½ first, gradient p − y on the feature and the bias', () => {
    const lr = LogisticRegression.create(4, { alpha: 0.1, beta: 1, l1: 0, l2: 0 });
    const x = new FeatureVector().push(3, 0, 1);
    expect(lr.learn(x, 1)).toBe(0.5);
    // g = −0.5 on coordinate 3 and on the bias (16): each w = 0.5/15.
    expect(lr.opt.weight(3)).toBeCloseTo(1 / 30, 6);
    expect(lr.opt.weight(16)).toBeCloseTo(1 / 30, 6);
    expect(lr.predict(x)).toBeCloseTo(1 / (1 + Math.exp(-2 / 30)), 6);
  });
});
