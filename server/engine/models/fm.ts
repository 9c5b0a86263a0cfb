/**
 * Factorization machine (Rendle, "Factorization Machines", ICDM 2010) for click prediction:
 * the linear part and bias are learned by an injected FTRL-Proximal optimizer, the latent
 * factors by AdaGrad with L2, in Float32 rows allocated on a bucket's first use (its factors are
 * drawn then), so a fresh model touches memory only for the buckets it sees.
 *   logit = b + Σ w_i x_i + ½ Σ_f [(Σ_i v_if x_i)² − Σ_i v_if² x_i²]
 */
import { BlobWriter, ModelBlobError, openBlob, sealBlob } from './blob';
import { FtrlProximal } from './ftrl';
import type { FtrlParams } from './ftrl';
import type { Learner, SkipCounts } from './learner';
import { clampLogit, noSkips, refused, sigmoid, usable } from './learner';
import { initValue } from './ffm';
import type { FeatureVector } from '../features/vector';

export const FM_KIND = 2;

export interface FmParams {
  /** Latent dimensions per bucket. */
  k: number;
  /** AdaGrad step size of the factors. */
  eta: number;
  /** L2 penalty of the factors. */
  l2: number;
  /** Factors start uniform in ±initScale, drawn from the seed and the bucket (`initValue`) on its first use. */
  initScale: number;
  seed: number;
}

export class FactorizationMachine implements Learner {
  readonly buckets: number;
  readonly skipped: SkipCounts = noSkips();
  /** Latent factors, row-major: v[row*k + f], a bucket's row from `rowOf` (grown on demand). */
  private v: Float32Array;
  /** AdaGrad accumulators of the factors (start at 1, as libFFM does, to damp the first steps). */
  private g2: Float32Array;
  /**
   * Row + 1 of each bucket's factors; 0: not started yet. Factors are drawn on a bucket's first use
   * into a row of their own, so a fresh model costs one zeroed index instead of two 2^bits · k
   * tables whose pages the first pass faulted in at random (FM k 4 at 2^20 buckets: 32 MB; that
   * was a third of its share of the selection on AdKDD'21).
   */
  private readonly rowOf: Int32Array;
  private rowCount = 0;
  private sums: Float64Array;
  private wScratch = new Float64Array(64);
  /** Row offset of each entry, set by logit for learn. */
  private baseScratch = new Int32Array(64);

  constructor(
    readonly bits: number,
    readonly linear: FtrlProximal,
    readonly p: FmParams,
  ) {
    if (!Number.isInteger(p.k) || p.k < 1 || p.k > 64) throw new RangeError('FM k must be 1..64');
    if (!(p.eta > 0) || !(p.l2 >= 0) || !(p.initScale >= 0))
      throw new RangeError('invalid FM parameters');
    this.buckets = 2 ** bits;
    if (linear.size !== this.buckets + 1)
      throw new RangeError(`optimizer size ${linear.size} does not fit 2^${bits} buckets + bias`);
    this.rowOf = new Int32Array(this.buckets);
    this.v = new Float32Array(256 * p.k);
    this.g2 = new Float32Array(256 * p.k);
    this.sums = new Float64Array(p.k);
  }

  /**
   * Offset of bucket i's factors in v and g2; draws its start factors (uniform in ±initScale, from
   * seed and i only) into a new row on its first use.
   */
  private start(i: number): number {
    const k = this.p.k;
    const row = this.rowOf[i];
    if (row !== 0) return (row - 1) * k;
    if ((this.rowCount + 1) * k > this.v.length) {
      const size = Math.min(2 * this.v.length, this.buckets * k);
      const v = new Float32Array(size);
      v.set(this.v);
      this.v = v;
      const g2 = new Float32Array(size);
      g2.set(this.g2);
      this.g2 = g2;
    }
    const base = this.rowCount * k;
    this.rowOf[i] = ++this.rowCount;
    for (let f = 0; f < k; f++) {
      this.v[base + f] = initValue(this.p.seed, i, f, this.p.initScale);
      this.g2[base + f] = 1;
    }
    return base;
  }

  /** Sets bucket i's factors to 0 with accumulators at their start (a forgotten bucket; privacy/forget.ts). */
  clearFactors(i: number): void {
    const base = this.start(i);
    this.v.fill(0, base, base + this.p.k);
    this.g2.fill(1, base, base + this.p.k);
  }

  /** Bucket i's factors (zeros when not started), for tests and the blob. */
  factors(i: number): { v: number[]; g2: number[] } {
    const k = this.p.k;
    const row = this.rowOf[i];
    if (row === 0) return { v: new Array<number>(k).fill(0), g2: new Array<number>(k).fill(0) };
    const base = (row - 1) * k;
    return {
      v: Array.from(this.v.subarray(base, base + k)),
      g2: Array.from(this.g2.subarray(base, base + k)),
    };
  }

  static create(bits: number, linear: FtrlParams, p: FmParams): FactorizationMachine {
    return new FactorizationMachine(bits, new FtrlProximal(2 ** bits + 1, linear), p);
  }

  /** Clamped logit; leaves Σ_i v_if x_i in this.sums for the update. */
  logit(x: FeatureVector): number {
    const k = this.p.k;
    const sums = this.sums;
    if (this.wScratch.length < x.n) this.wScratch = new Float64Array(x.n * 2);
    if (this.baseScratch.length < x.n) this.baseScratch = new Int32Array(x.n * 2);
    sums.fill(0);
    let t = this.linear.weight(this.buckets);
    let sq = 0;
    for (let j = 0; j < x.n; j++) {
      if (!usable(x, j, this.buckets)) continue;
      const i = x.idx[j];
      const xv = x.val[j];
      const w = this.linear.weight(i);
      this.wScratch[j] = w;
      t += w * xv;
      const base = this.start(i);
      // start() may grow the rows: read v after it.
      const v = this.v;
      this.baseScratch[j] = base;
      for (let f = 0; f < k; f++) {
        const a = v[base + f] * xv;
        sums[f] += a;
        sq += a * a;
      }
    }
    let pair = 0;
    for (let f = 0; f < k; f++) pair += sums[f] * sums[f];
    t += 0.5 * (pair - sq);
    return clampLogit(t);
  }

  predict(x: FeatureVector): number {
    return sigmoid(this.logit(x));
  }

  learn(x: FeatureVector, y: number, weight = 1): number | null {
    if (refused(x, y, this.buckets, this.skipped, weight)) return null;
    const p = sigmoid(this.logit(x));
    const g = (p - y) * weight;
    const { k, eta, l2 } = this.p;
    const v = this.v;
    const g2 = this.g2;
    const sums = this.sums;
    for (let j = 0; j < x.n; j++) {
      const xv = x.val[j];
      if (xv === 0) continue; // no gradient; L2 is applied lazily, only where data touches
      const i = x.idx[j];
      this.linear.step(i, g * xv, this.wScratch[j]);
      const base = this.baseScratch[j];
      for (let f = 0; f < k; f++) {
        const vi = v[base + f];
        const grad = g * xv * (sums[f] - vi * xv) + l2 * vi;
        const acc = g2[base + f] + grad * grad;
        g2[base + f] = acc;
        v[base + f] = vi - (eta * grad) / Math.sqrt(acc);
      }
    }
    this.linear.step(this.buckets, g, this.linear.weight(this.buckets));
    return p;
  }

  /** Header fields, the linear optimizer, then the factor rows of touched buckets only. */
  serialize(): Uint8Array {
    const { k, eta, l2, initScale, seed } = this.p;
    const w = new BlobWriter()
      .u32(this.bits)
      .u32(k)
      .f64(eta)
      .f64(l2)
      .f64(initScale)
      .u32(seed >>> 0);
    this.linear.writeTo(w);
    let rows = 0;
    for (let i = 0; i < this.buckets; i++) if (this.linear.touched(i)) rows++;
    w.u32(rows);
    for (let i = 0; i < this.buckets; i++) {
      if (!this.linear.touched(i)) continue;
      w.u32(i);
      const { v, g2 } = this.factors(i);
      for (let f = 0; f < k; f++) w.f32(v[f]);
      for (let f = 0; f < k; f++) w.f32(g2[f]);
    }
    return sealBlob(FM_KIND, w.bytes());
  }

  /** Loads a blob written by serialize; throws ModelBlobError (stable code) on any damage. */
  static load(blob: Uint8Array): FactorizationMachine {
    const r = openBlob(blob, FM_KIND);
    const bits = r.u32();
    const p: FmParams = {
      k: r.u32(),
      eta: r.f64(),
      l2: r.f64(),
      initScale: r.f64(),
      seed: r.u32(),
    };
    if (bits < 1 || bits > 30)
      throw new ModelBlobError('MODEL_FORMAT', `hash bits ${bits} out of range`);
    const linear = FtrlProximal.readFrom(r);
    let fm: FactorizationMachine;
    try {
      fm = new FactorizationMachine(bits, linear, p);
    } catch (e) {
      throw new ModelBlobError(
        'MODEL_FORMAT',
        `model parameters are invalid: ${(e as Error).message}`,
      );
    }
    const rows = r.u32();
    if (rows > fm.buckets)
      throw new ModelBlobError('MODEL_FORMAT', 'factor row count exceeds the table');
    const v = new Float32Array(p.k);
    const g2 = new Float32Array(p.k);
    for (let c = 0; c < rows; c++) {
      const i = r.u32();
      if (i >= fm.buckets)
        throw new ModelBlobError('MODEL_FORMAT', 'factor row index out of range');
      for (let f = 0; f < p.k; f++) v[f] = r.f32();
      for (let f = 0; f < p.k; f++) g2[f] = r.f32();
      // Accumulators are ≥ 1 once started; all 0 (with zero factors) marks a bucket not started yet.
      let unstarted = true;
      for (let f = 0; f < p.k; f++) {
        const g = g2[f];
        if (!Number.isFinite(v[f]) || !(g >= 1 || (g === 0 && v[f] === 0)))
          throw new ModelBlobError('MODEL_FORMAT', 'factor table holds a non-finite value');
        if (g !== 0) unstarted = false;
      }
      if (unstarted && fm.rowOf[i] === 0) continue;
      const base = fm.start(i);
      fm.v.set(v, base);
      fm.g2.set(g2, base);
    }
    if (!r.done) throw new ModelBlobError('MODEL_FORMAT', 'model payload has trailing bytes');
    return fm;
  }
}
