/** Counters port: real-time integer counters per (scope, id, bucket), e.g. item clicks per day. */
import type { CounterValues } from '../engine/records';

export type { CounterValues };

export interface CounterDelta {
  /** What is counted, e.g. "item", "ad", "rate". */
  scope: string;
  id: string;
  /** Time bucket, e.g. a day "20261128" or a minute "202611280139". */
  bucket: string;
  field: string;
  by: number;
}

export type CounterKey = Pick<CounterDelta, 'scope' | 'id' | 'bucket'>;

export interface Counters {
  /** Adds every delta atomically per counter; returns each counter field's value after the add, in order. */
  add(deltas: CounterDelta[]): Promise<number[]>;
  /**
   * Conditional add on one counter (scope, id, bucket): adds every `inc` field together, and only
   * if `guard.field` (missing = 0) stays ≤ `guard.max` after its own increment; atomic against
   * every concurrent add. Returns whether it added (false: refused, nothing changed). E.g. a
   * click charge { spentFen: price, clicks: 1 } guarded by spentFen ≤ budget: a budget is never
   * overspent however many clicks race.
   */
  addIf(
    counter: CounterKey,
    inc: Record<string, number>,
    guard: { field: string; max: number },
  ): Promise<boolean>;
  /** Current fields of the counters of `ids` in one scope and bucket; missing counters are absent. */
  read(scope: string, ids: string[], bucket: string): Promise<Record<string, CounterValues>>;
}
