/** A labelled batch of hashed examples stored compactly (CSR typed arrays), filled row by row. */
import type { FeatureVector } from './vector';

export class ExampleBatch {
  private idx = new Uint32Array(1024);
  private fld = new Uint16Array(1024);
  private val = new Float32Array(1024);
  private offsets: number[] = [0];
  private labelList: number[] = [];

  get size(): number {
    return this.labelList.length;
  }

  get labels(): readonly number[] {
    return this.labelList;
  }

  /** Appends a copy of x with label y (labels are stored as given; learners judge them). */
  push(x: FeatureVector, y: number): void {
    const start = this.offsets[this.offsets.length - 1];
    const end = start + x.n;
    if (end > this.idx.length) this.grow(end);
    this.idx.set(x.idx.subarray(0, x.n), start);
    this.fld.set(x.fld.subarray(0, x.n), start);
    this.val.set(x.val.subarray(0, x.n), start);
    this.offsets.push(end);
    this.labelList.push(y);
  }

  /** Loads row i into vec (reused by the caller) and returns its label. */
  load(i: number, vec: FeatureVector): number {
    const start = this.offsets[i];
    const end = this.offsets[i + 1];
    const n = end - start;
    vec.reserve(n);
    const { idx, fld, val } = vec;
    for (let t = 0; t < n; t++) {
      idx[t] = this.idx[start + t];
      fld[t] = this.fld[start + t];
      val[t] = this.val[start + t];
    }
    vec.n = n;
    return this.labelList[i];
  }

  /**
   * The stored arrays themselves, read-only by contract (for batch solvers that read every row many
   * times: copying each row out through `load` cost them more than their own first pass). Row i's
   * entries are [offsets[i], offsets[i + 1]) of idx, fld and val.
   */
  raw(): {
    idx: Uint32Array;
    fld: Uint16Array;
    val: Float32Array;
    offsets: readonly number[];
    labels: readonly number[];
  } {
    return {
      idx: this.idx,
      fld: this.fld,
      val: this.val,
      offsets: this.offsets,
      labels: this.labelList,
    };
  }

  private grow(min: number): void {
    let cap = this.idx.length * 2;
    while (cap < min) cap *= 2;
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
