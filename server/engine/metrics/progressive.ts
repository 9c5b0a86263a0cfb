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
  private lossSum = 0;
  private predSum = 0;
  private readonly pos = new Float64Array(AUC_BINS);
  private readonly neg = new Float64Array(AUC_BINS);

  /** Records the prediction p made for label y before learning it. */
  add(y: number, p: number): void {
    if ((y !== 0 && y !== 1) || !(p >= 0 && p <= 1)) return;
    this.count++;
    this.positives += y;
    this.lossSum += logLossOne(y, p);
    this.predSum += p;
    const b = Math.min(AUC_BINS - 1, Math.floor(p * AUC_BINS));
    if (y === 1) this.pos[b]++;
    else this.neg[b]++;
  }

  get logLoss(): number {
    return this.count ? this.lossSum / this.count : NaN;
  }

  /** Mean prediction over observed rate: 1 when calibrated overall. */
  get calibrationRatio(): number {
    return this.positives ? this.predSum / this.positives : NaN;
  }

  /** AUC over the histogram; examples in the same bin count as ties. */
  get auc(): number {
    const P = this.positives;
    const N = this.count - P;
    if (!P || !N) return NaN;
    let negBelow = 0;
    let s = 0;
    for (let b = 0; b < AUC_BINS; b++) {
      s += this.pos[b] * (negBelow + this.neg[b] / 2);
      negBelow += this.neg[b];
    }
    return s / (P * N);
  }
}
