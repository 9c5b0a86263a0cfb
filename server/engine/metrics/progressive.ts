/**
 * Progressive validation (Blum, Kalai & Langford 1999; McMahan et al. 2013 §5.1): each example
 * is scored before the model learns it, so the running loss is an honest held-out estimate.
 * Memory is fixed: AUC comes from a histogram of predictions (exact up to the bin width).
 */
import { logLossOne } from './logloss';

const AUC_BINS = 10_000;

export class ProgressiveValidation {
  count = 0;
  positives = 0;
  private weightSum = 0;
  private positiveWeight = 0;
  private lossSum = 0;
  private predSum = 0;
  private readonly pos = new Float64Array(AUC_BINS);
  private readonly neg = new Float64Array(AUC_BINS);

  /**
   * Records the prediction p made for label y before learning it. `weight` (default 1) is the
   * example's importance weight: the loss, calibration and AUC are weighted by it, so that a
   * stream of provisional labels learned with importance weights (the delayed-feedback
   * correction, server/engine/labels/join.ts) is judged as the labels it stands for.
   */
  add(y: number, p: number, weight = 1): void {
    if ((y !== 0 && y !== 1) || !(p >= 0 && p <= 1) || !(weight >= 0 && weight < Infinity)) return;
    this.count++;
    this.positives += y;
    this.weightSum += weight;
    this.positiveWeight += y * weight;
    this.lossSum += weight * logLossOne(y, p);
    this.predSum += weight * p;
    const b = Math.min(AUC_BINS - 1, Math.floor(p * AUC_BINS));
    if (y === 1) this.pos[b] += weight;
    else this.neg[b] += weight;
  }

  get logLoss(): number {
    return this.weightSum ? this.lossSum / this.weightSum : NaN;
  }

  /** Mean prediction over observed rate: 1 when calibrated overall. */
  get calibrationRatio(): number {
    return this.positiveWeight ? this.predSum / this.positiveWeight : NaN;
  }

  /** AUC over the histogram; examples in the same bin count as ties. */
  get auc(): number {
    const P = this.positiveWeight;
    const N = this.weightSum - P;
    if (!(P > 0) || !(N > 0)) return NaN;
    let negBelow = 0;
    let s = 0;
    for (let b = 0; b < AUC_BINS; b++) {
      s += this.pos[b] * (negBelow + this.neg[b] / 2);
      negBelow += this.neg[b];
    }
    return s / (P * N);
  }
}
