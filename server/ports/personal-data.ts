/**
 * Personal-data port: every collection of an adapter that holds records tied to a user, read
 * for export and deleted for erasure in bounded chunks, plus event retention. The adapter
 * knows its own tables, so a collection added later is listed (and tested) in one place.
 */

/**
 * What erasure writes in place of the openid in the few records it keeps rather than deletes.
 * The legal exception: a campaign's audit log (who changed a bid, budget or status, and when) is
 * the merchant's business record of its advertising, which it must be able to show afterwards;
 * PIPL art. 47 yields to retention that other law requires, so the entries stay but stop naming
 * the person. Spent invitation codes stay too, so that a code cannot be redeemed a second time.
 * A constant, not a hash of the openid: anything derived from the openid could be recomputed by
 * whoever knows it and would still single the person out. It fails the openid format (the
 * parentheses), so no caller can ever be identified as it and claim what it now names.
 */
export const ERASED_USER = '(erased)';

export interface PersonalPage {
  records: Record<string, unknown>[];
  /** Opaque position after the last record; null when the collection has no more of the user's. */
  cursor: string | null;
}

export interface PersonalData {
  /** Names of the collections holding records tied to a user, in erasure order. */
  readonly collections: readonly string[];
  /** Up to `limit` of the user's records in a collection, after `cursor` (null: from the start). */
  read(
    collection: string,
    openid: string,
    cursor: string | null,
    limit: number,
  ): Promise<PersonalPage>;
  /**
   * Deletes up to `limit` of the user's records in a collection, or, in a collection whose
   * records must be kept, replaces the user in them by ERASED_USER; returns how many it changed.
   */
  erase(collection: string, openid: string, limit: number): Promise<number>;
  /** The user's stored events counted by type. */
  eventCounts(openid: string): Promise<Record<string, number>>;
  /** Deletes up to `limit` raw events stored before `cutoff` (server time, epoch ms); returns how many. */
  purgeEventsBefore(cutoff: number, limit: number): Promise<number>;
  /** Deletes up to `limit` counters of `scope` whose bucket sorts before `bucket` (short-lived per-user counters); returns how many. */
  purgeCountersBefore(scope: string, bucket: string, limit: number): Promise<number>;
  /**
   * Deletes up to `limit` slates served before `cutoff` (epoch ms), oldest first, with each one's
   * charge counter (adCharge / slate id / all: charged and seen positions); returns the slates.
   */
  purgeSlatesBefore(cutoff: number, limit: number): Promise<number>;
  /**
   * Users holding derived per-user state (an interest profile, like states, ad hide counters),
   * in openid order, strictly after `after` (null: from the start), at most `limit`: the
   * inactive-user sweep of the retention rule walks them.
   */
  usersWithState(after: string | null, limit: number): Promise<string[]>;
  /** Whether the user has a stored event at or after `since` (server time, epoch ms). */
  activeSince(openid: string, since: number): Promise<boolean>;
  /** Deletes the user's derived state the sweep covers (profile, like states, ad hide counters); returns how many records. */
  forgetDerivedState(openid: string): Promise<number>;
}
