/**
 * Logistic regression over hashed features, trained by an injected FTRL-Proximal optimizer
 * (McMahan et al. 2013). Coordinate `buckets` is the bias.
 */
import { BlobWriter, ModelBlobError, openBlob, sealBlob } from './blob';
import { FtrlProximal } from './ftrl';
import type { FtrlParams } from './ftrl';
import type { Learner, SkipCounts } from './learner';
import { clampLogit, MAX_ABS_VALUE, noSkips, refused, sigmoid } from './learner';
import type { FeatureVector } from '../features/vector';

export const LR_KIND = 1;

/** The learned state of a LogisticRegression, copied in memory (see checkpoint). */
export interface LrCheckpoint {
  zn: Float32Array;
}

export class LogisticRegression implements Learner {
  readonly buckets: number;
  readonly skipped: SkipCounts = noSkips();
  /** Per-entry weights of the example being learned (filled by the forward pass). */
  private wScratch = new Float64Array(64);

  constructor(
    readonly bits: number,
    readonly opt: FtrlProximal,
  ) {
    this.buckets = 2 ** bits;
    if (opt.size !== this.buckets + 1)
      throw new RangeError(`optimizer size ${opt.size} does not fit 2^${bits} buckets + bias`);
  }

  static create(bits: number, p: FtrlParams): LogisticRegression {
    return new LogisticRegression(bits, new FtrlProximal(2 ** bits + 1, p));
  }

  /** Raw clamped logit; leaves each entry's weight in scratch for learn. */
  logit(x: FeatureVector): number {
    if (this.wScratch.length < x.n) this.wScratch = new Float64Array(x.n * 2);
    // FTRL weights inline (the same formula as FtrlProximal.weight): this loop runs for every entry of every pass.
    const zn = this.opt.zn;
    const { alpha, beta, l1, l2 } = this.opt.p;
    const buckets = this.buckets;
    const ws = this.wScratch;
    const idx = x.idx;
    const val = x.val;
    // A local copy: under tsx every read of an imported binding is a getter call, per entry here.
    const maxAbs = MAX_ABS_VALUE;
    let t = this.opt.weight(buckets);
    for (let j = 0; j < x.n; j++) {
      const i = idx[j];
      const xv = val[j];
      if (!(xv >= -maxAbs && xv <= maxAbs && i < buckets)) continue;
      const zi = zn[2 * i];
      const w =
        zi <= l1 && zi >= -l1
          ? 0
          : -(zi - (zi < 0 ? -l1 : l1)) / ((beta + Math.sqrt(zn[2 * i + 1])) / alpha + l2);
      ws[j] = w;
      t += w * xv;
    }
    return clampLogit(t);
  }

  predict(x: FeatureVector): number {
    return sigmoid(this.logit(x));
  }

  learn(x: FeatureVector, y: number, weight = 1): number | null {
    if (refused(x, y, this.buckets, this.skipped, weight)) return null;
    const p = sigmoid(this.logit(x));
    const g = (p - y) * weight;
    // FTRL steps inline (the same as FtrlProximal.step), with the weights the prediction used.
    const zn = this.opt.zn;
    const alpha = this.opt.p.alpha;
    const ws = this.wScratch;
    const idx = x.idx;
    const val = x.val;
    for (let j = 0; j < x.n; j++) {
      const i = idx[j];
      const gi = g * val[j];
      const ni = zn[2 * i + 1];
      const n2 = ni + gi * gi;
      zn[2 * i] += gi - ((Math.sqrt(n2) - Math.sqrt(ni)) / alpha) * ws[j];
      zn[2 * i + 1] = n2;
    }
    this.opt.step(this.buckets, g, this.opt.weight(this.buckets));
    return p;
  }

  /** A copy of the learned state (early stopping keeps its best pass with it, cheaper than a blob). */
  checkpoint(): LrCheckpoint {
    return { zn: this.opt.zn.slice() };
  }

  /** Back to a checkpoint this model took, in place. Skip counts are not rewound. */
  rollback(c: LrCheckpoint): void {
    if (c.zn.length !== this.opt.zn.length)
      throw new RangeError('checkpoint was taken from a model of another shape');
    this.opt.zn.set(c.zn);
  }

  serialize(): Uint8Array {
    const w = new BlobWriter().u32(this.bits);
    this.opt.writeTo(w);
    return sealBlob(LR_KIND, w.bytes());
  }

  /** Loads a blob written by serialize; throws ModelBlobError (stable code) on any damage. */
  static load(blob: Uint8Array): LogisticRegression {
    const r = openBlob(blob, LR_KIND);
    const bits = r.u32();
    if (bits < 1 || bits > 30)
      throw new ModelBlobError('MODEL_FORMAT', `hash bits ${bits} out of range`);
    const opt = FtrlProximal.readFrom(r);
    if (opt.size !== 2 ** bits + 1 || !r.done)
      throw new ModelBlobError('MODEL_FORMAT', 'model payload does not match its header');
    return new LogisticRegression(bits, opt);
  }
}
