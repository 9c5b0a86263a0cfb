/** Item neighbours port: each item's most co-engaged items (item-to-item candidates). */
import type { NeighbourList } from '../engine/profiles/neighbours';

export type { NeighbourList } from '../engine/profiles/neighbours';

export interface ItemNeighbours {
  /** Lists by item id; items without one are left out. */
  get(itemIds: string[]): Promise<NeighbourList[]>;
  /** Inserts or replaces each list by item id. */
  put(lists: NeighbourList[]): Promise<void>;
}
