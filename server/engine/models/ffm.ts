/**
 * Field-aware factorization machine (Juan et al., "Field-aware Factorization Machines in a
 * Real-world Online Advertising System", RecSys 2016) over hashed features:
 *   logit = b + Σ w_i x_i + r · Σ_{a<b} ⟨v[i_a, f_b], v[i_b, f_a]⟩ x_a x_b,   r = 1 / Σ x²
 * The bias and linear weights come from an injected FTRL-Proximal optimizer; the latent
 * vectors are learned by AdaGrad with L2 (accumulators start at 1, as in libFFM), each vector
 * stored next to its accumulator so that one pair touches two short contiguous blocks.
 * Memory stays bounded: a bucket gets a latent row (fields × k Float32) only once it has been
 * seen `minCount` times, rows are allocated on demand up to `maxBytes`, and later buckets keep
 * their linear weight only. Rare hashed ids therefore never get factors to memorise with.
 */
import { BlobWriter, ModelBlobError, openBlob, sealBlob } from './blob';
import { FtrlProximal } from './ftrl';
import type { FtrlParams } from './ftrl';
import type { Learner, SkipCounts } from './learner';
import { clampLogit, MAX_ABS_VALUE, noSkips, refused, sigmoid } from './learner';
import type { FeatureVector } from '../features/vector';

export const FFM_KIND = 3;

/** The learned state of a FieldAwareFM, copied in memory (see checkpoint). */
export interface FfmCheckpoint {
  zn: Float32Array;
  counts: Uint16Array;
  slot: Int32Array;
  table: Float32Array;
  rows: number;
}

export interface FfmParams {
  /** Latent dimensions per (bucket, field). */
  k: number;
  /** Field slots per latent row; field ids at or beyond it are folded (id mod fields). */
  fields: number;
  /** AdaGrad step size of the latent vectors. */
  eta: number;
  /** L2 penalty of the latent vectors, applied where a pair gradient touches them. */
  l2: number;
  /**
   * Latent vectors start uniform in ±initScale / √k, from the seed. Centred, unlike libFFM's
   * [0, 1)/√k: a row allocated mid-stream then adds no systematic offset to every pair.
   */
  initScale: number;
  seed: number;
  /** A bucket takes part in pairs only after it has been learned from this many times. */
  minCount: number;
  /** Cap on the bytes of latent rows and their accumulators (each row holds fields · k · 8 bytes). */
  maxBytes: number;
}

/** Counts saturate here (Uint16). */
export const COUNT_MAX = 65535;

/** Deterministic start value of latent entry e of bucket i: independent of the order rows are allocated in. */
export function initValue(seed: number, i: number, e: number, scale: number): number {
  let h = Math.imul(i ^ Math.imul(seed, 0x9e3779b1), 0x85ebca6b) ^ Math.imul(e + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return ((h >>> 0) / 2147483648 - 1) * scale;
}

export class FieldAwareFM implements Learner {
  readonly buckets: number;
  readonly skipped: SkipCounts = noSkips();
  /** Times each bucket was learned from (saturating). */
  readonly counts: Uint16Array;
  /** Latent row of each bucket, or −1. */
  readonly slot: Int32Array;
  /**
   * Latent rows: row r, field f starts at (r·fields + f)·2k and holds the vector (k values),
   * then its AdaGrad accumulators (k values).
   */
  table: Float32Array;
  rows = 0;
  /** Latent rows the byte cap allows. */
  readonly maxRows: number;
  /** Floats per latent row (fields · 2k). */
  private readonly stride: number;
  // Scratch of the example being scored (filled by logit, reused by learn): no allocation per example.
  private w = new Float64Array(64);
  private aOff = new Int32Array(64);
  private aFld = new Int32Array(64);
  private aX = new Float64Array(64);
  private active = 0;
  private r = 1;

  constructor(
    readonly bits: number,
    readonly linear: FtrlProximal,
    readonly p: FfmParams,
  ) {
    const okInt = (n: number, lo: number, hi: number): boolean =>
      Number.isInteger(n) && n >= lo && n <= hi;
    if (
      !okInt(p.k, 1, 64) ||
      !okInt(p.fields, 1, 1024) ||
      !okInt(p.minCount, 1, COUNT_MAX) ||
      !okInt(p.maxBytes, 0, 2 ** 31) ||
      !okInt(p.seed, 0, 2 ** 32 - 1)
    ) {
      throw new RangeError(
        'FFM k must be 1..64, fields 1..1024, minCount 1..65535, maxBytes 0..2^31, seed a u32',
      );
    }
    if (
      !(p.eta > 0) ||
      !(p.l2 >= 0) ||
      !(p.initScale >= 0) ||
      !Number.isFinite(p.eta + p.l2 + p.initScale)
    )
      throw new RangeError('invalid FFM parameters');
    this.buckets = 2 ** bits;
    if (linear.size !== this.buckets + 1)
      throw new RangeError(`optimizer size ${linear.size} does not fit 2^${bits} buckets + bias`);
    this.stride = p.fields * p.k * 2;
    this.maxRows = Math.floor(p.maxBytes / (this.stride * 4));
    this.counts = new Uint16Array(this.buckets);
    this.slot = new Int32Array(this.buckets).fill(-1);
    this.table = new Float32Array(Math.min(this.maxRows, 1024) * this.stride);
  }

  static create(bits: number, linear: FtrlParams, p: FfmParams): FieldAwareFM {
    return new FieldAwareFM(bits, new FtrlProximal(2 ** bits + 1, linear), p);
  }

  /** Bytes held by the latent rows in use (values and accumulators). */
  get factorBytes(): number {
    return this.rows * this.stride * 4;
  }

  /** Latent vector of bucket i for partner field f (a copy), or null when i has no row. */
  factor(i: number, f: number): Float32Array | null {
    const row = this.slot[i];
    if (row < 0) return null;
    const o = row * this.stride + (f % this.p.fields) * 2 * this.p.k;
    return this.table.slice(o, o + this.p.k);
  }

  private reserveScratch(n: number): void {
    if (this.w.length >= n) return;
    const c = n * 2;
    this.w = new Float64Array(c);
    this.aOff = new Int32Array(c);
    this.aFld = new Int32Array(c);
    this.aX = new Float64Array(c);
  }

  /** Clamped logit; leaves the linear weights and the active (row-holding) entries in scratch for learn. */
  logit(x: FeatureVector): number {
    this.reserveScratch(x.n);
    const { k, fields } = this.p;
    const k2 = 2 * k;
    const stride = this.stride;
    const w = this.w;
    const aOff = this.aOff;
    const aFld = this.aFld;
    const aX = this.aX;
    const slot = this.slot;
    const buckets = this.buckets;
    // FTRL weights inline (the same formula as FtrlProximal.weight): this loop runs for every entry of every pass.
    const zn = this.linear.zn;
    const { alpha, beta, l1, l2 } = this.linear.p;
    const idx = x.idx;
    const val = x.val;
    const fld = x.fld;
    // A local copy: under tsx every read of an imported binding is a getter call, per entry here.
    const maxAbs = MAX_ABS_VALUE;
    let t = this.linear.weight(buckets);
    let m = 0;
    let norm = 0;
    for (let j = 0; j < x.n; j++) {
      const i = idx[j];
      const xv = val[j];
      if (!(xv >= -maxAbs && xv <= maxAbs && i < buckets)) {
        w[j] = 0;
        continue;
      }
      const zi = zn[2 * i];
      const wi =
        zi <= l1 && zi >= -l1
          ? 0
          : -(zi - (zi < 0 ? -l1 : l1)) / ((beta + Math.sqrt(zn[2 * i + 1])) / alpha + l2);
      w[j] = wi;
      t += wi * xv;
      norm += xv * xv;
      const row = slot[i];
      if (row < 0 || xv === 0) continue;
      aOff[m] = row * stride;
      aFld[m] = (fld[j] % fields) * k2;
      aX[m] = xv;
      m++;
    }
    this.active = m;
    const r = norm > 0 ? 1 / norm : 1;
    this.r = r;
    const tb = this.table;
    let pair = 0;
    for (let a = 0; a < m; a++) {
      const oa = aOff[a];
      const fa = aFld[a];
      let s = 0;
      for (let b = a + 1; b < m; b++) {
        const pa = oa + aFld[b];
        const pb = aOff[b] + fa;
        let d = 0;
        for (let f = 0; f < k; f++) d += tb[pa + f] * tb[pb + f];
        s += d * aX[b];
      }
      pair += s * aX[a];
    }
    t += pair * r;
    return clampLogit(t);
  }

  predict(x: FeatureVector): number {
    return sigmoid(this.logit(x));
  }

  learn(x: FeatureVector, y: number, weight = 1): number | null {
    if (refused(x, y, this.buckets, this.skipped, weight)) return null;
    const p = sigmoid(this.logit(x));
    const g = (p - y) * weight;
    // Linear part and bias (FTRL, the same step as FtrlProximal.step), with the weights the prediction used.
    const lin = this.linear;
    const zn = lin.zn;
    const alpha = lin.p.alpha;
    const w = this.w;
    for (let j = 0; j < x.n; j++) {
      const xv = x.val[j];
      if (xv === 0) continue;
      const i = x.idx[j];
      const gi = g * xv;
      const ni = zn[2 * i + 1];
      const n2 = ni + gi * gi;
      zn[2 * i] += gi - ((Math.sqrt(n2) - Math.sqrt(ni)) / alpha) * w[j];
      zn[2 * i + 1] = n2;
    }
    lin.step(this.buckets, g, lin.weight(this.buckets));
    // Pairs (AdaGrad): each pair updates the two latent vectors it used, in place, as libFFM does.
    const { k, eta, l2 } = this.p;
    const tb = this.table;
    const aOff = this.aOff;
    const aFld = this.aFld;
    const aX = this.aX;
    const m = this.active;
    const gr = g * this.r;
    for (let a = 0; a < m; a++) {
      const oa = aOff[a];
      const fa = aFld[a];
      const ca = gr * aX[a];
      for (let b = a + 1; b < m; b++) {
        const pa = oa + aFld[b];
        const pb = aOff[b] + fa;
        const c = ca * aX[b];
        for (let f = 0; f < k; f++) {
          const ia = pa + f;
          const ib = pb + f;
          const va = tb[ia];
          const vb = tb[ib];
          const ga = c * vb + l2 * va;
          const gb = c * va + l2 * vb;
          const ha = tb[ia + k] + ga * ga;
          const hb = tb[ib + k] + gb * gb;
          tb[ia + k] = ha;
          tb[ib + k] = hb;
          tb[ia] = va - (eta * ga) / Math.sqrt(ha);
          tb[ib] = vb - (eta * gb) / Math.sqrt(hb);
        }
      }
    }
    // Counting last: a bucket's first sightings only train its linear weight.
    const minCount = this.p.minCount;
    for (let j = 0; j < x.n; j++) {
      const i = x.idx[j];
      const c = this.counts[i];
      if (c < COUNT_MAX) this.counts[i] = c + 1;
      if (c + 1 >= minCount && this.slot[i] < 0) this.allocate(i);
    }
    return p;
  }

  /** Gives bucket i a latent row if the cap allows (start values depend only on seed and i). */
  private allocate(i: number): void {
    if (this.rows >= this.maxRows) return;
    const stride = this.stride;
    if ((this.rows + 1) * stride > this.table.length) {
      const cap = Math.min(this.maxRows, Math.max(1024, (this.table.length / stride) * 2));
      const next = new Float32Array(cap * stride);
      next.set(this.table);
      this.table = next;
    }
    const row = this.rows++;
    this.slot[i] = row;
    const k = this.p.k;
    const scale = this.p.initScale / Math.sqrt(k);
    for (let f = 0; f < this.p.fields; f++) {
      const o = row * stride + f * 2 * k;
      for (let d = 0; d < k; d++) {
        this.table[o + d] = initValue(this.p.seed, i, f * k + d, scale);
        this.table[o + k + d] = 1;
      }
    }
  }

  /**
   * Header, the linear optimizer, counts of touched buckets, then per latent row its bucket and
   * fields · 2k floats (vector, accumulators per field).
   */
  serialize(): Uint8Array {
    const { k, fields, eta, l2, initScale, seed, minCount, maxBytes } = this.p;
    let touched = 0;
    for (let i = 0; i < this.buckets; i++) if (this.counts[i] > 0) touched++;
    let linearTouched = 0;
    for (let i = 0; i < this.linear.size; i++) if (this.linear.touched(i)) linearTouched++;
    // Exact size (header 48 + FTRL 40 + 12 per coordinate, counts, rows), so the writer never regrows.
    const size =
      48 + 40 + 12 * linearTouched + 4 + 8 * touched + 4 + this.rows * (4 + this.stride * 4);
    const out = new BlobWriter(size)
      .u32(this.bits)
      .u32(k)
      .u32(fields)
      .f64(eta)
      .f64(l2)
      .f64(initScale)
      .u32(seed)
      .u32(minCount)
      .u32(maxBytes);
    this.linear.writeTo(out);
    out.u32(touched);
    for (let i = 0; i < this.buckets; i++) if (this.counts[i] > 0) out.u32(i).u32(this.counts[i]);
    const owner = new Int32Array(this.rows);
    for (let i = 0; i < this.buckets; i++) if (this.slot[i] >= 0) owner[this.slot[i]] = i;
    out.u32(this.rows);
    const stride = this.stride;
    for (let row = 0; row < this.rows; row++) {
      out.u32(owner[row]);
      for (let e = 0; e < stride; e++) out.f32(this.table[row * stride + e]);
    }
    return sealBlob(FFM_KIND, out.bytes());
  }

  /** Loads a blob written by serialize; throws ModelBlobError (stable code) on any damage. */
  static load(blob: Uint8Array): FieldAwareFM {
    const r = openBlob(blob, FFM_KIND);
    const bits = r.u32();
    const p: FfmParams = {
      k: r.u32(),
      fields: r.u32(),
      eta: r.f64(),
      l2: r.f64(),
      initScale: r.f64(),
      seed: r.u32(),
      minCount: r.u32(),
      maxBytes: r.u32(),
    };
    if (bits < 1 || bits > 30)
      throw new ModelBlobError('MODEL_FORMAT', `hash bits ${bits} out of range`);
    const linear = FtrlProximal.readFrom(r);
    let m: FieldAwareFM;
    try {
      m = new FieldAwareFM(bits, linear, p);
    } catch (e) {
      throw new ModelBlobError(
        'MODEL_FORMAT',
        `model parameters are invalid: ${(e as Error).message}`,
      );
    }
    return m.restoreFrom(blob);
  }

  /**
   * A copy of the whole learned state in memory (linear optimizer, counts, latent rows): early
   * stopping keeps the best pass with it, which is much cheaper than serialising a blob.
   */
  checkpoint(): FfmCheckpoint {
    return {
      zn: this.linear.zn.slice(),
      counts: this.counts.slice(),
      slot: this.slot.slice(),
      table: this.table.slice(0, this.rows * this.stride),
      rows: this.rows,
    };
  }

  /** Back to a checkpoint this model took (same shape), in place. Skip counts are not rewound (as with restoreFrom). */
  rollback(c: FfmCheckpoint): void {
    if (
      c.zn.length !== this.linear.zn.length ||
      c.slot.length !== this.slot.length ||
      c.table.length !== c.rows * this.stride
    ) {
      throw new RangeError('checkpoint was taken from a model of another shape');
    }
    this.linear.zn.set(c.zn);
    this.counts.set(c.counts);
    this.slot.set(c.slot);
    if (this.table.length < c.table.length) this.table = new Float32Array(c.table.length);
    this.table.set(c.table);
    this.rows = c.rows;
  }

  /**
   * Puts this model back, in place, to a blob of the same shape (bits and parameters), such as
   * a snapshot it wrote earlier: no second set of tables is allocated (peak memory during early
   * stopping). The blob is checked completely before anything is overwritten; on any damage it
   * throws ModelBlobError and the model is unchanged.
   */
  restoreFrom(blob: Uint8Array): this {
    this.applySnapshot(blob, false);
    this.linear.zn.fill(0);
    this.counts.fill(0);
    this.slot.fill(-1);
    this.rows = 0;
    this.applySnapshot(blob, true);
    return this;
  }

  private applySnapshot(blob: Uint8Array, write: boolean): void {
    const r = openBlob(blob, FFM_KIND);
    const same =
      r.u32() === this.bits &&
      r.u32() === this.p.k &&
      r.u32() === this.p.fields &&
      r.f64() === this.p.eta &&
      r.f64() === this.p.l2 &&
      r.f64() === this.p.initScale &&
      r.u32() === this.p.seed &&
      r.u32() === this.p.minCount &&
      r.u32() === this.p.maxBytes;
    if (!same)
      throw new ModelBlobError('MODEL_FORMAT', 'blob was written by a model of another shape');
    const lin = this.linear;
    if (
      r.u32() !== lin.size ||
      r.f64() !== lin.p.alpha ||
      r.f64() !== lin.p.beta ||
      r.f64() !== lin.p.l1 ||
      r.f64() !== lin.p.l2
    ) {
      throw new ModelBlobError('MODEL_FORMAT', 'blob optimizer differs from this model');
    }
    const count = r.u32();
    if (count > lin.size)
      throw new ModelBlobError('MODEL_FORMAT', 'FTRL coordinate count exceeds its size');
    for (let c = 0; c < count; c++) {
      const i = r.u32();
      const z = r.f32();
      const n = r.f32();
      if (i >= lin.size || !Number.isFinite(z) || !(n >= 0) || !Number.isFinite(n))
        throw new ModelBlobError('MODEL_FORMAT', 'FTRL coordinate is invalid');
      if (write) {
        lin.set(i, z, n);
      }
    }
    const touched = r.u32();
    if (touched > this.buckets)
      throw new ModelBlobError('MODEL_FORMAT', 'count table exceeds the buckets');
    for (let c = 0; c < touched; c++) {
      const i = r.u32();
      const n = r.u32();
      if (i >= this.buckets || n < 1 || n > COUNT_MAX)
        throw new ModelBlobError('MODEL_FORMAT', 'bucket count is invalid');
      if (write) this.counts[i] = n;
    }
    const rows = r.u32();
    if (rows > this.maxRows)
      throw new ModelBlobError('MODEL_FORMAT', 'latent row count exceeds the cap');
    const stride = this.stride;
    const k = this.p.k;
    if (write && rows * stride > this.table.length) this.table = new Float32Array(rows * stride);
    for (let row = 0; row < rows; row++) {
      const i = r.u32();
      if (i >= this.buckets || (write && this.slot[i] >= 0))
        throw new ModelBlobError('MODEL_FORMAT', 'latent row owner is invalid');
      if (write) this.slot[i] = row;
      for (let e = 0; e < stride; e++) {
        const x = r.f32();
        // Within each field block: k vector values (finite), then k accumulators (≥ 1, finite).
        const ok = e % (2 * k) < k ? Number.isFinite(x) : x >= 1 && Number.isFinite(x);
        if (!ok) throw new ModelBlobError('MODEL_FORMAT', 'latent table holds an invalid value');
        if (write) this.table[row * stride + e] = x;
      }
    }
    if (!r.done) throw new ModelBlobError('MODEL_FORMAT', 'model payload has trailing bytes');
    if (write) this.rows = rows;
  }
}
