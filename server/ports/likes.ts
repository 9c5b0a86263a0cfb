/**
 * Likes port: each user's latest like state per item, kept from their like/unlike events by
 * `track` (the event log itself is append-only and purged by retention, so it cannot answer
 * "what do I like now" by user). Personal data: exported and erased with the user.
 */

export interface LikeChange {
  openid: string;
  itemId: string;
  liked: boolean;
  /** When the person tapped (device time, epoch ms): the latest tap wins, whatever order the events arrive in. */
  at: number;
}

/** A liked item and when it was liked. */
export interface LikeEntry {
  itemId: string;
  at: number;
}

export interface Likes {
  /**
   * Applies changes: per (user, item) the one with the latest `at` is kept, so a retried or
   * late event never undoes a newer tap; of equal times the later change (in call order) wins.
   */
  apply(changes: LikeChange[]): Promise<void>;
  /** The user's currently liked items, latest first (at desc, itemId desc), strictly after `after`, at most `limit`. */
  list(openid: string, after: LikeEntry | null, limit: number): Promise<LikeEntry[]>;
  /** Which of `itemIds` the user currently likes. */
  liked(openid: string, itemIds: string[]): Promise<string[]>;
  /** How many users currently like the item. */
  countLiked(itemId: string): Promise<number>;
}

/** Shared by the adapters: of several changes to one (user, item), the latest (the last of equal times). */
export function latestPerKey(changes: LikeChange[]): LikeChange[] {
  const latest = new Map<string, LikeChange>();
  for (const c of changes) {
    const key = `${c.openid}\u0000${c.itemId}`;
    const had = latest.get(key);
    if (!had || c.at >= had.at) latest.set(key, c);
  }
  return [...latest.values()];
}
