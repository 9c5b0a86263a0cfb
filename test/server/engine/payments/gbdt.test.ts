/** Gradient-boosted trees and the dense logistic regression on small synthetic problems. */
import { auc } from '../../../../server/engine/metrics/auc';
import { logLoss } from '../../../../server/engine/metrics/logloss';
import { mulberry32 } from '../../../../server/engine/models/rng';
import {
  choleskySolve,
  fitDenseLogistic,
  DenseLogistic,
} from '../../../../server/engine/payments/dense-lr';
import { Binner, fitGbdt, Gbdt, matrixOf } from '../../../../server/engine/payments/gbdt';

/** y = 1 when x0 and x1 have the same sign (XOR: no linear model separates it), x2 is noise. */
function xorData(n: number, seed: number) {
  const rng = mulberry32(seed);
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng() * 2 - 1;
    const b = rng() * 2 - 1;
    rows.push([a, b, rng()]);
    const clean = a * b > 0 ? 1 : 0;
    y.push(rng() < 0.9 ? clean : 1 - clean);
  }
  return { x: matrixOf(rows), y: Float64Array.from(y) };
}

describe('Binner', () => {
  it('cuts between distinct values when few, sends missing values to bin 0', () => {
    const b = Binner.fit(matrixOf([[1], [2], [2], [5], [NaN]]), 255);
    expect(Array.from(b.thresholds[0])).toEqual([1.5, 3.5]);
    expect([1, 1.5, 2, 4, 9, NaN].map((v) => b.bin(0, v))).toEqual([0, 0, 1, 2, 2, 0]);
  });

  it('keeps at most maxBins bins on many distinct values', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [i]);
    const b = Binner.fit(matrixOf(rows), 16);
    expect(b.thresholds[0].length).toBeLessThanOrEqual(15);
    expect(b.thresholds[0].length).toBeGreaterThan(10);
  });
});

describe('fitGbdt', () => {
  const train = xorData(3000, 1);
  const test = xorData(1000, 2);

  it('learns an interaction no linear model can', () => {
    const { model } = fitGbdt(train.x, train.y, { rounds: 60, maxLeaves: 7 });
    const p = model.predictMatrix(test.x);
    expect(auc(test.y, p)).toBeGreaterThan(0.85);
    const lr = fitDenseLogistic(train.x, train.y, 1);
    expect(auc(test.y, lr.predictMatrix(test.x))).toBeLessThan(0.6);
  });

  it('stops early on a validation set and keeps the best round', () => {
    const val = xorData(800, 3);
    const fit = fitGbdt(train.x, train.y, { rounds: 400, patience: 10, learningRate: 0.3 }, val);
    expect(fit.model.trees.length).toBe(fit.bestRounds);
    expect(fit.validationCurve.length).toBeLessThan(400);
    const best = Math.min(...fit.validationCurve);
    expect(fit.validationCurve[fit.bestRounds - 1]).toBe(best);
    expect(logLoss(val.y, fit.model.predictMatrix(val.x))).toBeCloseTo(best, 6);
  });

  it('round-trips through JSON with the same predictions, and refuses a broken tree', () => {
    const { model } = fitGbdt(train.x, train.y, { rounds: 10 });
    const back = Gbdt.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(Array.from(back.predictMatrix(test.x))).toEqual(Array.from(model.predictMatrix(test.x)));
    const j = model.toJSON();
    j.trees[0].left[0] = 0;
    expect(() => Gbdt.fromJSON(j)).toThrow(RangeError);
  });

  it('is deterministic for a seed, also with feature sampling', () => {
    const a = fitGbdt(train.x, train.y, { rounds: 5, featureFraction: 0.5, seed: 7 }).model;
    const b = fitGbdt(train.x, train.y, { rounds: 5, featureFraction: 0.5, seed: 7 }).model;
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
  });

  it('respects the minimum rows per leaf and handles missing values', () => {
    const rows = Array.from({ length: 200 }, (_, i) => [i % 10 === 0 ? NaN : i]);
    const y = rows.map((_, i) => (i >= 100 ? 1 : 0));
    const { model } = fitGbdt(matrixOf(rows), y, { rounds: 1, minLeafRows: 60, maxLeaves: 8 });
    const tree = model.trees[0];
    expect(tree.feature.filter((f) => f < 0).length).toBeLessThanOrEqual(3);
    expect(Number.isFinite(model.predict([NaN]))).toBe(true);
  });
});

describe('fitDenseLogistic', () => {
  it('recovers the coefficients of a logistic model', () => {
    const rng = mulberry32(5);
    const rows: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const a = rng() * 4 - 2;
      const b = rng() * 4 - 2;
      rows.push([a, b]);
      y.push(rng() < 1 / (1 + Math.exp(-(0.5 + 1.5 * a - 1 * b))) ? 1 : 0);
    }
    const m = fitDenseLogistic(matrixOf(rows), y, 1e-6);
    // Back from the standardised scale.
    const wa = m.weights[0] / m.scale[0];
    const wb = m.weights[1] / m.scale[1];
    const bias = m.bias - wa * m.mean[0] - wb * m.mean[1];
    expect(wa).toBeCloseTo(1.5, 1);
    expect(wb).toBeCloseTo(-1, 1);
    expect(bias).toBeCloseTo(0.5, 1);
    const back = DenseLogistic.fromJSON(m.toJSON());
    expect(back.predict([1, 1])).toBe(m.predict([1, 1]));
  });

  it('stays finite on a constant column and a separable problem', () => {
    const rows = Array.from({ length: 50 }, (_, i) => [3, i]);
    const y = rows.map((_, i) => (i >= 25 ? 1 : 0));
    const m = fitDenseLogistic(matrixOf(rows), y, 1);
    expect(m.predict([3, 0])).toBeLessThan(0.1);
    expect(m.predict([3, 49])).toBeGreaterThan(0.9);
  });

  it('choleskySolve solves a small SPD system', () => {
    const x = choleskySolve(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 1]), 2);
    expect(x[0]).toBeCloseTo(0.5, 10);
    expect(x[1]).toBeCloseTo(0, 10);
  });
});
