/** The learner interface (learn one / predict one, as in river) and the guard every model runs on its input. */
import type { FeatureVector } from '../features/vector';

/** A binary click model over hashed sparse features. */
export interface Learner {
  /** P(y = 1 | x); always a finite number in (0, 1). Learning does not mutate x. */
  predict(x: FeatureVector): number;
  /**
   * Learns one example. Returns the prediction made before the update (for progressive
   * validation), or null when the example was refused; refused examples change no weight.
   * `weight` (default 1, finite and ≥ 0) scales the example's gradient: an importance weight,
   * as the delayed-feedback correction gives provisional labels (server/engine/labels/join.ts).
   */
  learn(x: FeatureVector, y: number, weight?: number): number | null;
  /** Examples refused so far, by reason. */
  readonly skipped: SkipCounts;
  /** Compact binary blob (header, version, CRC32); the model's `load` refuses a damaged one. */
  serialize(): Uint8Array;
}

export type SkipReason = 'label' | 'value' | 'index';
export type SkipCounts = Record<SkipReason, number>;
export const noSkips = (): SkipCounts => ({ label: 0, value: 0, index: 0 });

/**
 * Feature values beyond this magnitude are refused as absurd: one-hot values are 1 and
 * standardised ones are clipped to ±5, so anything this large is a bug upstream.
 */
export const MAX_ABS_VALUE = 1e3;

/** Logits are clamped to this range so that σ and log-loss stay finite. */
export const MAX_LOGIT = 35;

/** t clamped to ±MAX_LOGIT. */
export const clampLogit = (t: number): number =>
  t > MAX_LOGIT ? MAX_LOGIT : t < -MAX_LOGIT ? -MAX_LOGIT : t;

export const sigmoid = (t: number): number => 1 / (1 + Math.exp(-clampLogit(t)));

/** True, after counting the reason in `skipped`, when (x, y) with this weight must not be learned from. */
export function refused(
  x: FeatureVector,
  y: number,
  buckets: number,
  skipped: SkipCounts,
  weight = 1,
): boolean {
  const bad = weight >= 0 && weight <= MAX_ABS_VALUE ? checkExample(x, y, buckets) : 'value';
  if (bad) skipped[bad]++;
  return bad !== null;
}

/** Why (x, y) must not be learned from, or null if it may. */
export function checkExample(x: FeatureVector, y: number, buckets: number): SkipReason | null {
  if (y !== 0 && y !== 1) return 'label';
  for (let j = 0; j < x.n; j++) {
    const v = x.val[j];
    if (!(v >= -MAX_ABS_VALUE && v <= MAX_ABS_VALUE)) return 'value'; // also catches NaN
    if (x.idx[j] >= buckets) return 'index';
  }
  return null;
}

/** Whether entry j may take part in a prediction (bad entries are ignored there, not fatal). */
export const usable = (x: FeatureVector, j: number, buckets: number): boolean => {
  const v = x.val[j];
  return v >= -MAX_ABS_VALUE && v <= MAX_ABS_VALUE && x.idx[j] < buckets;
};
