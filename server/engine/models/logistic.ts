/**
 * Logistic regression over hashed features, trained by an injected FTRL-Proximal optimizer
 * (McMahan et al. 2013). Coordinate `buckets` is the bias.
 */
import { BlobWriter, ModelBlobError, openBlob, sealBlob } from './blob';
import { FtrlProximal } from './ftrl';
import type { FtrlParams } from './ftrl';
import type { Learner, SkipCounts } from './learner';
import { clampLogit, noSkips, refused, sigmoid, usable } from './learner';
import type { FeatureVector } from '../features/vector';

export const LR_KIND = 1;

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

  /** Raw clamped logit. */
  logit(x: FeatureVector): number {
    if (this.wScratch.length < x.n) this.wScratch = new Float64Array(x.n * 2);
    let t = this.opt.weight(this.buckets);
    for (let j = 0; j < x.n; j++) {
      if (!usable(x, j, this.buckets)) continue;
      const w = this.opt.weight(x.idx[j]);
      this.wScratch[j] = w;
      t += w * x.val[j];
    }
    return clampLogit(t);
  }

  predict(x: FeatureVector): number {
    return sigmoid(this.logit(x));
  }

  learn(x: FeatureVector, y: number): number | null {
    if (refused(x, y, this.buckets, this.skipped)) return null;
    const p = sigmoid(this.logit(x));
    const g = p - y;
    for (let j = 0; j < x.n; j++) this.opt.step(x.idx[j], g * x.val[j], this.wScratch[j]);
    this.opt.step(this.buckets, g, this.opt.weight(this.buckets));
    return p;
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
