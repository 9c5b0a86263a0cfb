/**
 * EXPERIMENT (bench only, not served): field-weighted factorization machine (Pan et al.,
 * "Field-weighted Factorization Machines for Click-Through Rate Prediction", WWW 2018):
 *   logit = b + Σ w_i x_i + r · Σ_{a<b} R[f_a, f_b] ⟨v[i_a], v[i_b]⟩ x_a x_b,   r = 1 / Σ x²
 * One latent vector per bucket (k values + k AdaGrad accumulators, contiguous), one learned
 * weight per field pair, the same FTRL linear part, AdaGrad, instance normalisation, centred
 * start and minCount gating as the field-aware FM (server/engine/models/ffm.ts). A token's
 * latent data is one 2k-float block instead of the FFM's fields · 2k, so an example touches
 * far less memory. Evaluated by `npx tsx bench/ctr/tune.ts '{"fwfm":{...}}' --folds 5`.
 */
import { COUNT_MAX, initValue } from '../../../server/engine/models/ffm';
import { FtrlProximal } from '../../../server/engine/models/ftrl';
import type { FtrlParams } from '../../../server/engine/models/ftrl';
import type { Learner, SkipCounts } from '../../../server/engine/models/learner';
import {
  clampLogit,
  MAX_ABS_VALUE,
  noSkips,
  refused,
  sigmoid,
} from '../../../server/engine/models/learner';
import type { FeatureVector } from '../../../server/engine/features/vector';

export interface FwfmParams {
  k: number;
  fields: number;
  eta: number;
  l2: number;
  initScale: number;
  seed: number;
  minCount: number;
  /** AdaGrad step of the field-pair weights (0: fixed at 1, i.e. a plain FM with instance normalisation). */
  etaPair: number;
}

export class FieldWeightedFM implements Learner {
  readonly buckets: number;
  readonly skipped: SkipCounts = noSkips();
  readonly linear: FtrlProximal;
  private readonly counts: Uint16Array;
  private readonly slot: Int32Array;
  private table: Float32Array;
  rows = 0;
  /** Field-pair weights R (fields², symmetric) and their AdaGrad accumulators. */
  readonly R: Float64Array;
  private readonly RH: Float64Array;
  private w = new Float64Array(64);
  private aOff = new Int32Array(64);
  private aF = new Int32Array(64);
  private aX = new Float64Array(64);
  private active = 0;
  private r = 1;

  constructor(
    readonly bits: number,
    lin: FtrlParams,
    readonly p: FwfmParams,
  ) {
    this.buckets = 2 ** bits;
    this.linear = new FtrlProximal(this.buckets + 1, lin);
    this.counts = new Uint16Array(this.buckets);
    this.slot = new Int32Array(this.buckets).fill(-1);
    this.table = new Float32Array(1024 * 2 * p.k);
    this.R = new Float64Array(p.fields * p.fields).fill(1);
    this.RH = new Float64Array(p.fields * p.fields).fill(1);
  }

  logit(x: FeatureVector): number {
    if (this.w.length < x.n) {
      const c = x.n * 2;
      this.w = new Float64Array(c);
      this.aOff = new Int32Array(c);
      this.aF = new Int32Array(c);
      this.aX = new Float64Array(c);
    }
    const { k, fields } = this.p;
    const k2 = 2 * k;
    const zn = this.linear.zn;
    const { alpha, beta, l1, l2 } = this.linear.p;
    const buckets = this.buckets;
    let t = this.linear.weight(buckets);
    let m = 0;
    let norm = 0;
    for (let j = 0; j < x.n; j++) {
      const i = x.idx[j];
      const xv = x.val[j];
      if (!(xv >= -MAX_ABS_VALUE && xv <= MAX_ABS_VALUE && i < buckets)) {
        this.w[j] = 0;
        continue;
      }
      const zi = zn[2 * i];
      const wi =
        zi <= l1 && zi >= -l1
          ? 0
          : -(zi - (zi < 0 ? -l1 : l1)) / ((beta + Math.sqrt(zn[2 * i + 1])) / alpha + l2);
      this.w[j] = wi;
      t += wi * xv;
      norm += xv * xv;
      const row = this.slot[i];
      if (row < 0 || xv === 0) continue;
      this.aOff[m] = row * k2;
      this.aF[m] = (x.fld[j] % fields) * fields;
      this.aX[m] = xv;
      m++;
    }
    this.active = m;
    const r = norm > 0 ? 1 / norm : 1;
    this.r = r;
    const tb = this.table;
    const R = this.R;
    const aOff = this.aOff;
    const aF = this.aF;
    const aX = this.aX;
    let pair = 0;
    for (let a = 0; a < m; a++) {
      const oa = aOff[a];
      const fa = aF[a];
      let s = 0;
      for (let b = a + 1; b < m; b++) {
        const ob = aOff[b];
        let d = 0;
        for (let f = 0; f < k; f++) d += tb[oa + f] * tb[ob + f];
        s += R[fa + aF[b] / fields] * d * aX[b];
      }
      pair += s * aX[a];
    }
    return clampLogit(t + pair * r);
  }

  predict(x: FeatureVector): number {
    return sigmoid(this.logit(x));
  }

  learn(x: FeatureVector, y: number): number | null {
    if (refused(x, y, this.buckets, this.skipped)) return null;
    const p = sigmoid(this.logit(x));
    const g = p - y;
    for (let j = 0; j < x.n; j++)
      if (x.val[j] !== 0) this.linear.step(x.idx[j], g * x.val[j], this.w[j]);
    this.linear.step(this.buckets, g, this.linear.weight(this.buckets));
    const { k, eta, l2, etaPair, fields } = this.p;
    const tb = this.table;
    const R = this.R;
    const RH = this.RH;
    const aOff = this.aOff;
    const aF = this.aF;
    const aX = this.aX;
    const m = this.active;
    const gr = g * this.r;
    for (let a = 0; a < m; a++) {
      const oa = aOff[a];
      const fa = aF[a];
      for (let b = a + 1; b < m; b++) {
        const ob = aOff[b];
        const pr = fa + aF[b] / fields;
        const rw = R[pr];
        const c = gr * aX[a] * aX[b];
        let d = 0;
        for (let f = 0; f < k; f++) {
          const ia = oa + f;
          const ib = ob + f;
          const va = tb[ia];
          const vb = tb[ib];
          d += va * vb;
          const ga = c * rw * vb + l2 * va;
          const gb = c * rw * va + l2 * vb;
          const ha = tb[ia + k] + ga * ga;
          const hb = tb[ib + k] + gb * gb;
          tb[ia + k] = ha;
          tb[ib + k] = hb;
          tb[ia] = va - (eta * ga) / Math.sqrt(ha);
          tb[ib] = vb - (eta * gb) / Math.sqrt(hb);
        }
        if (etaPair > 0) {
          const gp = c * d;
          const h = RH[pr] + gp * gp;
          RH[pr] = h;
          R[pr] = rw - (etaPair * gp) / Math.sqrt(h);
        }
      }
    }
    for (let j = 0; j < x.n; j++) {
      const i = x.idx[j];
      const c = this.counts[i];
      if (c < COUNT_MAX) this.counts[i] = c + 1;
      if (c + 1 >= this.p.minCount && this.slot[i] < 0) this.allocate(i);
    }
    return p;
  }

  private allocate(i: number): void {
    const k = this.p.k;
    const k2 = 2 * k;
    if ((this.rows + 1) * k2 > this.table.length) {
      const next = new Float32Array(this.table.length * 2);
      next.set(this.table);
      this.table = next;
    }
    const row = this.rows++;
    this.slot[i] = row;
    const scale = this.p.initScale / Math.sqrt(k);
    for (let d = 0; d < k; d++) {
      this.table[row * k2 + d] = initValue(this.p.seed, i, d, scale);
      this.table[row * k2 + k + d] = 1;
    }
  }

  serialize(): Uint8Array {
    throw new Error('FieldWeightedFM is a benchmark experiment and has no blob format');
  }
}
