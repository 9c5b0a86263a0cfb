import { ExampleBatch } from '../../../server/engine/features/examples';
import { FeatureHasher } from '../../../server/engine/features/hasher';
import { FeatureVector } from '../../../server/engine/features/vector';
import {
  checkBatchLr,
  CompactRows,
  fitPath,
  Objective,
  parabolicC,
  PATH_CG,
  solveTron,
  toLogistic,
} from '../../../server/engine/models/batch-lr';
import type { BatchLrParams } from '../../../server/engine/models/batch-lr';
import { LogisticRegression } from '../../../server/engine/models/logistic';
import { mulberry32 } from '../../../server/engine/models/rng';

const BITS = 14;
const P: BatchLrParams = { cs: [0.03, 0.1, 0.3, 1, 3], eps: 0.01, maxIter: 100, pathTol: 0.1 };

/** Additive clicks over three id fields; `valued` gives the third field a real value instead of 1. */
function stream(n: number, seed: number, valued = false): ExampleBatch {
  const rand = mulberry32(seed);
  const h = new FeatureHasher(BITS);
  const data = new ExampleBatch();
  const x = new FeatureVector();
  const effect = (f: number, id: number): number => {
    const r = mulberry32(f * 7919 + id);
    return 1.5 * (r() + r() - 1);
  };
  for (let i = 0; i < n; i++) {
    const a = Math.floor(400 * rand() ** 2);
    const b = Math.floor(60 * rand());
    const v = valued ? 2 * rand() - 1 : 1;
    const t = -1.2 + effect(1, a) + effect(2, b) + 0.8 * v;
    x.clear();
    h.add(x, 'a', String(a));
    h.add(x, 'b', String(b));
    h.add(x, 'v', 'x', v);
    data.push(x, rand() < 1 / (1 + Math.exp(-t)) ? 1 : 0);
  }
  return data;
}

/** ∇f(w) = w + C Σ (σ(y wᵀx) − 1) y x over the first `rows` rows, computed directly. */
function gradient(x: CompactRows, rows: number, c: number, w: Float64Array): Float64Array {
  const g = w.slice();
  for (let r = 0; r < rows; r++) {
    const m = x.y[r] * x.dot(w, r);
    x.axpy(c * (1 / (1 + Math.exp(-m)) - 1) * x.y[r], r, g);
  }
  return g;
}

const norm = (v: Float64Array): number => Math.sqrt(v.reduce((s, a) => s + a * a, 0));

describe('batch L2 logistic regression (trust-region Newton)', () => {
  it('reaches the optimum: the gradient vanishes, at every C and from a warm start', () => {
    for (const valued of [false, true]) {
      const x = new CompactRows(stream(3000, 1, valued), 2 ** BITS);
      expect(x.val === null).toBe(!valued);
      const w = new Float64Array(x.dim);
      const g0 = norm(gradient(x, x.rows, 1, new Float64Array(x.dim)));
      for (const c of [0.1, 1]) {
        const r = solveTron(x, x.rows, c, w, { eps: 1e-6, maxIter: 100 });
        expect(r.iterations).toBeGreaterThan(0);
        expect(norm(gradient(x, x.rows, c, w))).toBeLessThan(1e-5 * g0);
      }
    }
  });

  it('minimises the objective: every small move from the solution costs', () => {
    const x = new CompactRows(stream(2000, 2), 2 ** BITS);
    const c = 0.5;
    const w = new Float64Array(x.dim);
    solveTron(x, x.rows, c, w, { eps: 1e-6, maxIter: 100 });
    const f = (v: Float64Array): number => {
      let s = 0;
      for (let r = 0; r < x.rows; r++) s += Math.log1p(Math.exp(-x.y[r] * x.dot(v, r)));
      return 0.5 * v.reduce((a, b) => a + b * b, 0) + c * s;
    };
    const rand = mulberry32(3);
    for (let k = 0; k < 5; k++) {
      const v = w.map((a) => a + 0.01 * (rand() - 0.5));
      expect(f(v)).toBeGreaterThan(f(w));
    }
  });

  it('leaves out the rows the online learners refuse', () => {
    const data = stream(500, 4);
    const x = new FeatureVector();
    x.push(1, 0, 1);
    data.push(x, 0.5); // not a label
    x.clear().push(2, 0, Number.NaN);
    data.push(x, 1); // not a value
    const rows = new CompactRows(data, 2 ** BITS);
    expect(rows.rows).toBe(500);
    expect(rows.rowsBefore(250)).toBe(250);
    expect(rows.rowsBefore(10_000)).toBe(500);
  });

  it('reads the batch arrays as each row loads: the same entries, the same products', () => {
    const data = stream(800, 8, true);
    const x = new FeatureVector();
    x.push(2 ** BITS + 5, 0, 1);
    data.push(x, 1); // a bucket out of range: left out
    const rows = new CompactRows(data, 2 ** BITS);
    expect(rows.rows).toBe(800);
    const rand = mulberry32(9);
    const w = Float64Array.from({ length: rows.dim }, () => rand() - 0.5);
    for (let r = 0; r < rows.rows; r++) {
      const y = data.load(rows.source[r], x);
      expect(rows.y[r]).toBe(y === 1 ? 1 : -1);
      expect(rows.dot(w, r)).toBe(rows.logit(w, x));
    }
  });

  it('a solve warm-started with the path objective gives what a fresh one does, two data passes sooner (no fun, no gradient pass)', () => {
    const x = new CompactRows(stream(2000, 10), 2 ** BITS);
    const obj = new Objective(x, x.rows);
    const kept = new Float64Array(x.dim);
    solveTron(x, x.rows, 0.1, kept, P, P.pathTol, PATH_CG, obj);
    const fresh = kept.slice();
    const a = solveTron(x, x.rows, 0.3, kept, P, P.pathTol, PATH_CG, obj);
    const b = solveTron(x, x.rows, 0.3, fresh, P, P.pathTol, PATH_CG);
    expect(a.passes).toBe(b.passes - 2);
    for (let j = 0; j < x.dim; j++) expect(kept[j]).toBeCloseTo(fresh[j], 12);
    // Its kept margins stand in for the dot products when the solution becomes an FTRL model.
    const linear = { alpha: 0.1, beta: 1, l1: 0, l2: 1 };
    const viaKept = toLogistic(x, x.rows, kept, BITS, linear, obj);
    const viaDot = toLogistic(x, x.rows, kept, BITS, linear);
    expect(Buffer.from(viaKept.serialize()).equals(Buffer.from(viaDot.serialize()))).toBe(true);
  });

  it('a refit on all rows resumed from the path point gives what a fresh one does, without its first passes', () => {
    const x = new CompactRows(stream(2000, 12, true), 2 ** BITS);
    const fit = 1600;
    const path = fitPath(x, fit, P, () => 0);
    expect(path.state.rows).toBe(fit);
    const resumed = path.w.slice();
    const fresh = path.w.slice();
    const obj = new Objective(x, x.rows);
    obj.resume(resumed, path.state);
    const a = solveTron(x, x.rows, 0.2, resumed, P, P.pathTol, PATH_CG, obj);
    const b = solveTron(x, x.rows, 0.2, fresh, P, P.pathTol, PATH_CG);
    expect(a.passes).toBe(b.passes - 2);
    for (let j = 0; j < x.dim; j++) expect(resumed[j]).toBeCloseTo(fresh[j], 10);
  });

  it('becomes an FTRL logistic regression that predicts what the solution does, and keeps learning', () => {
    const data = stream(3000, 5, true);
    const rows = new CompactRows(data, 2 ** BITS);
    const w = new Float64Array(rows.dim);
    solveTron(rows, rows.rows, 0.3, w, P);
    const lr = toLogistic(rows, rows.rows, w, BITS, { alpha: 0.1, beta: 1, l1: 0, l2: 1 });
    expect(lr).toBeInstanceOf(LogisticRegression);
    const x = new FeatureVector();
    for (let i = 0; i < 200; i++) {
      data.load(i, x);
      const p = 1 / (1 + Math.exp(-rows.logit(w, x)));
      expect(lr.predict(x)).toBeCloseTo(p, 5);
    }
    // A blob round trip keeps it; online learning moves it.
    const back = LogisticRegression.load(lr.serialize());
    data.load(0, x);
    expect(back.predict(x)).toBeCloseTo(lr.predict(x), 6);
    const before = lr.predict(x);
    for (let k = 0; k < 20; k++) lr.learn(x, 1);
    expect(lr.predict(x)).toBeGreaterThan(before);
    expect(() =>
      toLogistic(rows, rows.rows, w, BITS, { alpha: 0.1, beta: 1, l1: 1, l2: 1 }),
    ).toThrow(RangeError);
  });

  it('walks the path from the strongest C, stops when the score rises, and refines C by a parabola', () => {
    const rows = new CompactRows(stream(2000, 6), 2 ** BITS);
    // A score with its minimum at the bias the path's point C = 0.3 reaches (the bias weight grows
    // with C here): the path stops after C = 1 and C is refined between 0.1 and 1.
    // (A flat score stops the path at its second point.)
    const probe = fitPath(rows, rows.rows, { ...P, cs: [0.03, 0.1, 0.3] }, () => 0);
    expect(probe.points).toHaveLength(2);
    const w3 = new Float64Array(rows.dim);
    for (const c of [0.03, 0.1, 0.3]) solveTron(rows, rows.rows, c, w3, P, P.pathTol, PATH_CG);
    const target = Math.log(Math.abs(w3[rows.dim - 1]));
    const path = fitPath(rows, rows.rows, P, (w) =>
      Math.abs(Math.log(Math.abs(w[rows.dim - 1]) + 1e-9) - target),
    );
    const cs = path.points.map((p) => p.c);
    // Increasing C on the grid until the first rise: no solve off the grid.
    expect(cs).toEqual(P.cs.slice(0, cs.length));
    const k = path.points.reduce((j, p, i, all) => (p.score < all[j].score ? i : j), 0);
    expect(k).toBeGreaterThan(0);
    expect(k).toBeLessThan(cs.length - 1);
    // The chosen C lies within half a grid step (in log C) of the best point, off the grid.
    expect(P.cs).not.toContain(path.c);
    expect(path.c).toBeGreaterThanOrEqual(Math.sqrt(cs[k - 1] * cs[k]) * (1 - 1e-12));
    expect(path.c).toBeLessThanOrEqual(Math.sqrt(cs[k] * cs[k + 1]) * (1 + 1e-12));
    expect(path.passes).toBeGreaterThan(0);
  });

  it('puts the parabola vertex where a quadratic in log C has its minimum', () => {
    const pt = (c: number, score: number) => ({ c, score, iterations: 1 });
    const q = (c: number) => (Math.log(c) - Math.log(0.2)) ** 2;
    expect(parabolicC(pt(0.1, q(0.1)), pt(0.3, q(0.3)), pt(0.9, q(0.9)))).toBeCloseTo(0.2, 10);
    // Unevenly spaced points: the vertex is still the quadratic's minimum.
    expect(parabolicC(pt(0.01, q(0.01)), pt(0.3, q(0.3)), pt(0.4, q(0.4)))).toBeCloseTo(0.2, 10);
    // Not a bracket (the middle is not the lowest) or a score missing: no refinement.
    expect(parabolicC(pt(0.1, 1), pt(0.3, 2), pt(0.9, 3))).toBeUndefined();
    expect(parabolicC(pt(0.1, NaN), pt(0.3, 0), pt(0.9, 3))).toBeUndefined();
    expect(parabolicC(pt(0.1, 1), pt(0.3, 1), pt(0.9, 1))).toBeUndefined();
  });

  it('keeps the strongest C when the tail has nothing to score', () => {
    const rows = new CompactRows(stream(500, 7), 2 ** BITS);
    const path = fitPath(rows, rows.rows, P, () => NaN);
    expect(path.c).toBe(P.cs[0]);
    expect(path.points).toHaveLength(2);
    expect(path.w.some((v) => v !== 0)).toBe(true);
  });

  it('refuses parameters that cannot work', () => {
    expect(() => checkBatchLr({ ...P, cs: [] })).toThrow(RangeError);
    expect(() => checkBatchLr({ ...P, cs: [1, 0.3] })).toThrow(RangeError);
    expect(() => checkBatchLr({ ...P, cs: [0, 1] })).toThrow(RangeError);
    expect(() => checkBatchLr({ ...P, eps: 0 })).toThrow(RangeError);
    expect(() => checkBatchLr({ ...P, maxIter: 0 })).toThrow(RangeError);
    expect(() => checkBatchLr({ ...P, pathTol: 1 })).toThrow(RangeError);
  });
});
