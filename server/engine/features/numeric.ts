/** Numeric features: standardised with a running mean/variance, or log-bucketed into a token. */

/** Standardised values are clipped here: one outlier must not dominate a logit. */
export const Z_CLIP = 5;

/** Welford's running mean and variance; transform gives (x − μ)/σ, clipped to ±Z_CLIP. */
export class RunningStandardizer {
  count = 0;
  mean = 0;
  private m2 = 0;

  /** Folds x into the statistics; non-finite values are ignored (returns false). */
  update(x: number): boolean {
    if (!Number.isFinite(x)) return false;
    this.count++;
    const d = x - this.mean;
    this.mean += d / this.count;
    this.m2 += d * (x - this.mean);
    return true;
  }

  get variance(): number {
    return this.count > 1 ? this.m2 / (this.count - 1) : 0;
  }

  /** (x − μ)/σ, clipped; 0 while σ is unknown or x is not finite. */
  transform(x: number): number {
    if (!Number.isFinite(x)) return 0;
    const sd = Math.sqrt(this.variance);
    if (!(sd > 0)) return 0;
    const z = (x - this.mean) / sd;
    return z > Z_CLIP ? Z_CLIP : z < -Z_CLIP ? -Z_CLIP : z;
  }
}

/**
 * Log bucket of a count-like value, as in the Criteo winners' features: missing → "NA",
 * v ≤ 2 → v, else floor(ln(v)²). Non-finite values are "NA"; fractions are floored first.
 */
export function logBucket(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'NA';
  const x = Math.floor(v);
  if (x <= 2) return String(x);
  return String(Math.floor(Math.log(x) ** 2));
}
