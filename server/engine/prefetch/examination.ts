/**
 * Position-based click model for prefetch (issue 18): per-place examination estimated from logged
 * slates' clicks by EM, P(click) = examination(k) × attractiveness(item) (Craswell et al. 2008,
 * "An experimental comparison of click position-bias models"; EM updates as in Chuklin, Markov &
 * de Rijke 2015, "Click Models for Web Search", §4.2 and §4.6).
 */

export interface SlateObservation {
  itemId: string;
  /** The card's place on its page, 0 = first. */
  k: number;
  clicked: boolean;
}

export interface ExaminationModel {
  /** Examination probability per place, relative to the first place (examination[0] = 1). */
  examination: number[];
  /** Attractiveness per item (on the scale where the first place is examined with probability 1). */
  attractiveness: Map<string, number>;
  observations: number;
}

export interface ExaminationFitOptions {
  /** Places modelled; observations further down are ignored. */
  places: number;
  iterations: number;
  /** Beta prior on each attractiveness (pseudo-clicks, pseudo-views) so that a rarely seen item stays near the mean. */
  prior: { clicks: number; views: number };
}

/**
 * 10 places (the feed's page); 50 EM iterations converge to three decimals on the generated logs
 * of the unit test; a prior of 1 click in 10 views keeps items seen a handful of times from
 * absorbing their places' examination.
 */
export const DEFAULT_EXAMINATION_FIT: ExaminationFitOptions = {
  places: 10,
  iterations: 50,
  prior: { clicks: 1, views: 10 },
};

/**
 * PBM by expectation–maximisation. A click means examined and attractive; a skip at place k of
 * item u was unexamined-but-attractive with probability (1 − θk)αu / (1 − θkαu) and
 * examined-but-unattractive with θk(1 − αu) / (1 − θkαu). The scale between θ and α is not
 * identified, so θ is reported relative to the first place. Identification of the shape needs
 * items seen at several places (in the feed, the same item lands on different places for
 * different users and pages).
 */
export function fitExamination(
  logs: readonly SlateObservation[],
  o: ExaminationFitOptions = DEFAULT_EXAMINATION_FIT,
): ExaminationModel {
  const obs = logs.filter((x) => x.k >= 0 && x.k < o.places && Number.isInteger(x.k));
  const ids = new Map<string, number>();
  const item = obs.map((x) => {
    let i = ids.get(x.itemId);
    if (i === undefined) ids.set(x.itemId, (i = ids.size));
    return i;
  });
  let theta = new Array<number>(o.places).fill(0.5);
  let alpha = new Array<number>(ids.size).fill(0.2);
  for (let it = 0; it < o.iterations; it++) {
    const tNum = new Array<number>(o.places).fill(0);
    const tDen = new Array<number>(o.places).fill(0);
    const aNum = new Array<number>(ids.size).fill(o.prior.clicks);
    const aDen = new Array<number>(ids.size).fill(o.prior.views);
    obs.forEach((x, n) => {
      const t = theta[x.k];
      const a = alpha[item[n]];
      tDen[x.k]++;
      aDen[item[n]]++;
      if (x.clicked) {
        tNum[x.k]++;
        aNum[item[n]]++;
      } else {
        const skip = Math.max(1e-12, 1 - t * a);
        tNum[x.k] += (t * (1 - a)) / skip;
        aNum[item[n]] += ((1 - t) * a) / skip;
      }
    });
    theta = theta.map((t, k) => (tDen[k] > 0 ? clamp(tNum[k] / tDen[k]) : t));
    alpha = alpha.map((_, i) => clamp(aNum[i] / aDen[i]));
  }
  const top = theta[0] > 0 ? theta[0] : 1;
  const attractiveness = new Map<string, number>();
  for (const [id, i] of ids) attractiveness.set(id, Math.min(1, alpha[i] * top));
  return {
    examination: theta.map((t) => Math.min(1, t / top)),
    attractiveness,
    observations: obs.length,
  };
}

const clamp = (x: number): number => Math.min(1 - 1e-6, Math.max(1e-6, x));

/**
 * A card's open probability with the click model's own position effect replaced by the logs'
 * examination: pCTR at the served place k × (examination(k) / examination(0)) ÷ (the click
 * model's mean pCTR at k / its mean at the first place). `meanPctr[k]` is the click model's mean
 * pCTR over cards served at place k (the model's implied position curve, which a model whose
 * position feature is weak or confounded with the ranking gets wrong).
 */
export function examinationAdjusted(
  pctr: number,
  k: number,
  model: Pick<ExaminationModel, 'examination'>,
  meanPctr: readonly number[],
): number {
  const exam = model.examination[k] ?? model.examination[model.examination.length - 1] ?? 1;
  const m0 = meanPctr[0];
  const mk = meanPctr[k];
  if (!(m0 > 0) || !(mk > 0)) return pctr;
  return Math.min(1, pctr * exam * (m0 / mk));
}

export interface ScoredObservation {
  k: number;
  clicked: boolean;
  /** The click model's pCTR of the card at the place it was served. */
  pctr: number;
}

export interface RegressionExaminationModel {
  /** Examination per place relative to the first (examination[0] = 1). */
  examination: number[];
  /** The first place's examination on the fitted scale (only the product with attractiveness is identified). */
  top: number;
  /** Attractiveness = σ(w0 + w1 × logit(pCTR)) on the fitted scale. */
  weights: [number, number];
  observations: number;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const logit = (p: number): number => {
  const q = Math.min(1 - 1e-4, Math.max(1e-4, p));
  return Math.log(q / (1 - q));
};

/**
 * PBM with attractiveness a function of the click model's score, fitted by regression EM (Wang,
 * Golbandi, Bendersky, Metzler & Najork 2018, "Position Bias Estimation for Unbiased Learning to
 * Rank in Personal Search"): the E-step as in fitExamination, the M-step a weighted logistic
 * regression of the posterior P(attractive) on [1, logit(pCTR)] (Newton steps). Unlike a
 * per-item attractiveness it generalises to the user × item pairs the ranking chose, so it can
 * say how much of a place's clicks the pCTR explains and how much the place itself does.
 */
export function fitRegressionExamination(
  logs: readonly ScoredObservation[],
  o: Pick<ExaminationFitOptions, 'places' | 'iterations'> = DEFAULT_EXAMINATION_FIT,
): RegressionExaminationModel {
  const obs = logs.filter((x) => Number.isInteger(x.k) && x.k >= 0 && x.k < o.places);
  const xs = obs.map((x) => logit(x.pctr));
  let theta = new Array<number>(o.places).fill(0.5);
  let w: [number, number] = [0, 1];
  for (let it = 0; it < o.iterations; it++) {
    const tNum = new Array<number>(o.places).fill(0);
    const tDen = new Array<number>(o.places).fill(0);
    const q = obs.map((x, n) => {
      const t = theta[x.k];
      const a = sigmoid(w[0] + w[1] * xs[n]);
      tDen[x.k]++;
      if (x.clicked) {
        tNum[x.k]++;
        return 1;
      }
      const skip = Math.max(1e-12, 1 - t * a);
      tNum[x.k] += (t * (1 - a)) / skip;
      return ((1 - t) * a) / skip;
    });
    theta = theta.map((t, k) => (tDen[k] > 0 ? clamp(tNum[k] / tDen[k]) : t));
    // A few Newton steps of logistic regression on the soft labels q (2 × 2 Hessian).
    for (let step = 0; step < 3; step++) {
      let g0 = 0;
      let g1 = 0;
      let h00 = 1e-6;
      let h01 = 0;
      let h11 = 1e-6;
      obs.forEach((_, n) => {
        const x = xs[n];
        const p = sigmoid(w[0] + w[1] * x);
        const r = q[n] - p;
        const v = p * (1 - p);
        g0 += r;
        g1 += r * x;
        h00 += v;
        h01 += v * x;
        h11 += v * x * x;
      });
      const det = h00 * h11 - h01 * h01;
      if (!(Math.abs(det) > 1e-12)) break;
      w = [w[0] + (h11 * g0 - h01 * g1) / det, w[1] + (h00 * g1 - h01 * g0) / det];
    }
  }
  const top = theta[0];
  return {
    examination: theta.map((t) => Math.min(1, t / top)),
    top,
    weights: w,
    observations: obs.length,
  };
}

/** P(open) of a card with the click model's `pctr` at place k under a fitted regression PBM. */
export function predictOpen(model: RegressionExaminationModel, k: number, pctr: number): number {
  const exam = model.examination[k] ?? model.examination[model.examination.length - 1] ?? 1;
  return exam * model.top * sigmoid(model.weights[0] + model.weights[1] * logit(pctr));
}
