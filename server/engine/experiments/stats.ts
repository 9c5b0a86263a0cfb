/**
 * A/B statistics, pure: per-variant estimates with 95 % intervals, the difference to control
 * with its p-value, and the sample-ratio-mismatch chi-square test. Ratio metrics whose unit of
 * analysis (impression) is not the unit of randomisation (user) use the delta method over
 * per-user sums (Deng, Knoblich, Lu, "Applying the Delta Method in Metric Analytics", KDD 2018):
 * a user's impressions are correlated, so treating them as independent trials (the
 * two-proportion z-test, kept for data whose trials really are independent) understates the
 * variance and gives p-values that are too small. Means per user use Welch's t-test with
 * Welch–Satterthwaite degrees of freedom. Distribution functions come from @stdlib; the tests
 * pin every number against numpy / scipy.stats.
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

/** A rate: successes out of n independent trials (valid only when the trial is the unit of randomisation; see compareRatios otherwise). */
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

/** One randomisation unit's totals for a ratio metric: e.g. a user's clicks (numerator) over their impressions (denominator). */
export interface RatioUnit {
  numerator: number;
  denominator: number;
}

/** A ratio of sums over units with the delta-method variance of that ratio. */
export interface RatioMoments {
  /** Units (users). */
  units: number;
  /** Σ denominator (impressions): what the estimate is "per". */
  denominator: number;
  /** Σ numerator / Σ denominator. */
  ratio: number;
  /** Delta-method variance of the ratio; null below two units or without any denominator. */
  variance: number | null;
}

/**
 * Var(X̄/Ȳ) ≈ (σ²_X − 2R·σ_XY + R²·σ²_Y) / (N·Ȳ²) with R = X̄/Ȳ and sample (n − 1) moments
 * over the N units: Deng et al. 2018, eq. (2)–(3); the same as the variance of the mean of the
 * linearised per-unit values (X_u − R·Y_u)/Ȳ.
 */
export function ratioMoments(units: readonly RatioUnit[]): RatioMoments {
  const n = units.length;
  const sx = units.reduce((s, u) => s + u.numerator, 0);
  const sy = units.reduce((s, u) => s + u.denominator, 0);
  if (n === 0 || sy <= 0) return { units: n, denominator: sy, ratio: 0, variance: null };
  const ratio = sx / sy;
  if (n < 2) return { units: n, denominator: sy, ratio, variance: null };
  const my = sy / n;
  // Two passes over the linearised values: no cancellation between large sums of squares.
  const ss = units.reduce((s, u) => {
    const r = u.numerator - ratio * u.denominator;
    return s + r * r;
  }, 0);
  // Σ(X_u − R·Y_u) is 0 by the choice of R, so ss/(n − 1) is σ²_X − 2R·σ_XY + R²·σ²_Y.
  return { units: n, denominator: sy, ratio, variance: ss / (n - 1) / (n * my * my) };
}

/** A ratio with its delta-method normal interval, clipped to [0, 1] when the metric is a rate; `n` counts the denominator (impressions). */
export function ratioEstimate(
  units: readonly RatioUnit[],
  clip: [number, number] | null = [0, 1],
): Estimate {
  const m = ratioMoments(units);
  if (m.variance === null) return { n: m.denominator, value: m.ratio, low: null, high: null };
  const half = Z * Math.sqrt(m.variance);
  const low = clip ? Math.max(clip[0], m.ratio - half) : m.ratio - half;
  const high = clip ? Math.min(clip[1], m.ratio + half) : m.ratio + half;
  return { n: m.denominator, value: m.ratio, low, high };
}

/**
 * Difference of two ratio metrics between independent groups of units: z = Δ / √(V_c + V_t)
 * with the delta-method variances, the interval Δ ± z₀.₉₇₅·SE (Deng et al. 2018, section 3).
 */
export function compareRatios(
  control: readonly RatioUnit[],
  treatment: readonly RatioUnit[],
): Difference {
  const a = ratioMoments(control);
  const b = ratioMoments(treatment);
  const delta = b.ratio - a.ratio;
  if (a.variance === null || b.variance === null)
    return { delta, low: null, high: null, statistic: null, pValue: null };
  const se = Math.sqrt(a.variance + b.variance);
  if (se === 0) return { delta, low: null, high: null, statistic: null, pValue: null };
  const z = delta / se;
  return {
    delta,
    low: delta - Z * se,
    high: delta + Z * se,
    statistic: z,
    pValue: 2 * normCdf(-Math.abs(z), 0, 1),
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
  return {
    delta,
    low: delta - q * se,
    high: delta + q * se,
    statistic: t,
    df,
    pValue: 2 * tCdf(-Math.abs(t), df),
  };
}

export interface SampleRatioCheck {
  chiSquare: number;
  df: number;
  pValue: number;
  /** True when the split differs from the configured weights beyond chance (p < SRM_ALPHA): the results cannot be trusted. */
  mismatch: boolean;
}

/** Pearson's chi-square goodness of fit of the observed units per variant against the traffic weights. */
export function sampleRatioCheck(
  observed: readonly number[],
  weights: readonly number[],
): SampleRatioCheck {
  if (observed.length !== weights.length || observed.length < 2)
    throw new RangeError('observed and weights must have the same length, at least 2');
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
