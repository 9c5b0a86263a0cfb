/** UserProfiles and ItemNeighbours over the cloud database: one JSON-text document per user / item. */
import type { ItemNeighbours, NeighbourList } from '../../ports/neighbours';
import type { UserProfile, UserProfiles } from '../../ports/profiles';
import { docId, mapLimit, MAX_IN_FLIGHT, scalar, settle, type Database } from './sdk';
import { fetchDocs } from './slates';

export const USER_PROFILES = 'user_profiles';
export const ITEM_NEIGHBOURS = 'item_neighbours';

export class CloudUserProfiles implements UserProfiles {
  constructor(private readonly db: Database) {}

  async get(openids: string[]): Promise<UserProfile[]> {
    const wanted = new Set(openids);
    const docs = await fetchDocs<UserProfile>(this.db, USER_PROFILES, openids.map((id) => docId(scalar(id, 'openid'))));
    return docs.filter((p) => wanted.has(p.openid));
  }

  async put(profiles: UserProfile[]): Promise<void> {
    await mapLimit(profiles, MAX_IN_FLIGHT, (p) =>
      settle(this.db.collection(USER_PROFILES).doc(docId(scalar(p.openid, 'openid'))).set({ data: { openid: p.openid, doc: JSON.stringify(p) } })),
    );
  }
}

export class CloudItemNeighbours implements ItemNeighbours {
  constructor(private readonly db: Database) {}

  async get(itemIds: string[]): Promise<NeighbourList[]> {
    const wanted = new Set(itemIds);
    const docs = await fetchDocs<NeighbourList>(this.db, ITEM_NEIGHBOURS, itemIds.map((id) => docId(scalar(id, 'item id'))));
    return docs.filter((l) => wanted.has(l.itemId));
  }

  async put(lists: NeighbourList[]): Promise<void> {
    await mapLimit(lists, MAX_IN_FLIGHT, (l) =>
      settle(this.db.collection(ITEM_NEIGHBOURS).doc(docId(scalar(l.itemId, 'item id'))).set({ data: { itemId: l.itemId, doc: JSON.stringify(l) } })),
    );
  }
}
