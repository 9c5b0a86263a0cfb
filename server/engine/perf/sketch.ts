/**
 * Mergeable quantile sketch of non-negative measurements (milliseconds, bytes, calls per second):
 * DDSketch (Masson, Rim & Lee, "DDSketch: a fast and fully-mergeable quantile sketch with
 * relative-error guarantees", VLDB 2019) from @datadog/sketches-js, with our own compact JSON
 * codec (the library's protobuf codec needs protobufjs, which it does not declare, and drops
 * min/max). Every quantile is within 1 % of a true sample quantile; two sketches merge exactly.
 */

/** The part of @datadog/sketches-js 2.x used here. */
interface DDSketch {
  mapping: { key(value: number): number };
  store: {
    bins: number[];
    count: number;
    minKey: number;
    maxKey: number;
    offset: number;
    add(key: number, weight?: number): void;
  };
  zeroCount: number;
  min: number;
  max: number;
  count: number;
  sum: number;
  accept(value: number, weight?: number): void;
  getValueAtQuantile(quantile: number): number;
  merge(sketch: DDSketch): void;
}
// Loaded untyped: the package's declarations import protobuf types its generated file does not
// export (TS2305 under our skipLibCheck: false), so its interface is declared above instead.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DDSketch } = require('@datadog/sketches-js') as {
  DDSketch: new (config: { relativeAccuracy: number }) => DDSketch;
};

/** Relative accuracy of every stored sketch: sketches merge only when it is the same. */
export const RELATIVE_ACCURACY = 0.01;

/** The stored form: counts of consecutive bins from key `k` (positive values), zeros apart. */
interface Encoded {
  v: 1;
  a: number;
  n: number;
  s: number;
  lo: number;
  hi: number;
  z: number;
  k: number;
  b: number[];
}

export class QuantileSketch {
  private constructor(private readonly dd: DDSketch) {}

  static empty(): QuantileSketch {
    return new QuantileSketch(new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY }));
  }

  static of(values: Iterable<number>): QuantileSketch {
    const s = QuantileSketch.empty();
    for (const v of values) s.add(v);
    return s;
  }

  /** Adds a measurement (negative values and NaN are clamped to 0: a duration cannot be below it). */
  add(value: number, weight = 1): this {
    this.dd.accept(Number.isFinite(value) && value > 0 ? value : 0, weight);
    return this;
  }

  /** Adds every measurement of `other` (exact: the result is the sketch of both samples). */
  merge(other: QuantileSketch): this {
    if (other.count > 0) this.dd.merge(other.dd);
    return this;
  }

  clone(): QuantileSketch {
    return QuantileSketch.decode(this.encode());
  }

  get count(): number {
    return this.dd.count;
  }
  get sum(): number {
    return this.dd.sum;
  }

  /** The q-quantile (0 ≤ q ≤ 1) within the relative accuracy; NaN when empty. */
  quantile(q: number): number {
    return this.dd.getValueAtQuantile(q);
  }

  /**
   * How many measurements lie in bins above the bin of `x` (a measurement in x's own bin counts
   * as not above: the sketch cannot tell them apart, which only makes a test on it conservative).
   */
  countAbove(x: number): number {
    const store = this.dd.store;
    if (store.count === 0) return 0;
    const from = x > 0 ? this.dd.mapping.key(x) + 1 : Number.NEGATIVE_INFINITY;
    let above = 0;
    for (let key = Math.max(from, store.minKey); key <= store.maxKey; key++)
      above += store.bins[key - store.offset] ?? 0;
    return above;
  }

  encode(): string {
    const store = this.dd.store;
    const b: number[] = [];
    if (store.count > 0)
      for (let key = store.minKey; key <= store.maxKey; key++)
        b.push(store.bins[key - store.offset] ?? 0);
    const e: Encoded = {
      v: 1,
      a: RELATIVE_ACCURACY,
      n: this.dd.count,
      s: this.dd.sum,
      lo: this.dd.count ? this.dd.min : 0,
      hi: this.dd.count ? this.dd.max : 0,
      z: this.dd.zeroCount,
      k: store.count > 0 ? store.minKey : 0,
      b,
    };
    return JSON.stringify(e);
  }

  /** The sketch `encode` wrote; throws on anything else (a stored row is never guessed at). */
  static decode(text: string): QuantileSketch {
    const e = JSON.parse(text) as Encoded;
    if (e?.v !== 1 || e.a !== RELATIVE_ACCURACY || !Array.isArray(e.b))
      throw new Error('not a quantile sketch of this version');
    const s = QuantileSketch.empty();
    e.b.forEach((w, i) => {
      if (w > 0) s.dd.store.add(e.k + i, w);
    });
    s.dd.zeroCount = e.z;
    s.dd.count = e.n;
    s.dd.sum = e.s;
    s.dd.min = e.n ? e.lo : Infinity;
    s.dd.max = e.n ? e.hi : -Infinity;
    return s;
  }
}
