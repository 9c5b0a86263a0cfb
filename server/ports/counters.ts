/** Counters port: real-time integer counters per (scope, id, bucket), e.g. item clicks per day. */

export interface CounterDelta {
  /** What is counted, e.g. "item", "ad", "rate". */
  scope: string;
  id: string;
  /** Time bucket, e.g. a day "20261128" or a minute "202611280139". */
  bucket: string;
  field: string;
  by: number;
}

export type CounterValues = Record<string, number>;

export interface Counters {
  /** Adds every delta atomically per counter; returns each counter field's value after the add, in order. */
  add(deltas: CounterDelta[]): Promise<number[]>;
  /** Current fields of the counters of `ids` in one scope and bucket; missing counters are absent. */
  read(scope: string, ids: string[], bucket: string): Promise<Record<string, CounterValues>>;
}
