/**
 * A/B statistics, pure: per-variant estimates with 95 % intervals, the difference to control
 * with its p-value (two-proportion z-test for rates; Welch's t-test with Welch–Satterthwaite
 * degrees of freedom for means), and the sample-ratio-mismatch chi-square test. Distribution
 * functions come from @stdlib; the tests pin every number against scipy.stats.
 */
import chisqCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import normCdf from '@stdlib/stats-base-dists-normal-cdf';
import normQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

export const CONFIDENCE = 0.95;
/** SRM is flagged below this p-value: strict, because a true mismatch is usually glaring and false alarms stop good tests. */
export const SRM_ALPHA = 0.001;

const Z = normQuantile(1 - (1 - CONFIDENCE) / 2, 0, 1);

export interface Estimate {
  n: number;
  value: number;
  /** 95 % interval; null when it is undefined (n too small). */
  low: number | null;
  high: number | null;
}

export interface Difference {
  /** Treatment minus control. */
  delta: number;
  low: number | null;
  high: number | null;
  /** Two-sided; null when the test is undefined (no variance in either arm). */
  pValue: number | null;
  statistic: number | null;
  /** Welch's degrees of freedom (means only). */
  df?: number;
}

/** A rate: successes out of n trials (clicks per impression, likes per impression). */
export interface RateSample {
  n: number;
  successes: number;
}

/** Wilson score interval: unlike the Wald interval it stays inside [0, 1] and is honest at the low CTRs ads live at. */
export function rateEstimate(s: RateSample): Estimate {
  if (s.n <= 0) return { n: 0, value: 0, low: null, high: null };
  const p = s.successes / s.n;
  const z2 = Z * Z;
  const centre = (p + z2 / (2 * s.n)) / (1 + z2 / s.n);
  const half = (Z / (1 + z2 / s.n)) * Math.sqrt((p * (1 - p)) / s.n + z2 / (4 * s.n * s.n));
  return { n: s.n, value: p, low: centre - half, high: centre + half };
}

/** Two-proportion z-test (pooled standard error under H0); the interval of the difference uses the unpooled one. */
export function compareRates(control: RateSample, treatment: RateSample): Difference {
  const p1 = control.successes / control.n;
  const p2 = treatment.successes / treatment.n;
  const delta = p2 - p1;
  const pooled = (control.successes + treatment.successes) / (control.n + treatment.n);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n));
  const se = Math.sqrt((p1 * (1 - p1)) / control.n + (p2 * (1 - p2)) / treatment.n);
  const z = se0 > 0 ? delta / se0 : null;
  return {
    delta,
    low: se > 0 ? delta - Z * se : null,
    high: se > 0 ? delta + Z * se : null,
    statistic: z,
    pValue: z === null ? null : 2 * normCdf(-Math.abs(z), 0, 1),
  };
}

interface Moments {
  n: number;
  mean: number;
  /** Unbiased sample variance (n − 1). */
  variance: number;
}

/** Two-pass mean and variance (the one-pass sum of squares loses digits on money amounts). */
export function moments(values: readonly number[]): Moments {
  const n = values.length;
  if (n === 0) return { n, mean: 0, variance: 0 };
  const mean = values.reduce((s, x) => s + x, 0) / n;
  const ss = values.reduce((s, x) => s + (x - mean) * (x - mean), 0);
  return { n, mean, variance: n > 1 ? ss / (n - 1) : 0 };
}

/** A mean with its Student-t interval (n − 1 degrees of freedom). */
export function meanEstimate(values: readonly number[]): Estimate {
  const m = moments(values);
  if (m.n < 2) return { n: m.n, value: m.mean, low: null, high: null };
  const half = tQuantile(1 - (1 - CONFIDENCE) / 2, m.n - 1) * Math.sqrt(m.variance / m.n);
  return { n: m.n, value: m.mean, low: m.mean - half, high: m.mean + half };
}

/** Welch's unequal-variance t-test, df by Welch–Satterthwaite; the interval of the difference uses the same df. */
export function compareMeans(control: readonly number[], treatment: readonly number[]): Difference {
  const a = moments(control);
  const b = moments(treatment);
  const delta = b.mean - a.mean;
  if (a.n < 2 || b.n < 2) return { delta, low: null, high: null, statistic: null, pValue: null };
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { delta, low: null, high: null, statistic: null, pValue: null };
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const t = delta / se;
  const q = tQuantile(1 - (1 - CONFIDENCE) / 2, df);
  return { delta, low: delta - q * se, high: delta + q * se, statistic: t, df, pValue: 2 * tCdf(-Math.abs(t), df) };
}

export interface SampleRatioCheck {
  chiSquare: number;
  df: number;
  pValue: number;
  /** True when the split differs from the configured weights beyond chance (p < SRM_ALPHA): the results cannot be trusted. */
  mismatch: boolean;
}

/** Pearson's chi-square goodness of fit of the observed units per variant against the traffic weights. */
export function sampleRatioCheck(observed: readonly number[], weights: readonly number[]): SampleRatioCheck {
  if (observed.length !== weights.length || observed.length < 2) throw new RangeError('observed and weights must have the same length, at least 2');
  const total = observed.reduce((s, x) => s + x, 0);
  const wsum = weights.reduce((s, x) => s + x, 0);
  const df = observed.length - 1;
  if (total === 0) return { chiSquare: 0, df, pValue: 1, mismatch: false };
  const chiSquare = observed.reduce((s, o, i) => {
    const e = (total * weights[i]) / wsum;
    return s + ((o - e) * (o - e)) / e;
  }, 0);
  const pValue = 1 - chisqCdf(chiSquare, df);
  return { chiSquare, df, pValue, mismatch: pValue < SRM_ALPHA };
}
