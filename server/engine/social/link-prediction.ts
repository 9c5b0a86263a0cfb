/**
 * Link prediction for friend recommendation (推荐好友): neighbourhood scores (Liben-Nowell &
 * Kleinberg 2007, "The link-prediction problem for social networks"): common neighbours,
 * Adamic-Adar (Adamic & Adar 2003), resource allocation (Zhou, Lü & Zhang 2009), and a learned
 * combination of them with degree, Jaccard and community features — a logistic regression fitted
 * on edges held out of the training graph (never on the test edges), re-ranking the baseline's
 * shortlist.
 */
import type { NeighbourIndex } from './graph';

export type Scorer = 'common-neighbours' | 'adamic-adar' | 'resource-allocation' | 'learned';

/** Features of one candidate pair, in this order (the learned model's weights follow it). */
export const PAIR_FEATURES = [
  'cn',
  'adamicAdar',
  'resourceAllocation',
  'jaccard',
  'logDegree',
  'sameCommunity',
  'logCn',
] as const;
export const FEATURE_COUNT = PAIR_FEATURES.length;

/** A fitted combination: standardisation and logistic weights over PAIR_FEATURES. */
export interface PairModel {
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
  /** How many of the Adamic-Adar ranking's best candidates the model re-ranks. */
  shortlist: number;
}

export interface Candidate {
  node: number;
  score: number;
}

/** Scratch arrays reused across queries (one per index). */
export class PairScratch {
  readonly cn: Float64Array;
  readonly aa: Float64Array;
  readonly ra: Float64Array;
  readonly touched: number[] = [];
  constructor(size: number) {
    this.cn = new Float64Array(size);
    this.aa = new Float64Array(size);
    this.ra = new Float64Array(size);
  }
}

/**
 * Accumulates the neighbourhood scores of every node two hops from `u` that is not `u` nor
 * already its neighbour; returns those nodes (the scratch holds their scores until `reset`).
 */
export function twoHop(idx: NeighbourIndex, u: number, s: PairScratch): number[] {
  reset(s);
  const mine = idx.nbrs[u];
  const isNeighbour = new Set<number>(mine);
  for (const v of mine) {
    const nv = idx.nbrs[v];
    const dv = nv.length;
    // Adamic-Adar's 1 / log(deg): a degree-1 neighbour can only lead back to u (skipped anyway).
    const aaw = dv > 1 ? 1 / Math.log(dv) : 0;
    const raw = 1 / dv;
    for (const w of nv) {
      if (w === u || isNeighbour.has(w)) continue;
      if (s.cn[w] === 0) s.touched.push(w);
      s.cn[w] += 1;
      s.aa[w] += aaw;
      s.ra[w] += raw;
    }
  }
  return s.touched;
}

function reset(s: PairScratch): void {
  for (const w of s.touched) {
    s.cn[w] = 0;
    s.aa[w] = 0;
    s.ra[w] = 0;
  }
  s.touched.length = 0;
}

/** Features of (u, w) after `twoHop(u)`, in PAIR_FEATURES order. */
export function pairFeatures(
  idx: NeighbourIndex,
  u: number,
  w: number,
  s: PairScratch,
  community: Int32Array | null,
  out: Float64Array = new Float64Array(FEATURE_COUNT),
): Float64Array {
  const cn = s.cn[w];
  const du = idx.nbrs[u].length;
  const dw = idx.nbrs[w].length;
  out[0] = cn;
  out[1] = s.aa[w];
  out[2] = s.ra[w];
  out[3] = cn / Math.max(1, du + dw - cn);
  out[4] = Math.log1p(dw);
  out[5] = community && community[u] >= 0 && community[u] === community[w] ? 1 : 0;
  out[6] = Math.log1p(cn);
  return out;
}

/** Best-first by score, ties by index (the index order is the caller's, see neighbourIndex). */
function byScore(a: Candidate, b: Candidate): number {
  return b.score - a.score || a.node - b.node;
}

/**
 * The `k` best non-neighbours of `u` by one scorer. `learned` needs `model` (and uses
 * `community` when given): it re-ranks Adamic-Adar's `model.shortlist` best by the model.
 */
export function recommend(
  idx: NeighbourIndex,
  u: number,
  k: number,
  scorer: Scorer,
  s: PairScratch,
  model?: PairModel | null,
  community: Int32Array | null = null,
): Candidate[] {
  const nodes = twoHop(idx, u, s);
  const pick =
    scorer === 'common-neighbours' ? s.cn : scorer === 'resource-allocation' ? s.ra : s.aa;
  const ranked = nodes.map((node) => ({ node, score: pick[node] })).sort(byScore);
  if (scorer !== 'learned') return ranked.slice(0, k);
  if (!model) throw new Error('the learned scorer needs a fitted PairModel');
  const x = new Float64Array(FEATURE_COUNT);
  const shortlist = ranked.slice(0, Math.max(k, model.shortlist));
  for (const c of shortlist)
    c.score = predict(model, pairFeatures(idx, u, c.node, s, community, x));
  return shortlist.sort(byScore).slice(0, k);
}

/** The model's logit for one feature vector. */
export function predict(m: PairModel, x: ArrayLike<number>): number {
  let z = m.bias;
  for (let j = 0; j < FEATURE_COUNT; j++) z += m.weights[j] * ((x[j] - m.mean[j]) / m.scale[j]);
  return z;
}

/**
 * Fits the combination on one graph and its held-out edges: for each node with held-out edges,
 * Adamic-Adar's `shortlist` best candidates are examples, labelled 1 when held out. Logistic
 * regression by Newton's method with a small L2 penalty (a handful of features: exact and fast).
 */
export function fitPairModel(
  idx: NeighbourIndex,
  heldOut: Map<number, Set<number>>,
  community: Int32Array | null,
  options: { shortlist?: number; l2?: number; iterations?: number } = {},
): PairModel {
  const shortlist = options.shortlist ?? 50;
  const s = new PairScratch(idx.ids.length);
  const xs: Float64Array[] = [];
  const ys: number[] = [];
  for (const [u, truth] of heldOut) {
    if (!truth.size) continue;
    for (const c of recommend(idx, u, shortlist, 'adamic-adar', s)) {
      xs.push(pairFeatures(idx, u, c.node, s, community));
      ys.push(truth.has(c.node) ? 1 : 0);
    }
  }
  const d = FEATURE_COUNT;
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(1);
  if (xs.length) {
    for (const x of xs) for (let j = 0; j < d; j++) mean[j] += x[j] / xs.length;
    const v = new Array<number>(d).fill(0);
    for (const x of xs) for (let j = 0; j < d; j++) v[j] += (x[j] - mean[j]) ** 2 / xs.length;
    for (let j = 0; j < d; j++) scale[j] = Math.sqrt(v[j]) || 1;
  }
  const beta = newtonLogistic(
    xs.map((x) => Array.from(x, (xj, j) => (xj - mean[j]) / scale[j])),
    ys,
    options.l2 ?? 1,
    options.iterations ?? 25,
  );
  return { mean, scale, weights: beta.slice(1), bias: beta[0], shortlist };
}

/** L2-penalised logistic regression (intercept unpenalised) by Newton–Raphson. */
export function newtonLogistic(
  xs: number[][],
  ys: number[],
  l2: number,
  iterations: number,
): number[] {
  const d = (xs[0]?.length ?? 0) + 1;
  const beta = new Array<number>(d).fill(0);
  const row = new Array<number>(d);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < xs.length; i++) {
      row[0] = 1;
      for (let j = 1; j < d; j++) row[j] = xs[i][j - 1];
      let z = 0;
      for (let j = 0; j < d; j++) z += beta[j] * row[j];
      const p = 1 / (1 + Math.exp(-z));
      const w = Math.max(p * (1 - p), 1e-9);
      for (let j = 0; j < d; j++) {
        grad[j] += (p - ys[i]) * row[j];
        for (let k = 0; k <= j; k++) hess[j][k] += w * row[j] * row[k];
      }
    }
    for (let j = 1; j < d; j++) {
      grad[j] += l2 * beta[j];
      hess[j][j] += l2;
    }
    for (let j = 0; j < d; j++) for (let k = j + 1; k < d; k++) hess[j][k] = hess[k][j];
    hess[0][0] += 1e-9;
    const step = solve(hess, grad);
    let moved = 0;
    for (let j = 0; j < d; j++) {
      beta[j] -= step[j];
      moved = Math.max(moved, Math.abs(step[j]));
    }
    if (moved < 1e-8) break;
  }
  return beta;
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A small and positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const piv = m[c][c] || 1e-12;
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / piv;
      if (f) for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let acc = m[r][n];
    for (let k = r + 1; k < n; k++) acc -= m[r][k] * x[k];
    x[r] = acc / (m[r][r] || 1e-12);
  }
  return x;
}
