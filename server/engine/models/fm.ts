/**
 * Factorization machine (Rendle, "Factorization Machines", ICDM 2010) for click prediction:
 * the linear part and bias are learned by an injected FTRL-Proximal optimizer, the latent
 * factors by AdaGrad with L2, all in Float32 tables indexed by hashed bucket (factors start on a
 * bucket's first use).
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
  /** Latent factors, bucket-major: v[i*k + f]. */
  readonly v: Float32Array;
  /**
   * AdaGrad accumulators of the factors (start at 1, as libFFM does, to damp the first steps).
   * 0 marks a bucket whose factors have not been started yet: they are drawn on its first use, so
   * a fresh model costs two zeroed allocations instead of 2^bits · k random draws.
   */
  readonly g2: Float32Array;
  private sums: Float64Array;
  private wScratch = new Float64Array(64);

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
    const size = this.buckets * p.k;
    this.v = new Float32Array(size);
    this.g2 = new Float32Array(size);
    this.sums = new Float64Array(p.k);
  }

  /** Draws bucket i's start factors (uniform in ±initScale, from seed and i only) if not yet done. */
  private start(i: number): void {
    const k = this.p.k;
    const base = i * k;
    if (this.g2[base] !== 0) return;
    for (let f = 0; f < k; f++) {
      this.v[base + f] = initValue(this.p.seed, i, f, this.p.initScale);
      this.g2[base + f] = 1;
    }
  }

  static create(bits: number, linear: FtrlParams, p: FmParams): FactorizationMachine {
    return new FactorizationMachine(bits, new FtrlProximal(2 ** bits + 1, linear), p);
  }

  /** Clamped logit; leaves Σ_i v_if x_i in this.sums for the update. */
  logit(x: FeatureVector): number {
    const k = this.p.k;
    const v = this.v;
    const sums = this.sums;
    if (this.wScratch.length < x.n) this.wScratch = new Float64Array(x.n * 2);
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
      this.start(i);
      const base = i * k;
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
      const base = i * k;
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
      for (let f = 0; f < k; f++) w.f32(this.v[i * k + f]);
      for (let f = 0; f < k; f++) w.f32(this.g2[i * k + f]);
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
    for (let c = 0; c < rows; c++) {
      const i = r.u32();
      if (i >= fm.buckets)
        throw new ModelBlobError('MODEL_FORMAT', 'factor row index out of range');
      for (let f = 0; f < p.k; f++) fm.v[i * p.k + f] = r.f32();
      for (let f = 0; f < p.k; f++) fm.g2[i * p.k + f] = r.f32();
    }
    for (let i = 0; i < fm.v.length; i++) {
      // Accumulators are ≥ 1 once started; 0 (with a zero factor) marks a bucket not started yet.
      const g = fm.g2[i];
      if (!Number.isFinite(fm.v[i]) || !(g >= 1 || (g === 0 && fm.v[i] === 0)))
        throw new ModelBlobError('MODEL_FORMAT', 'factor table holds a non-finite value');
    }
    if (!r.done) throw new ModelBlobError('MODEL_FORMAT', 'model payload has trailing bytes');
    return fm;
  }
}
