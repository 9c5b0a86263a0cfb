/** Event log port: the append-only store of what users did, idempotent per (user, event id). */
import type { StoredEvent } from '../engine/records';
import type { CounterDelta } from './counters';

export type { StoredEvent };

export interface AppendResult {
  /** Event ids stored by this call. */
  inserted: string[];
  /** Event ids that were already stored for that user (and were not stored again). */
  duplicates: string[];
}

export interface EventPage {
  events: StoredEvent[];
  /** Opaque position after the last returned event; pass back to continue. When nothing was read, the cursor given (null from the start). */
  cursor: string | null;
}

export interface EventLog {
  /**
   * Stores each event whose (openid, eventId) is not stored yet. Safe under concurrent calls
   * with overlapping events: every event is stored exactly once, and exactly one call reports
   * it as inserted.
   */
  append(events: StoredEvent[]): Promise<AppendResult>;
  /**
   * append() and the counter deltas of the events it inserts (`deltasOf` gets each newly inserted
   * event once and must depend on the events alone), so that every stored event is counted
   * exactly once even if the call stops in between (a retry would see only duplicates). SQLite:
   * one transaction, both stored or neither. Cloud: the events are stored marked pending, each
   * counter document takes the call's deltas at most once, then the marks are cleared; a call
   * that stopped is completed by finishPending().
   */
  appendCounted(
    events: StoredEvent[],
    deltasOf: (inserted: StoredEvent[]) => CounterDelta[],
  ): Promise<AppendResult>;
  /**
   * Counts the events of appendCounted calls that stopped before they finished (and can no
   * longer be running), at most `limit` calls; returns the events counted. `deltasOf` must be
   * the one appendCounted was given. SQLite: none can be left (0).
   */
  finishPending(
    now: number,
    deltasOf: (inserted: StoredEvent[]) => CounterDelta[],
    limit: number,
  ): Promise<number>;
  /**
   * Events in storage order after `cursor` (null: from the start) with serverTime < `before`,
   * at most `limit`. Readers keep `before` a few seconds behind now so that events still being
   * written by concurrent calls are not skipped.
   */
  readAfter(cursor: string | null, before: number, limit: number): Promise<EventPage>;
  /**
   * Events naming one ad (impressions, clicks, orders, pays …) with from ≤ serverTime < before,
   * oldest first, at most `limit` (the merchant reports read one campaign's window).
   */
  readForAd(adId: string, from: number, before: number, limit: number): Promise<StoredEvent[]>;
  /** Number of stored events of a user (all types). */
  countForUser(openid: string): Promise<number>;
}
