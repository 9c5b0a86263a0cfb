/** Namespaced tokens (`field=value`) hashed into a fixed space of 2^bits buckets. */
import { hashToken } from './hash';
import type { FeatureVector } from './vector';

/** Field ids are dense small integers, assigned in order of first use (field-aware models need them). */
export class FeatureHasher {
  readonly mask: number;
  private readonly fields = new Map<string, number>();

  constructor(readonly bits: number) {
    if (!Number.isInteger(bits) || bits < 1 || bits > 30) throw new RangeError(`hash bits must be 1..30, got ${bits}`);
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
    return hashToken(`${field}=${value}`) & this.mask;
  }

  /** Adds the one-hot token `field=value` with weight x. */
  add(vec: FeatureVector, field: string, value: string, x = 1): void {
    vec.push(this.bucket(field, value), this.fieldId(field), x);
  }

  /** Adds the cross token `a×b=va×vb`; its field is the cross's own. */
  addCross(vec: FeatureVector, a: string, va: string, b: string, vb: string): void {
    const field = `${a}×${b}`;
    vec.push(hashToken(`${field}=${va}×${vb}`) & this.mask, this.fieldId(field), 1);
  }
}
