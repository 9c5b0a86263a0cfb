/** Mean log-loss (binary cross-entropy) with predictions clipped away from 0 and 1, as scikit-learn does. */

export const LOGLOSS_EPS = 1e-15;

/** Log-loss of one prediction p for label y ∈ {0, 1}. */
export function logLossOne(y: number, p: number): number {
  const q = p < LOGLOSS_EPS ? LOGLOSS_EPS : p > 1 - LOGLOSS_EPS ? 1 - LOGLOSS_EPS : p;
  return y === 1 ? -Math.log(q) : -Math.log(1 - q);
}

export function logLoss(labels: ArrayLike<number>, preds: ArrayLike<number>): number {
  const n = labels.length;
  if (preds.length !== n) throw new RangeError('labels and predictions differ in length');
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += logLossOne(labels[i], preds[i]);
  return s / n;
}
