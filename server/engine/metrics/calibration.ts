/** Calibration: predicted vs. observed click rate in deciles of the prediction. */

export interface CalibrationBin {
  /** Examples in the bin. */
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/**
 * Sorts by prediction and cuts into `bins` groups of (nearly) equal size; returns the mean
 * prediction and the observed positive rate of each, lowest predictions first.
 */
export function calibrationByQuantile(
  labels: ArrayLike<number>,
  preds: ArrayLike<number>,
  bins = 10,
): CalibrationBin[] {
  const n = labels.length;
  if (preds.length !== n) throw new RangeError('labels and predictions differ in length');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => preds[a] - preds[b]);
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const lo = Math.floor((b * n) / bins);
    const hi = Math.floor(((b + 1) * n) / bins);
    let sp = 0;
    let sy = 0;
    for (let t = lo; t < hi; t++) {
      sp += preds[order[t]];
      sy += labels[order[t]];
    }
    const c = hi - lo;
    out.push({ count: c, meanPredicted: c ? sp / c : NaN, observedRate: c ? sy / c : NaN });
  }
  return out;
}

/** Expected calibration error: the count-weighted mean |predicted − observed| over the bins. */
export function expectedCalibrationError(bins: CalibrationBin[]): number {
  let n = 0;
  let s = 0;
  for (const b of bins) {
    if (!b.count) continue;
    n += b.count;
    s += b.count * Math.abs(b.meanPredicted - b.observedRate);
  }
  return n ? s / n : NaN;
}
