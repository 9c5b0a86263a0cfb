/**
 * The purchase-propensity learner: logistic regression and gradient-boosted trees on the same
 * rows, each family's settings chosen on a validation split carved from the training rows (one
 * fixed grid for every input), and the family with the lower validation log-loss refitted on all
 * of them. Used by `bench:propensity` and, on per-user payment features, by the propensity model.
 */
import { logLoss } from '../metrics/logloss';
import { mulberry32 } from '../models/rng';
import { fitDenseLogistic, DenseLogistic } from './dense-lr';
import type { DenseLrJson } from './dense-lr';
import { fitGbdt, Gbdt } from './gbdt';
import type { GbdtJson, GbdtParams, Matrix } from './gbdt';

/** Rows with their columns' kinds: a categorical column holds integer codes (NaN: missing). */
export interface Design {
  x: Matrix;
  categorical: readonly boolean[];
}

/** Share of the training rows held out to choose settings. */
export const VALIDATION_SHARE = 0.2;
/** The L2 grid of the linear model (scikit-learn's 1/C). */
export const LR_L2_GRID = [0.1, 1, 10, 100] as const;
/** The trees' grid; rounds are chosen by early stopping on the same validation rows. */
export const GBDT_GRID: readonly Partial<GbdtParams>[] = [
  { learningRate: 0.05, maxLeaves: 7, minLeafRows: 20 },
  { learningRate: 0.05, maxLeaves: 15, minLeafRows: 20 },
  { learningRate: 0.05, maxLeaves: 31, minLeafRows: 20 },
  { learningRate: 0.05, maxLeaves: 15, minLeafRows: 50 },
  { learningRate: 0.05, maxLeaves: 31, minLeafRows: 50 },
  { learningRate: 0.05, maxLeaves: 15, minLeafRows: 20, featureFraction: 0.7 },
];
const MAX_ROUNDS = 600;
const PATIENCE = 50;

export type PropensityFamily = 'lr' | 'gbdt';

export interface PropensityChoice {
  family: PropensityFamily;
  /** Validation log-loss of each candidate, by a readable name. */
  validation: Record<string, number>;
  lr: { l2: number; logloss: number };
  gbdt: { params: Partial<GbdtParams>; rounds: number; logloss: number };
}

/** A fitted propensity model: the linear encoding it was trained with, and one model. */
export class PropensityModel {
  constructor(
    readonly family: PropensityFamily,
    readonly encoding: LinearEncoding,
    readonly lr: DenseLogistic | null,
    readonly gbdt: Gbdt | null,
  ) {}

  predict(d: Design): Float64Array {
    if (this.family === 'gbdt') return (this.gbdt as Gbdt).predictMatrix(d.x);
    return (this.lr as DenseLogistic).predictMatrix(linearRows(d, this.encoding));
  }

  toJSON(): PropensityJson {
    return {
      family: this.family,
      encoding: this.encoding,
      model:
        this.family === 'gbdt' ? (this.gbdt as Gbdt).toJSON() : (this.lr as DenseLogistic).toJSON(),
    };
  }

  static fromJSON(j: PropensityJson): PropensityModel {
    if (j.family === 'gbdt')
      return new PropensityModel('gbdt', j.encoding, null, Gbdt.fromJSON(j.model as GbdtJson));
    if (j.family === 'lr')
      return new PropensityModel(
        'lr',
        j.encoding,
        DenseLogistic.fromJSON(j.model as DenseLrJson),
        null,
      );
    throw new RangeError('unknown propensity family');
  }
}

export interface PropensityJson {
  family: PropensityFamily;
  encoding: LinearEncoding;
  model: GbdtJson | DenseLrJson;
}

/**
 * How the linear model sees a design: categorical columns one-hot over the levels seen in
 * training (an unseen level is all zeros), numeric columns through sign(v)·log(1 + |v|), since
 * counts, durations and amounts are heavily skewed and a linear logit is not.
 */
export interface LinearEncoding {
  categorical: boolean[];
  levels: number[][];
}

export function linearEncoding(d: Design): LinearEncoding {
  const levels = d.categorical.map((cat, f) => {
    if (!cat) return [];
    const seen = new Set<number>();
    for (let i = 0; i < d.x.rows; i++) {
      const v = d.x.values[i * d.x.cols + f];
      if (Number.isFinite(v)) seen.add(v);
    }
    return [...seen].sort((a, b) => a - b);
  });
  return { categorical: [...d.categorical], levels };
}

export function linearRows(d: Design, enc: LinearEncoding): Matrix {
  const width = enc.categorical.reduce((s, cat, f) => s + (cat ? enc.levels[f].length : 1), 0);
  const out = new Float64Array(d.x.rows * width);
  const index = enc.levels.map((ls) => new Map(ls.map((v, k) => [v, k])));
  for (let i = 0; i < d.x.rows; i++) {
    let o = i * width;
    for (let f = 0; f < d.x.cols; f++) {
      const v = d.x.values[i * d.x.cols + f];
      if (enc.categorical[f]) {
        const k = index[f].get(v);
        if (k !== undefined) out[o + k] = 1;
        o += enc.levels[f].length;
      } else {
        out[o++] = Number.isFinite(v) ? Math.sign(v) * Math.log1p(Math.abs(v)) : NaN;
      }
    }
  }
  return { rows: d.x.rows, cols: width, values: out };
}

function subset(d: Design, rows: number[]): Design {
  const c = d.x.cols;
  const values = new Float64Array(rows.length * c);
  rows.forEach((r, k) => values.set(d.x.values.subarray(r * c, (r + 1) * c), k * c));
  return { x: { rows: rows.length, cols: c, values }, categorical: d.categorical };
}

const pick = (y: ArrayLike<number>, rows: number[]): Float64Array =>
  Float64Array.from(rows, (r) => y[r]);

/** A seeded random split of 0..n−1 into (fit, validation). */
export function validationSplit(
  n: number,
  seed: number,
  share = VALIDATION_SHARE,
): [number[], number[]] {
  const rng = mulberry32(seed);
  const fit: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < n; i++) (rng() < share ? val : fit).push(i);
  return [fit, val];
}

export interface TrainOptions {
  seed?: number;
  /** Only this family (the benchmark measures both). */
  family?: PropensityFamily;
}

/** Chooses settings on a validation split of (d, y), then refits the chosen model on all rows. */
export function trainPropensity(
  d: Design,
  y: ArrayLike<number>,
  opts: TrainOptions = {},
): { model: PropensityModel; choice: PropensityChoice } {
  const seed = opts.seed ?? 1;
  const [fitRows, valRows] = validationSplit(d.x.rows, seed);
  const fitD = subset(d, fitRows);
  const valD = subset(d, valRows);
  const fitY = pick(y, fitRows);
  const valY = pick(y, valRows);
  const validation: Record<string, number> = {};

  const enc = linearEncoding(fitD);
  const fitX = linearRows(fitD, enc);
  const valX = linearRows(valD, enc);
  let lrBest = { l2: LR_L2_GRID[0] as number, logloss: Infinity };
  for (const l2 of LR_L2_GRID) {
    const m = fitDenseLogistic(fitX, fitY, l2);
    const ll = logLoss(valY, m.predictMatrix(valX));
    validation[`lr l2=${l2}`] = ll;
    if (ll < lrBest.logloss) lrBest = { l2, logloss: ll };
  }

  let gbBest = { params: GBDT_GRID[0], rounds: 1, logloss: Infinity };
  for (const g of GBDT_GRID) {
    const params = { ...g, rounds: MAX_ROUNDS, patience: PATIENCE, seed };
    const fit = fitGbdt(fitD.x, fitY, params, { x: valD.x, y: valY });
    const ll = fit.validationCurve[fit.bestRounds - 1] ?? Infinity;
    validation[`gbdt ${describe(g)} rounds=${fit.bestRounds}`] = ll;
    if (ll < gbBest.logloss) gbBest = { params: g, rounds: fit.bestRounds, logloss: ll };
  }

  const family: PropensityFamily = opts.family ?? (gbBest.logloss < lrBest.logloss ? 'gbdt' : 'lr');
  const choice: PropensityChoice = { family, validation, lr: lrBest, gbdt: gbBest };
  return { model: fitFamily(d, y, family, choice, seed), choice };
}

/** Refits one family on all rows with the settings a choice found for it. */
export function fitFamily(
  d: Design,
  y: ArrayLike<number>,
  family: PropensityFamily,
  choice: PropensityChoice,
  seed = 1,
): PropensityModel {
  const enc = linearEncoding(d);
  if (family === 'gbdt') {
    const { params, rounds } = choice.gbdt;
    return new PropensityModel(
      'gbdt',
      enc,
      null,
      fitGbdt(d.x, y, { ...params, rounds, seed }).model,
    );
  }
  return new PropensityModel(
    'lr',
    enc,
    fitDenseLogistic(linearRows(d, enc), y, choice.lr.l2),
    null,
  );
}

function describe(g: Partial<GbdtParams>): string {
  return Object.entries(g)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
