/**
 * Histogram-based gradient-boosted trees for binary log-loss: second-order boosting (Friedman
 * 2001, "Greedy function approximation"; Chen & Guestrin 2016, XGBoost: gain with the Hessian and
 * an L2 term on leaf values), features pre-binned into at most 256 quantile bins and trees grown
 * leaf-wise with the histogram subtraction trick (Ke et al. 2017, LightGBM).
 */
import { mulberry32 } from '../models/rng';
import { clampLogit, sigmoid } from '../models/learner';

export interface GbdtParams {
  learningRate: number;
  /** Leaves per tree (leaf-wise growth stops there). */
  maxLeaves: number;
  /** Rows a leaf must keep. */
  minLeafRows: number;
  /** Hessian sum a leaf must keep (XGBoost's min_child_weight). */
  minLeafHessian: number;
  /** L2 penalty on leaf values (XGBoost's λ). */
  l2: number;
  /** Bins per feature, at most 256. */
  maxBins: number;
  /** Boosting rounds (the fit stops earlier when a validation set stops improving). */
  rounds: number;
  /** Rounds without a better validation log-loss before stopping. */
  patience: number;
  /** Share of the features each tree may split on (1 = all). */
  featureFraction: number;
  seed: number;
}

export const GBDT_DEFAULTS: GbdtParams = {
  learningRate: 0.1,
  maxLeaves: 31,
  minLeafRows: 20,
  minLeafHessian: 1e-3,
  l2: 1,
  maxBins: 255,
  rounds: 100,
  patience: 30,
  featureFraction: 1,
  seed: 1,
};

/** A dense design matrix, row-major: row i is values[i*cols … (i+1)*cols). NaN is missing. */
export interface Matrix {
  rows: number;
  cols: number;
  values: Float64Array;
}

export function matrixOf(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows.length ? rows[0].length : 0;
  const values = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => {
    if (r.length !== cols) throw new RangeError(`row ${i} has ${r.length} values, not ${cols}`);
    values.set(r, i * cols);
  });
  return { rows: rows.length, cols, values };
}

/**
 * Per-feature thresholds from the training values: midpoints between distinct values when they
 * are few, else between quantiles. A value goes to the first bin whose threshold it does not
 * exceed; missing values go to bin 0 (and left at every split), as the lowest values do.
 */
export class Binner {
  constructor(readonly thresholds: Float64Array[]) {}

  static fit(x: Matrix, maxBins: number): Binner {
    if (!(maxBins >= 2 && maxBins <= 256)) throw new RangeError('maxBins must be in 2..256');
    const out: Float64Array[] = [];
    const col = new Float64Array(x.rows);
    for (let f = 0; f < x.cols; f++) {
      let n = 0;
      for (let i = 0; i < x.rows; i++) {
        const v = x.values[i * x.cols + f];
        if (Number.isFinite(v)) col[n++] = v;
      }
      const sorted = col.subarray(0, n).slice().sort();
      const distinct: number[] = [];
      for (let i = 0; i < n; i++)
        if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
      const thr: number[] = [];
      if (distinct.length <= maxBins) {
        for (let i = 0; i + 1 < distinct.length; i++) thr.push((distinct[i] + distinct[i + 1]) / 2);
      } else {
        for (let b = 1; b < maxBins; b++) {
          const at = Math.floor((b * n) / maxBins);
          const lo = sorted[at - 1];
          const hi = sorted[at];
          // A threshold between two equal values separates nothing: skip it.
          if (lo !== hi) {
            const t = (lo + hi) / 2;
            if (!thr.length || t > thr[thr.length - 1]) thr.push(t);
          }
        }
      }
      out.push(Float64Array.from(thr));
    }
    return new Binner(out);
  }

  bin(f: number, v: number): number {
    if (!(v === v)) return 0;
    const thr = this.thresholds[f];
    let lo = 0;
    let hi = thr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v <= thr[mid]) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Column-major bins: column f is out[f*rows … (f+1)*rows). */
  transform(x: Matrix): Uint8Array {
    const out = new Uint8Array(x.rows * x.cols);
    for (let f = 0; f < x.cols; f++)
      for (let i = 0; i < x.rows; i++) out[f * x.rows + i] = this.bin(f, x.values[i * x.cols + f]);
    return out;
  }
}

/** One regression tree: node k is a leaf when feature[k] < 0 (its value in value[k]). */
export interface Tree {
  feature: Int32Array;
  /** Bin threshold: rows with bin ≤ it go left (used while fitting; a tree loaded from JSON has zeros). */
  bin: Int32Array;
  /** The raw threshold: rows with x ≤ it (or x missing) go left. */
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

export interface GbdtFit {
  model: Gbdt;
  /** Validation log-loss after each round (empty without a validation set). */
  validationCurve: number[];
  /** Rounds kept: the best validation round, or all without a validation set. */
  bestRounds: number;
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
  gl: number;
  hl: number;
  cl: number;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  g: number;
  h: number;
  hist: Float64Array;
  split: Split | null;
}

/** A fitted ensemble: base logit plus the trees' values. */
export class Gbdt {
  constructor(
    readonly base: number,
    readonly trees: Tree[],
    readonly cols: number,
  ) {}

  logit(row: ArrayLike<number>, offset = 0): number {
    let t = this.base;
    for (const tree of this.trees) {
      let k = 0;
      while (tree.feature[k] >= 0) {
        const v = row[offset + tree.feature[k]];
        k = !(v > tree.threshold[k]) ? tree.left[k] : tree.right[k];
      }
      t += tree.value[k];
    }
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

  /** The first n trees only (early stopping keeps the best round). */
  truncate(n: number): Gbdt {
    return new Gbdt(this.base, this.trees.slice(0, n), this.cols);
  }

  toJSON(): GbdtJson {
    return {
      kind: 'gbdt',
      base: this.base,
      cols: this.cols,
      trees: this.trees.map((t) => ({
        feature: Array.from(t.feature),
        threshold: Array.from(t.threshold),
        left: Array.from(t.left),
        right: Array.from(t.right),
        value: Array.from(t.value),
      })),
    };
  }

  static fromJSON(j: GbdtJson): Gbdt {
    if (j.kind !== 'gbdt' || !Array.isArray(j.trees)) throw new RangeError('not a gbdt model');
    const trees = j.trees.map((t) => {
      const n = t.feature.length;
      if ([t.threshold, t.left, t.right, t.value].some((a) => a.length !== n))
        throw new RangeError('tree arrays differ in length');
      for (let k = 0; k < n; k++)
        if (t.feature[k] >= 0 && !(t.left[k] > k && t.right[k] > k && t.right[k] < n))
          throw new RangeError('tree children must follow their parent');
      return {
        feature: Int32Array.from(t.feature),
        bin: new Int32Array(n),
        threshold: Float64Array.from(t.threshold),
        left: Int32Array.from(t.left),
        right: Int32Array.from(t.right),
        value: Float64Array.from(t.value),
      };
    });
    return new Gbdt(j.base, trees, j.cols);
  }
}

export interface GbdtJson {
  kind: 'gbdt';
  base: number;
  cols: number;
  trees: {
    feature: number[];
    threshold: number[];
    left: number[];
    right: number[];
    value: number[];
  }[];
}

/**
 * Fits an ensemble on (x, y). With a validation set, stops after `patience` rounds without a
 * better validation log-loss and keeps the best round's trees.
 */
export function fitGbdt(
  x: Matrix,
  y: ArrayLike<number>,
  params: Partial<GbdtParams> = {},
  validation?: { x: Matrix; y: ArrayLike<number> },
): GbdtFit {
  const p = { ...GBDT_DEFAULTS, ...params };
  const n = x.rows;
  const d = x.cols;
  if (y.length !== n) throw new RangeError('labels and rows differ in length');
  if (n === 0) throw new RangeError('no training rows');
  const binner = Binner.fit(x, p.maxBins);
  const bins = binner.transform(x);
  const nb = binner.thresholds.map((t) => t.length + 1);
  const offs = new Int32Array(d + 1);
  for (let f = 0; f < d; f++) offs[f + 1] = offs[f] + nb[f];
  const histSize = offs[d] * 3;

  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i];
  const rate = Math.min(Math.max(pos / n, 1e-6), 1 - 1e-6);
  const base = Math.log(rate / (1 - rate));
  const score = new Float64Array(n).fill(base);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const order = new Uint32Array(n);
  const scratch = new Uint32Array(n);
  const rng = mulberry32(p.seed);
  const allowed = new Uint8Array(d);

  const vBins = validation ? binner.transform(validation.x) : null;
  const vn = validation ? validation.x.rows : 0;
  const vScore = new Float64Array(vn).fill(base);
  const curve: number[] = [];
  let best = Infinity;
  let bestRounds = 0;
  const trees: Tree[] = [];

  const buildHist = (start: number, end: number): Float64Array => {
    const h = new Float64Array(histSize);
    for (let f = 0; f < d; f++) {
      if (!allowed[f]) continue;
      const col = f * n;
      const o = offs[f] * 3;
      for (let r = start; r < end; r++) {
        const i = order[r];
        const k = o + bins[col + i] * 3;
        h[k] += grad[i];
        h[k + 1] += hess[i];
        h[k + 2] += 1;
      }
    }
    return h;
  };

  const bestSplit = (leaf: Leaf): Split | null => {
    const G = leaf.g;
    const H = leaf.h;
    const C = leaf.end - leaf.start;
    if (C < 2 * p.minLeafRows) return null;
    const parent = (G * G) / (H + p.l2);
    let out: Split | null = null;
    const hist = leaf.hist;
    for (let f = 0; f < d; f++) {
      if (!allowed[f]) continue;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      const o = offs[f] * 3;
      for (let b = 0; b + 1 < nb[f]; b++) {
        const k = o + b * 3;
        gl += hist[k];
        hl += hist[k + 1];
        cl += hist[k + 2];
        if (cl < p.minLeafRows || hl < p.minLeafHessian) continue;
        const cr = C - cl;
        const hr = H - hl;
        if (cr < p.minLeafRows) break;
        if (hr < p.minLeafHessian) continue;
        const gr = G - gl;
        const gain = (gl * gl) / (hl + p.l2) + (gr * gr) / (hr + p.l2) - parent;
        if (gain > 1e-12 && (!out || gain > out.gain))
          out = { gain, feature: f, bin: b, gl, hl, cl };
      }
    }
    return out;
  };

  for (let round = 0; round < p.rounds; round++) {
    for (let i = 0; i < n; i++) {
      const q = sigmoid(score[i]);
      grad[i] = q - y[i];
      hess[i] = Math.max(q * (1 - q), 1e-16);
      order[i] = i;
    }
    if (p.featureFraction >= 1) allowed.fill(1);
    else {
      allowed.fill(0);
      const want = Math.max(1, Math.round(p.featureFraction * d));
      const idx = Array.from({ length: d }, (_, f) => f);
      for (let k = 0; k < want; k++) {
        const j = k + Math.floor(rng() * (d - k));
        [idx[k], idx[j]] = [idx[j], idx[k]];
        allowed[idx[k]] = 1;
      }
    }
    // Nodes are appended in creation order, so children always follow their parent.
    const feature: number[] = [-1];
    const binAt: number[] = [0];
    const thr: number[] = [0];
    const left: number[] = [-1];
    const right: number[] = [-1];
    const value: number[] = [0];
    let G = 0;
    let H = 0;
    for (let i = 0; i < n; i++) {
      G += grad[i];
      H += hess[i];
    }
    const root: Leaf = {
      node: 0,
      start: 0,
      end: n,
      g: G,
      h: H,
      hist: buildHist(0, n),
      split: null,
    };
    root.split = bestSplit(root);
    const leaves: Leaf[] = [root];
    while (leaves.length < p.maxLeaves) {
      let pick = -1;
      for (let k = 0; k < leaves.length; k++) {
        const s = leaves[k].split;
        if (s && (pick < 0 || s.gain > (leaves[pick].split as Split).gain)) pick = k;
      }
      if (pick < 0) break;
      const leaf = leaves[pick];
      const s = leaf.split as Split;
      // Partition the leaf's rows in place: bin ≤ s.bin to the left, stable on both sides.
      const col = s.feature * n;
      let a = leaf.start;
      let bCount = 0;
      for (let r = leaf.start; r < leaf.end; r++) {
        const i = order[r];
        if (bins[col + i] <= s.bin) order[a++] = i;
        else scratch[bCount++] = i;
      }
      order.set(scratch.subarray(0, bCount), a);
      const mid = a;
      const ln = feature.length;
      const rn = ln + 1;
      feature.push(-1, -1);
      binAt.push(0, 0);
      thr.push(0, 0);
      left.push(-1, -1);
      right.push(-1, -1);
      value.push(0, 0);
      feature[leaf.node] = s.feature;
      binAt[leaf.node] = s.bin;
      thr[leaf.node] = binner.thresholds[s.feature][s.bin];
      left[leaf.node] = ln;
      right[leaf.node] = rn;
      const lLeaf: Leaf = {
        node: ln,
        start: leaf.start,
        end: mid,
        g: s.gl,
        h: s.hl,
        hist: leaf.hist,
        split: null,
      };
      const rLeaf: Leaf = {
        node: rn,
        start: mid,
        end: leaf.end,
        g: leaf.g - s.gl,
        h: leaf.h - s.hl,
        hist: leaf.hist,
        split: null,
      };
      // Histogram subtraction: build the smaller child's, the larger is the parent's less it.
      const [small, large] = mid - leaf.start <= leaf.end - mid ? [lLeaf, rLeaf] : [rLeaf, lLeaf];
      small.hist = buildHist(small.start, small.end);
      const lh = new Float64Array(histSize);
      for (let k = 0; k < histSize; k++) lh[k] = leaf.hist[k] - small.hist[k];
      large.hist = lh;
      lLeaf.split = bestSplit(lLeaf);
      rLeaf.split = bestSplit(rLeaf);
      leaves.splice(pick, 1, lLeaf, rLeaf);
    }
    for (const leaf of leaves) {
      const v = (-leaf.g / (leaf.h + p.l2)) * p.learningRate;
      value[leaf.node] = v;
      for (let r = leaf.start; r < leaf.end; r++) score[order[r]] += v;
    }
    const tree: Tree = {
      feature: Int32Array.from(feature),
      bin: Int32Array.from(binAt),
      threshold: Float64Array.from(thr),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value: Float64Array.from(value),
    };
    trees.push(tree);
    if (vBins && validation) {
      let ll = 0;
      for (let i = 0; i < vn; i++) {
        let k = 0;
        while (tree.feature[k] >= 0)
          k = vBins[tree.feature[k] * vn + i] <= tree.bin[k] ? tree.left[k] : tree.right[k];
        vScore[i] += tree.value[k];
        const q = Math.min(Math.max(sigmoid(vScore[i]), 1e-15), 1 - 1e-15);
        ll -= validation.y[i] === 1 ? Math.log(q) : Math.log(1 - q);
      }
      ll /= vn;
      curve.push(ll);
      if (ll < best - 1e-9) {
        best = ll;
        bestRounds = round + 1;
      } else if (round + 1 - bestRounds >= p.patience) break;
    }
  }
  const model = new Gbdt(base, trees, d);
  if (!validation) return { model, validationCurve: curve, bestRounds: trees.length };
  return { model: model.truncate(bestRounds), validationCurve: curve, bestRounds };
}
