/** Item neighbours port: each item's most co-engaged items (item-to-item candidates). */
import type { NeighbourList } from '../engine/profiles/neighbours';

export type { NeighbourList } from '../engine/profiles/neighbours';

export interface ItemNeighbours {
  /** Lists by item id; items without one are left out. */
  get(itemIds: string[]): Promise<NeighbourList[]>;
  /** Inserts or replaces each list by item id. */
  put(lists: NeighbourList[]): Promise<void>;
  /** Deletes the lists of these items (ids without one are ignored); returns how many were deleted. */
  delete(itemIds: string[]): Promise<number>;
  /**
   * Makes `lists` the whole stored set (a model learned again from scratch): writes them, then
   * deletes every other list. Readers meanwhile see old and new lists side by side, never none.
   * Returns how many other lists were deleted.
   */
  replace(lists: NeighbourList[]): Promise<number>;
}
