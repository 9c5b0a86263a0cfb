/** UserProfiles and ItemNeighbours over SQLite: one JSON document per user / item. */
import type { ItemNeighbours, NeighbourList } from '../../ports/neighbours';
import type { UserProfile, UserProfiles } from '../../ports/profiles';
import type { Db } from './db';
import { selectDocs } from './slates';

export class SqliteUserProfiles implements UserProfiles {
  private readonly putAll;

  constructor(private readonly db: Db) {
    const put = db.prepare('INSERT OR REPLACE INTO user_profiles (openid, doc) VALUES (?, ?)');
    this.putAll = db.transaction((ps: UserProfile[]) => {
      for (const p of ps) put.run(p.openid, JSON.stringify(p));
    });
  }

  async get(openids: string[]): Promise<UserProfile[]> {
    return selectDocs<UserProfile>(this.db, 'user_profiles', 'openid', openids);
  }

  async put(profiles: UserProfile[]): Promise<void> {
    this.putAll(profiles);
  }
}

export class SqliteItemNeighbours implements ItemNeighbours {
  private readonly putAll;

  constructor(private readonly db: Db) {
    const put = db.prepare('INSERT OR REPLACE INTO item_neighbours (item_id, doc) VALUES (?, ?)');
    this.putAll = db.transaction((ls: NeighbourList[]) => {
      for (const l of ls) put.run(l.itemId, JSON.stringify(l));
    });
  }

  async get(itemIds: string[]): Promise<NeighbourList[]> {
    return selectDocs<NeighbourList>(this.db, 'item_neighbours', 'item_id', itemIds);
  }

  async put(lists: NeighbourList[]): Promise<void> {
    this.putAll(lists);
  }
}
