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

  /** The statistics, to be carried with a model (NumericScaler.encode). */
  state(): { count: number; mean: number; m2: number } {
    return { count: this.count, mean: this.mean, m2: this.m2 };
  }

  static from(st: { count: number; mean: number; m2: number }): RunningStandardizer {
    const s = new RunningStandardizer();
    s.count = st.count;
    s.mean = st.mean;
    s.m2 = st.m2;
    return s;
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

/**
 * Running statistics of named numeric features, standardised as (x − μ)/σ (RunningStandardizer):
 * the trainer folds in every value it learns from, and the statistics go with the model it
 * writes, so that serving applies the same μ and σ the model learned with.
 */
export class NumericScaler {
  /**
   * Values a feature's statistics must have seen before it is standardised (0 until then): a σ
   * from a handful of values is noise, and a model's weight learned against it would be too.
   */
  static readonly MIN_COUNT = 50;
  private readonly stats = new Map<string, RunningStandardizer>();

  private of(name: string): RunningStandardizer {
    let s = this.stats.get(name);
    if (!s) this.stats.set(name, (s = new RunningStandardizer()));
    return s;
  }

  observe(name: string, x: number): void {
    this.of(name).update(x);
  }

  /** (x − μ)/σ of `name`, clipped to ±Z_CLIP; 0 before the statistics have MIN_COUNT values and a spread. */
  z(name: string, x: number): number {
    const s = this.stats.get(name);
    return s && s.count >= NumericScaler.MIN_COUNT ? s.transform(x) : 0;
  }

  /** The statistics of one feature (tests, reports). */
  get(name: string): RunningStandardizer | undefined {
    return this.stats.get(name);
  }

  clone(): NumericScaler {
    return NumericScaler.decode(this.encode());
  }

  /** JSON text of the statistics, names sorted (the same statistics give the same bytes). */
  encode(): string {
    const names = [...this.stats.keys()].sort();
    return JSON.stringify(names.map((n) => [n, this.stats.get(n)!.state()]));
  }

  /** Reads what encode wrote; throws RangeError on anything else. */
  static decode(text: string): NumericScaler {
    const raw: unknown = JSON.parse(text);
    const out = new NumericScaler();
    if (!Array.isArray(raw)) throw new RangeError('numeric statistics are not a list');
    for (const e of raw as unknown[]) {
      const [name, st] = Array.isArray(e) ? (e as [unknown, Record<string, unknown>]) : [];
      const ok =
        typeof name === 'string' &&
        st !== null &&
        typeof st === 'object' &&
        [st.count, st.mean, st.m2].every((v) => typeof v === 'number' && Number.isFinite(v)) &&
        (st.count as number) >= 0 &&
        (st.m2 as number) >= 0;
      if (!ok) throw new RangeError('numeric statistics entry is malformed');
      out.stats.set(
        name,
        RunningStandardizer.from(st as { count: number; mean: number; m2: number }),
      );
    }
    return out;
  }
}
