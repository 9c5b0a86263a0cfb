/** Namespaced tokens (`field=value`) hashed into a fixed space of 2^bits buckets. */
import { hashToken } from './hash';
import type { FeatureVector } from './vector';

/** Field ids are dense small integers, assigned in order of first use (field-aware models need them). */
export class FeatureHasher {
  readonly mask: number;
  private readonly fields = new Map<string, number>();
  /** Buckets already computed, per field then value (serving hashes the same tokens request after request). */
  private readonly memo = new Map<string, Map<string, number>>();
  private memoSize = 0;

  /**
   * `memoLimit`: how many tokens' buckets to remember (0: none). Worth it where the same tokens
   * recur (a warm serving instance); a training pass over mostly new ids would only fill it.
   * When full it starts over, so memory stays bounded.
   */
  constructor(
    readonly bits: number,
    private readonly memoLimit = 0,
  ) {
    if (!Number.isInteger(bits) || bits < 1 || bits > 30)
      throw new RangeError(`hash bits must be 1..30, got ${bits}`);
    if (!Number.isInteger(memoLimit) || memoLimit < 0)
      throw new RangeError(`memo limit must be a non-negative integer, got ${memoLimit}`);
    this.mask = (1 << bits) - 1;
  }

  fieldId(field: string): number {
    let id = this.fields.get(field);
    if (id === undefined) {
      id = this.fields.size;
      this.fields.set(field, id);
    }
    return id;
  }

  get fieldCount(): number {
    return this.fields.size;
  }

  /** Bucket of the token `field=value`. */
  bucket(field: string, value: string): number {
    if (this.memoLimit === 0) return hashToken(`${field}=${value}`) & this.mask;
    return this.remembered(field, value, () => hashToken(`${field}=${value}`) & this.mask);
  }

  private remembered(field: string, value: string, compute: () => number): number {
    this.makeRoom();
    let byValue = this.memo.get(field);
    if (!byValue) this.memo.set(field, (byValue = new Map()));
    let b = byValue.get(value);
    if (b === undefined) {
      b = compute();
      byValue.set(value, b);
      this.memoSize++;
    }
    return b;
  }

  /** Starts the memo over once it holds memoLimit buckets. */
  private makeRoom(): void {
    if (this.memoSize < this.memoLimit) return;
    this.memo.clear();
    this.memoSize = 0;
  }

  /** Adds the one-hot token `field=value` with weight x. */
  add(vec: FeatureVector, field: string, value: string, x = 1): void {
    vec.push(this.bucket(field, value), this.fieldId(field), x);
  }

  /**
   * Adds the cross token `a×b=va×vb`; its field is the cross's own. Not remembered: pairs such
   * as user × ad rarely recur, and ServingTransformer keeps the chunks that do.
   */
  addCross(vec: FeatureVector, a: string, va: string, b: string, vb: string): void {
    const field = `${a}×${b}`;
    this.addCrossOf(vec, field, this.fieldId(field), va, vb);
  }

  /** addCross with the cross's field name (`a×b`) and its fieldId given. */
  addCrossOf(vec: FeatureVector, field: string, fieldId: number, va: string, vb: string): void {
    vec.push(hashToken(`${field}=${va}×${vb}`) & this.mask, fieldId, 1);
  }
}
