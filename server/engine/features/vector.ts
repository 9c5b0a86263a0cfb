/** A sparse feature vector: parallel arrays of hashed index, field id and value, reused across examples. */

export class FeatureVector {
  idx: Uint32Array;
  fld: Uint16Array;
  val: Float32Array;
  /** Number of live entries; entries past n are stale scratch. */
  n = 0;

  constructor(capacity = 64) {
    this.idx = new Uint32Array(capacity);
    this.fld = new Uint16Array(capacity);
    this.val = new Float32Array(capacity);
  }

  clear(): this {
    this.n = 0;
    return this;
  }

  push(index: number, field: number, value = 1): this {
    if (this.n === this.idx.length) this.grow();
    this.idx[this.n] = index;
    this.fld[this.n] = field;
    this.val[this.n] = value;
    this.n++;
    return this;
  }

  /** Makes room for n entries (contents past the live ones are not kept). */
  reserve(n: number): void {
    while (this.idx.length < n) this.grow();
  }

  /** Appends the live entries of seg. */
  append(seg: FeatureVector): this {
    this.reserve(this.n + seg.n);
    this.idx.set(seg.idx.subarray(0, seg.n), this.n);
    this.fld.set(seg.fld.subarray(0, seg.n), this.n);
    this.val.set(seg.val.subarray(0, seg.n), this.n);
    this.n += seg.n;
    return this;
  }

  /** Copy of the live entries (models keep none of their inputs; tests use this). */
  clone(): FeatureVector {
    const c = new FeatureVector(Math.max(1, this.n));
    c.idx.set(this.idx.subarray(0, this.n));
    c.fld.set(this.fld.subarray(0, this.n));
    c.val.set(this.val.subarray(0, this.n));
    c.n = this.n;
    return c;
  }

  private grow(): void {
    const cap = this.idx.length * 2;
    const idx = new Uint32Array(cap);
    const fld = new Uint16Array(cap);
    const val = new Float32Array(cap);
    idx.set(this.idx);
    fld.set(this.fld);
    val.set(this.val);
    this.idx = idx;
    this.fld = fld;
    this.val = val;
  }
}
