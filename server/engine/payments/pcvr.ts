/**
 * pCVR (click → pay) with delayed feedback, after Chapelle 2014, "Modeling delayed feedback in
 * display advertising" (KDD): a logistic model of whether a click ever converts and an
 * exponential model of when, fitted jointly, so a recent click without a pay yet counts only by
 * the chance its pay is still to come. With an attribution window W (the reports' 24 h last
 * click), a pay counts only within W: the delay is exponential truncated to [0, W], and a click
 * older than W without a pay is a plain negative.
 */
import { clampLogit } from '../models/learner';
import type { ClickRecord } from './records';
import { DAY_MS } from './records';

/**
 * Math's functions as module constants: the fit calls them millions of times, and under a vm
 * context (jest) every lookup of the global `Math` goes through the context's interceptor.
 */
const { exp, expm1, log, max, min, sqrt } = Math;
const INF = Number.POSITIVE_INFINITY;
/** The learner's sigmoid (clamped logit) on the local exp. */
const sigmoid = (t: number): number => 1 / (1 + exp(-clampLogit(t)));

export interface DelayedFeedbackParams {
  /** Attribution window (ms): pays later than this after the click do not count. Infinity: none. */
  windowMs: number;
  /** L2 penalty on both weight vectors (not on the biases), per example. */
  l2: number;
  iterations: number;
  learningRate: number;
  /** Start from this model's weights (same width) instead of the observed rate: a warm refit. */
  init?: DelayedFeedbackModel | null;
}

export const DELAYED_FEEDBACK_DEFAULTS: DelayedFeedbackParams = {
  windowMs: DAY_MS,
  l2: 1e-4,
  iterations: 400,
  learningRate: 0.05,
};

/** P(convert within the window | x) and the delay model's rate λ(x) (per day). */
export class DelayedFeedbackModel {
  constructor(
    /** Conversion logit weights; index 0 is the bias. */
    readonly w: Float64Array,
    /** log-rate weights of the delay (per day); index 0 is the bias. */
    readonly v: Float64Array,
    readonly windowMs: number,
  ) {}

  predict(x: readonly number[]): number {
    return sigmoid(dot(this.w, x));
  }

  /** Expected delay rate λ(x) per day. */
  rate(x: readonly number[]): number {
    return exp(clampU(dot(this.v, x)));
  }

  /**
   * P(a click of age `elapsedMs` without a pay yet will still convert): what a controller adds
   * for its recent clicks when it counts conversions.
   */
  pendingProbability(x: readonly number[], elapsedMs: number): number {
    const p = this.predict(x);
    const lam = this.rate(x);
    const w = this.windowMs / DAY_MS;
    const e = elapsedMs / DAY_MS;
    if (e >= w) return 0;
    const fw = cdf(lam, w);
    const fe = cdf(lam, e);
    const stillToCome = p * (1 - fe / fw);
    return stillToCome / (1 - p * (fe / fw));
  }

  toJSON(): { w: number[]; v: number[]; windowMs: number } {
    return { w: Array.from(this.w), v: Array.from(this.v), windowMs: this.windowMs };
  }

  /** The model back from toJSON (null when the shape is not one: a corrupted blob). */
  static fromJSON(raw: unknown): DelayedFeedbackModel | null {
    const r = raw as { w?: unknown; v?: unknown; windowMs?: unknown } | null;
    const ok = (a: unknown): a is number[] =>
      Array.isArray(a) && a.length > 0 && a.every((x) => typeof x === 'number' && isFinite(x));
    if (!r || !ok(r.w) || !ok(r.v) || r.w.length !== r.v.length) return null;
    const win = r.windowMs === null ? Infinity : r.windowMs;
    if (typeof win !== 'number' || !(win > 0)) return null;
    return new DelayedFeedbackModel(Float64Array.from(r.w), Float64Array.from(r.v), win);
  }
}

/**
 * Mean log-likelihood of clicks as seen at `now` under a fitted model (the same censored
 * likelihood the fit maximises): higher is better; a validation measure for the gate.
 */
export function meanLogLikelihood(
  model: DelayedFeedbackModel,
  clicks: readonly ClickRecord[],
  now: number,
): number {
  const win = model.windowMs / DAY_MS;
  let sum = 0;
  let n = 0;
  for (const c of clicks) {
    if (c.clickedAt >= now) continue;
    const paid = c.paidAt !== null && c.paidAt < now && c.paidAt - c.clickedAt <= model.windowMs;
    const d = paid ? max((c.paidAt as number) - c.clickedAt, 0) / DAY_MS : 0;
    sum += loglik(
      clampLogit(dot(model.w, c.x)),
      clampU(dot(model.v, c.x)),
      paid,
      d,
      elapsedDays(c, now),
      win,
    );
    n++;
  }
  return n ? sum / n : 0;
}

/**
 * A click's age for the likelihood, in days. A click whose order was refunded in full is a
 * settled negative: its pay came and was taken back, so no pay is still to come and it counts as
 * past the window (log(1 − p)), not as a recent click that may yet convert. This is the
 * retraction of ad platforms' conversion adjustments (e.g. Google Ads' RETRACTION uploads, which
 * Smart Bidding learns from), applied to Chapelle's (2014) censored likelihood.
 */
const elapsedDays = (c: ClickRecord, now: number): number =>
  c.refunded ? INF : (now - c.clickedAt) / DAY_MS;

function dot(w: Float64Array, x: readonly number[]): number {
  let t = w[0];
  for (let j = 0; j < x.length; j++) t += w[j + 1] * x[j];
  return t;
}

/** log λ is kept where exp stays finite and a day's delay stays meaningful. */
const clampU = (u: number): number => (u > 20 ? 20 : u < -20 ? -20 : u);

/** F(t) = 1 − e^{−λt}, the exponential delay's CDF (t in days; Infinity gives 1). */
const cdf = (lam: number, t: number): number => (t === INF ? 1 : -expm1(-lam * t));

/**
 * Log-likelihood of one click (t: conversion logit, u: log delay rate, times in days):
 * converted after d: log p + log λ − λd − log F(W); no pay at age e < W: log(1 − p·F(e)/F(W));
 * no pay at e ≥ W: log(1 − p).
 */
function loglik(t: number, u: number, converted: boolean, d: number, e: number, w: number): number {
  const p = sigmoid(t);
  const lam = exp(clampU(u));
  const fw = cdf(lam, w);
  if (converted) return log(max(p, 1e-300)) + clampU(u) - lam * d - log(max(fw, 1e-300));
  if (e >= w) return log(max(1 - p, 1e-300));
  const frac = cdf(lam, e) / max(fw, 1e-300);
  return log(max(1 - p * frac, 1e-300));
}

/**
 * Fits the model by full-batch Adam (Kingma & Ba 2015) on the mean log-likelihood of the clicks
 * as seen at `now`; per-click gradients in t and u by central differences (two scalars each).
 */
export function fitDelayedFeedback(
  clicks: readonly ClickRecord[],
  now: number,
  params: Partial<DelayedFeedbackParams> = {},
): DelayedFeedbackModel {
  const p = { ...DELAYED_FEEDBACK_DEFAULTS, ...params };
  const seen = clicks.filter((c) => c.clickedAt < now);
  if (!seen.length) throw new RangeError('no clicks before now');
  const dim = seen[0].x.length + 1;
  const w = new Float64Array(dim);
  const v = new Float64Array(dim);
  const win = p.windowMs / DAY_MS;
  const rows = seen.map((c) => {
    const paid = c.paidAt !== null && c.paidAt < now && c.paidAt - c.clickedAt <= p.windowMs;
    // Only the non-zero features (one-hot campaign columns are mostly zeros): same sums, fewer terms.
    const idx: number[] = [];
    const val: number[] = [];
    c.x.forEach((xj, j) => {
      if (xj !== 0) {
        idx.push(j + 1);
        val.push(xj);
      }
    });
    return {
      idx,
      val,
      converted: paid,
      d: paid ? max((c.paidAt as number) - c.clickedAt, 0) / DAY_MS : 0,
      e: elapsedDays(c, now),
    };
  });
  if (p.init && p.init.w.length === dim) {
    w.set(p.init.w);
    v.set(p.init.v);
  } else {
    // Start from the observed rate and a one-day mean delay.
    const rate = min(max(rows.filter((r) => r.converted).length / rows.length, 1e-4), 0.5);
    w[0] = log(rate / (1 - rate));
  }
  const m = new Float64Array(2 * dim);
  const s = new Float64Array(2 * dim);
  const b1 = 0.9;
  const b2 = 0.999;
  const h = 1e-5;
  for (let it = 1; it <= p.iterations; it++) {
    const g = new Float64Array(2 * dim);
    for (const r of rows) {
      let t = w[0];
      let u = v[0];
      for (let k = 0; k < r.idx.length; k++) {
        t += w[r.idx[k]] * r.val[k];
        u += v[r.idx[k]] * r.val[k];
      }
      t = clampLogit(t);
      u = clampU(u);
      const gt =
        (loglik(t + h, u, r.converted, r.d, r.e, win) -
          loglik(t - h, u, r.converted, r.d, r.e, win)) /
        (2 * h);
      const gu =
        (loglik(t, u + h, r.converted, r.d, r.e, win) -
          loglik(t, u - h, r.converted, r.d, r.e, win)) /
        (2 * h);
      // Descend the negative log-likelihood.
      g[0] -= gt;
      g[dim] -= gu;
      for (let k = 0; k < r.idx.length; k++) {
        g[r.idx[k]] -= gt * r.val[k];
        g[dim + r.idx[k]] -= gu * r.val[k];
      }
    }
    for (let k = 0; k < 2 * dim; k++) {
      const j = k % dim;
      const wt = k < dim ? w : v;
      let grad = g[k] / rows.length;
      if (j > 0) grad += p.l2 * wt[j];
      m[k] = b1 * m[k] + (1 - b1) * grad;
      s[k] = b2 * s[k] + (1 - b2) * grad * grad;
      const mh = m[k] / (1 - b1 ** it);
      const sh = s[k] / (1 - b2 ** it);
      wt[j] -= (p.learningRate * mh) / (sqrt(sh) + 1e-8);
    }
  }
  return new DelayedFeedbackModel(w, v, p.windowMs);
}

/**
 * The day's conversions as the oCPC controller should count them at `now`: pays attributed so
 * far, plus, for each click still inside the window without one, the chance its pay is to come.
 * Counting pays alone would read the latest clicks as failures and push the bid down every evening.
 * A click whose order was refunded in full counts as neither: the controller's CPA is per
 * conversion kept, so refunds raise it.
 */
export function expectedConversions(
  model: DelayedFeedbackModel,
  clicks: readonly ClickRecord[],
  now: number,
): { observed: number; pending: number; expected: number } {
  let observed = 0;
  let pending = 0;
  for (const c of clicks) {
    if (c.clickedAt > now) continue;
    const paid = c.paidAt !== null && c.paidAt <= now && c.paidAt - c.clickedAt <= model.windowMs;
    if (paid) observed++;
    else if (!c.refunded) pending += model.pendingProbability(c.x, now - c.clickedAt);
  }
  return { observed, pending, expected: observed + pending };
}
