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
  private readonly deleteAll;
  private readonly replaceAll;

  constructor(private readonly db: Db) {
    const put = db.prepare('INSERT OR REPLACE INTO item_neighbours (item_id, doc) VALUES (?, ?)');
    this.putAll = db.transaction((ls: NeighbourList[]) => {
      for (const l of ls) put.run(l.itemId, JSON.stringify(l));
    });
    const del = db.prepare('DELETE FROM item_neighbours WHERE item_id = ?');
    this.deleteAll = db.transaction((ids: string[]) =>
      [...new Set(ids)].reduce((n, id) => n + del.run(id).changes, 0),
    );
    // One transaction: readers see the old set or the new one.
    const others = db.prepare(
      'DELETE FROM item_neighbours WHERE item_id NOT IN (SELECT value FROM json_each(?))',
    );
    this.replaceAll = db.transaction((ls: NeighbourList[]): number => {
      for (const l of ls) put.run(l.itemId, JSON.stringify(l));
      return others.run(JSON.stringify(ls.map((l) => l.itemId))).changes;
    });
  }

  async get(itemIds: string[]): Promise<NeighbourList[]> {
    return selectDocs<NeighbourList>(this.db, 'item_neighbours', 'item_id', itemIds);
  }

  async put(lists: NeighbourList[]): Promise<void> {
    this.putAll(lists);
  }

  async delete(itemIds: string[]): Promise<number> {
    return this.deleteAll(itemIds);
  }

  async replace(lists: NeighbourList[]): Promise<number> {
    return this.replaceAll.immediate(lists);
  }
}
