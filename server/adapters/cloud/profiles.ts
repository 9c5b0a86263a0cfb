/** UserProfiles and ItemNeighbours over the cloud database: one JSON-text document per user / item. */
import { randomUUID } from 'node:crypto';
import type { ItemNeighbours, NeighbourList } from '../../ports/neighbours';
import type { UserProfile, UserProfiles } from '../../ports/profiles';
import {
  chunk,
  docId,
  mapLimit,
  MAX_GET,
  MAX_IN_FLIGHT,
  scalar,
  settle,
  type Database,
} from './sdk';
import { fetchDocs } from './slates';
import { COLLECTIONS } from './collections';

export const USER_PROFILES = COLLECTIONS.userProfiles.name;
export const ITEM_NEIGHBOURS = COLLECTIONS.itemNeighbours.name;

export class CloudUserProfiles implements UserProfiles {
  constructor(private readonly db: Database) {}

  async get(openids: string[]): Promise<UserProfile[]> {
    const wanted = new Set(openids);
    const docs = await fetchDocs<UserProfile>(
      this.db,
      USER_PROFILES,
      openids.map((id) => docId(scalar(id, 'openid'))),
    );
    return docs.filter((p) => wanted.has(p.openid));
  }

  async put(profiles: UserProfile[]): Promise<void> {
    await mapLimit(profiles, MAX_IN_FLIGHT, (p) =>
      settle(
        this.db
          .collection(USER_PROFILES)
          .doc(docId(scalar(p.openid, 'openid')))
          .set({ data: { openid: p.openid, doc: JSON.stringify(p) } }),
      ),
    );
  }
}

export class CloudItemNeighbours implements ItemNeighbours {
  constructor(private readonly db: Database) {}

  async get(itemIds: string[]): Promise<NeighbourList[]> {
    const wanted = new Set(itemIds);
    const docs = await fetchDocs<NeighbourList>(
      this.db,
      ITEM_NEIGHBOURS,
      itemIds.map((id) => docId(scalar(id, 'item id'))),
    );
    return docs.filter((l) => wanted.has(l.itemId));
  }

  async put(lists: NeighbourList[]): Promise<void> {
    await this.write(lists, null);
  }

  async delete(itemIds: string[]): Promise<number> {
    const _ = this.db.command;
    const ids = [...new Set(itemIds)].map((id) => docId(scalar(id, 'item id')));
    const removed = await mapLimit(
      chunk(ids, MAX_GET),
      MAX_IN_FLIGHT,
      async (part) =>
        (
          await settle(
            this.db
              .collection(ITEM_NEIGHBOURS)
              .where({ _id: _.in(part) })
              .remove(),
          )
        ).stats.removed,
    );
    return removed.reduce((a, b) => a + b, 0);
  }

  /**
   * Every list is written with this replacement's generation; then the documents of any other
   * generation (or none: written by put) are removed, their ids read first under get()'s cap.
   */
  async replace(lists: NeighbourList[]): Promise<number> {
    const gen = randomUUID();
    await this.write(lists, gen);
    const _ = this.db.command;
    let removed = 0;
    for (;;) {
      const res = await settle(
        this.db
          .collection(ITEM_NEIGHBOURS)
          .where({ gen: _.neq(gen) })
          .field({ _id: true })
          .limit(MAX_GET)
          .get(),
      );
      const ids = (res.data as { _id: string }[]).map((d) => d._id);
      if (ids.length === 0) return removed;
      const n = (
        await settle(
          this.db
            .collection(ITEM_NEIGHBOURS)
            .where({ _id: _.in(ids), gen: _.neq(gen) })
            .remove(),
        )
      ).stats.removed;
      removed += n;
      if (n === 0) return removed; // rewritten meanwhile: nothing more of ours to do
    }
  }

  private async write(lists: NeighbourList[], gen: string | null): Promise<void> {
    await mapLimit(lists, MAX_IN_FLIGHT, (l) =>
      settle(
        this.db
          .collection(ITEM_NEIGHBOURS)
          .doc(docId(scalar(l.itemId, 'item id')))
          .set({ data: { itemId: l.itemId, gen, doc: JSON.stringify(l) } }),
      ),
    );
  }
}
