/**
 * Release regressions of a funnel step's conversion: is a version's conversion (step count over
 * the previous step's) below the previous version's? A one-sided test of two proportions,
 * Fisher's exact test (Fisher 1922; Agresti, "Categorical Data Analysis", §3.5.1): given both
 * versions' trials and the pooled successes, the candidate's successes are hypergeometric under
 * "the same conversion", and the p-value is the chance of as few or fewer. Exact, so its false
 * positive rate never exceeds the level (the pooled z-test's does at small counts), and it needs
 * only the four counts a rollup keeps. Steps are event counts: a comparison whose step count
 * exceeds its denominator (not a proportion) is not tested.
 */
import hypergeometricCdf from '@stdlib/stats-base-dists-hypergeometric-cdf';

export interface ConversionTestOptions {
  /** One-sided level. */
  alpha: number;
  /** Fewer trials (the previous step's count) on either side: no test. */
  minCount: number;
}

export const DEFAULT_CONVERSION_TEST: ConversionTestOptions = { alpha: 0.01, minCount: 30 };

/** Successes over trials of one version at one step. */
export interface Proportion {
  x: number;
  n: number;
}

export interface ConversionComparison {
  baseline: number;
  candidate: number;
  /** One-sided p-value of "the candidate converts no worse"; 1 when not tested. */
  pValue: number;
  tested: boolean;
  flagged: boolean;
}

/** Compares the candidate's conversion with the baseline's (see the module header). */
export function compareConversion(
  base: Proportion,
  cand: Proportion,
  options: Partial<ConversionTestOptions> = {},
): ConversionComparison {
  const o = { ...DEFAULT_CONVERSION_TEST, ...options };
  const rate = (p: Proportion) => (p.n > 0 ? p.x / p.n : Number.NaN);
  const out = { baseline: rate(base), candidate: rate(cand) };
  const valid = (p: Proportion) =>
    Number.isInteger(p.x) && Number.isInteger(p.n) && p.x >= 0 && p.x <= p.n && p.n >= o.minCount;
  if (!valid(base) || !valid(cand)) return { ...out, pValue: 1, tested: false, flagged: false };
  // P(X ≤ x2) for X ~ Hypergeometric(population n1 + n2, successes x1 + x2, draws n2).
  const pValue = Math.min(1, hypergeometricCdf(cand.x, base.n + cand.n, base.x + cand.x, cand.n));
  return {
    ...out,
    pValue,
    tested: true,
    flagged: pValue < o.alpha && out.candidate < out.baseline,
  };
}
