/**
 * FTRL-Proximal per-coordinate optimizer with L1 and L2 (McMahan et al., "Ad Click
 * Prediction: a View from the Trenches", KDD 2013, Algorithm 1). Weights are derived lazily
 * from the state (z, n), so L1 gives exact zeros.
 */
import type { BlobReader, BlobWriter } from './blob';
import { ModelBlobError } from './blob';

/** A per-coordinate optimizer: models ask it for weights and hand it gradients. */
export interface CoordinateOptimizer {
  readonly size: number;
  weight(i: number): number;
  /** Applies the loss gradient g of coordinate i (whose current weight is w). */
  step(i: number, g: number, w: number): void;
  /** Whether coordinate i has ever received a gradient (for sparse serialisation). */
  touched(i: number): boolean;
}

export interface FtrlParams {
  alpha: number;
  beta: number;
  l1: number;
  l2: number;
}

export class FtrlProximal implements CoordinateOptimizer {
  /**
   * Float32 state, interleaved: zn[2i] = z (the lazy weight accumulator), zn[2i + 1] = n (sum of
   * squared gradients). One coordinate's pair shares a cache line: with 2^20 hashed buckets most
   * reads of a rare token miss the cache, and two separate arrays cost two misses per entry.
   */
  readonly zn: Float32Array;

  constructor(
    readonly size: number,
    readonly p: FtrlParams,
  ) {
    if (!(p.alpha > 0) || !(p.beta >= 0) || !(p.l1 >= 0) || !(p.l2 >= 0))
      throw new RangeError('invalid FTRL parameters');
    this.zn = new Float32Array(2 * size);
  }

  /** z of coordinate i. */
  z(i: number): number {
    return this.zn[2 * i];
  }

  /** n of coordinate i. */
  n(i: number): number {
    return this.zn[2 * i + 1];
  }

  /** Sets coordinate i's state (blob loading, erasure). */
  set(i: number, z: number, n: number): void {
    this.zn[2 * i] = z;
    this.zn[2 * i + 1] = n;
  }

  weight(i: number): number {
    const z = this.zn[2 * i];
    const l1 = this.p.l1;
    if (z <= l1 && z >= -l1) return 0;
    const sign = z < 0 ? -1 : 1;
    return (
      -(z - sign * l1) / ((this.p.beta + Math.sqrt(this.zn[2 * i + 1])) / this.p.alpha + this.p.l2)
    );
  }

  step(i: number, g: number, w: number): void {
    const n = this.zn[2 * i + 1];
    const n2 = n + g * g;
    const sigma = (Math.sqrt(n2) - Math.sqrt(n)) / this.p.alpha;
    this.zn[2 * i] += g - sigma * w;
    this.zn[2 * i + 1] = n2;
  }

  touched(i: number): boolean {
    return this.zn[2 * i + 1] > 0;
  }

  /** Parameters, then the touched coordinates only (index, z, n): untouched ones are zero. */
  writeTo(w: BlobWriter): void {
    w.u32(this.size).f64(this.p.alpha).f64(this.p.beta).f64(this.p.l1).f64(this.p.l2);
    let count = 0;
    for (let i = 0; i < this.size; i++) if (this.zn[2 * i + 1] > 0) count++;
    w.u32(count);
    for (let i = 0; i < this.size; i++)
      if (this.zn[2 * i + 1] > 0)
        w.u32(i)
          .f32(this.zn[2 * i])
          .f32(this.zn[2 * i + 1]);
  }

  static readFrom(r: BlobReader): FtrlProximal {
    const size = r.u32();
    const p = { alpha: r.f64(), beta: r.f64(), l1: r.f64(), l2: r.f64() };
    if (size > 2 ** 30 + 1) throw new ModelBlobError('MODEL_FORMAT', `FTRL size ${size} is absurd`);
    let opt: FtrlProximal;
    try {
      opt = new FtrlProximal(size, p);
    } catch {
      throw new ModelBlobError('MODEL_FORMAT', 'FTRL parameters are invalid');
    }
    const count = r.u32();
    if (count > size)
      throw new ModelBlobError('MODEL_FORMAT', 'FTRL coordinate count exceeds its size');
    for (let c = 0; c < count; c++) {
      const i = r.u32();
      const z = r.f32();
      const n = r.f32();
      if (i >= size || !Number.isFinite(z) || !(n >= 0) || !Number.isFinite(n))
        throw new ModelBlobError('MODEL_FORMAT', 'FTRL coordinate is invalid');
      opt.set(i, z, n);
    }
    return opt;
  }
}
