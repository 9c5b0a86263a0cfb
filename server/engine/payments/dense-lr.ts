/**
 * L2-regularised logistic regression on a few dense features, standardised on the training rows
 * and fitted by Newton's method (iteratively reweighted least squares; Hastie, Tibshirani &
 * Friedman, Elements of Statistical Learning §4.4.1). For tens of features the exact Hessian is
 * cheap, so no learning rate has to be chosen; the online hashed FTRL model stays the click model.
 */
import { RunningStandardizer, Z_CLIP } from '../features/numeric';
import { clampLogit, sigmoid } from '../models/learner';
import type { Matrix } from './gbdt';

export interface DenseLrJson {
  kind: 'lr';
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

export class DenseLogistic {
  constructor(
    readonly mean: Float64Array,
    readonly scale: Float64Array,
    readonly weights: Float64Array,
    readonly bias: number,
  ) {}

  get cols(): number {
    return this.weights.length;
  }

  logit(row: ArrayLike<number>, offset = 0): number {
    let t = this.bias;
    for (let f = 0; f < this.weights.length; f++)
      t += this.weights[f] * z(row[offset + f], this, f);
    return clampLogit(t);
  }

  predict(row: ArrayLike<number>): number {
    return sigmoid(this.logit(row));
  }

  predictMatrix(x: Matrix): Float64Array {
    if (x.cols !== this.cols) throw new RangeError(`expected ${this.cols} columns, got ${x.cols}`);
    const out = new Float64Array(x.rows);
    for (let i = 0; i < x.rows; i++) out[i] = sigmoid(this.logit(x.values, i * x.cols));
    return out;
  }

  toJSON(): DenseLrJson {
    return {
      kind: 'lr',
      mean: Array.from(this.mean),
      scale: Array.from(this.scale),
      weights: Array.from(this.weights),
      bias: this.bias,
    };
  }

  static fromJSON(j: DenseLrJson): DenseLogistic {
    const d = j.weights.length;
    if (j.kind !== 'lr' || j.mean.length !== d || j.scale.length !== d)
      throw new RangeError('not a dense logistic model');
    return new DenseLogistic(
      Float64Array.from(j.mean),
      Float64Array.from(j.scale),
      Float64Array.from(j.weights),
      j.bias,
    );
  }
}

/** Standardised value of feature f; missing (NaN) is the training mean, i.e. 0. */
function z(v: number, m: { mean: Float64Array; scale: Float64Array }, f: number): number {
  if (!Number.isFinite(v)) return 0;
  // Clipped like the click model's numeric features: one absurd value must not decide a prediction.
  const s = (v - m.mean[f]) / m.scale[f];
  return s > Z_CLIP ? Z_CLIP : s < -Z_CLIP ? -Z_CLIP : s;
}

/**
 * Minimises Σ log-loss + (l2 / 2)·‖w‖² (bias not penalised; l2 = 1/C in scikit-learn's terms)
 * by Newton steps with a halving line search, until the step is below tolerance.
 */
export function fitDenseLogistic(
  x: Matrix,
  y: ArrayLike<number>,
  l2 = 1,
  maxIter = 50,
): DenseLogistic {
  const n = x.rows;
  const d = x.cols;
  if (y.length !== n) throw new RangeError('labels and rows differ in length');
  if (n === 0) throw new RangeError('no training rows');
  // The engine's running standardiser (Welford) gives each column's mean and deviation.
  const stats = Array.from({ length: d }, () => new RunningStandardizer());
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) stats[f].update(x.values[i * d + f]);
  const mean = Float64Array.from(stats, (st) => st.mean);
  const scale = Float64Array.from(stats, (st) => {
    const sd = Math.sqrt(st.variance);
    return sd > 1e-12 ? sd : 1;
  });
  const m = { mean, scale };
  // Standardised design with a leading 1 for the bias.
  const D = d + 1;
  const Z = new Float64Array(n * D);
  for (let i = 0; i < n; i++) {
    Z[i * D] = 1;
    for (let f = 0; f < d; f++) Z[i * D + 1 + f] = z(x.values[i * d + f], m, f);
  }
  const w = new Float64Array(D);
  const objective = (wt: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let j = 0; j < D; j++) t += Z[i * D + j] * wt[j];
      // log(1 + e^t) − y·t, computed stably.
      s += (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t))) - y[i] * t;
    }
    for (let j = 1; j < D; j++) s += 0.5 * l2 * wt[j] * wt[j];
    return s;
  };
  let obj = objective(w);
  for (let it = 0; it < maxIter; it++) {
    const g = new Float64Array(D);
    const H = new Float64Array(D * D);
    for (let i = 0; i < n; i++) {
      const row = i * D;
      let t = 0;
      for (let j = 0; j < D; j++) t += Z[row + j] * w[j];
      const p = sigmoid(t);
      const r = p - y[i];
      const h = Math.max(p * (1 - p), 1e-12);
      for (let j = 0; j < D; j++) {
        const zj = Z[row + j];
        if (zj === 0) continue;
        g[j] += r * zj;
        const hz = h * zj;
        for (let k = j; k < D; k++) H[j * D + k] += hz * Z[row + k];
      }
    }
    for (let j = 0; j < D; j++) for (let k = 0; k < j; k++) H[j * D + k] = H[k * D + j];
    for (let j = 1; j < D; j++) {
      g[j] += l2 * w[j];
      H[j * D + j] += l2;
    }
    H[0] += 1e-9;
    const step = choleskySolve(H, g, D);
    let t = 1;
    let next = w;
    let nextObj = obj;
    for (let ls = 0; ls < 30; ls++) {
      const cand = new Float64Array(D);
      for (let j = 0; j < D; j++) cand[j] = w[j] - t * step[j];
      const o = objective(cand);
      if (o <= obj) {
        next = cand;
        nextObj = o;
        break;
      }
      t /= 2;
    }
    let moved = 0;
    for (let j = 0; j < D; j++) moved = Math.max(moved, Math.abs(next[j] - w[j]));
    w.set(next);
    const improved = obj - nextObj;
    obj = nextObj;
    if (moved < 1e-7 || improved < 1e-10 * Math.max(1, Math.abs(obj))) break;
  }
  return new DenseLogistic(mean, scale, w.slice(1), w[0]);
}

/** Solves A·x = b for a symmetric positive definite A (n×n, row-major), by Cholesky. */
export function choleskySolve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        // A tiny jitter keeps a nearly singular Hessian (a constant column) solvable.
        L[i * n + i] = Math.sqrt(Math.max(s, 1e-12));
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  const yv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * yv[k];
    yv[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = yv[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}
