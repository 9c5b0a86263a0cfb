/**
 * Trips port (旅游出行): each user's 行程, the travel items they saved, in the order they added
 * them. Personal data: exported and erased with the user.
 */

export interface TripEntry {
  itemId: string;
  /** Server time it was added, epoch ms. */
  at: number;
}

export interface Trips {
  /** Adds the item (at `at`) unless it is already there; true when it was added. */
  add(openid: string, itemId: string, at: number): Promise<boolean>;
  /** Removes the item; true when it was there. */
  remove(openid: string, itemId: string): Promise<boolean>;
  /** The user's entries, oldest first (at asc, itemId asc), at most `limit`. */
  list(openid: string, limit: number): Promise<TripEntry[]>;
}
