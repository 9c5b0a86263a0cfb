/**
 * Search queries over the cloud database: one document per (scene, day, query, searcher key),
 * _id hashed from all four, so a repeat is refused by the unique _id (no read first). Distinct
 * users per query are counted by the service in one aggregation (group by query and user, then
 * by query), so `train` never pages the rows; each scene's hot list is one document.
 */
import type { HotList, QueryCount, SearchQueries } from '../../ports/search-queries';
import { COLLECTIONS } from './collections';
import { docId, isDuplicateKey, MAX_GET, removeWhere, scalar, settle, type Database } from './sdk';

export const SEARCH_QUERIES = COLLECTIONS.searchQueries.name;
export const HOT_QUERIES = COLLECTIONS.hotQueries.name;

interface QueryDoc {
  _id: string;
  scene: string;
  day: string;
  query: string;
  userKey: string;
}

interface HotDoc {
  scene: string;
  queries: string[];
  at: number;
}

export class CloudSearchQueries implements SearchQueries {
  constructor(
    private readonly db: Database,
    private readonly keyOf: (openid: string) => string,
  ) {}

  async record(openid: string, scene: string, day: string, query: string): Promise<void> {
    const userKey = this.keyOf(scalar(openid, 'openid'));
    const doc: QueryDoc = {
      _id: docId(scalar(scene, 'scene'), scalar(day, 'day'), scalar(query, 'query'), userKey),
      scene,
      day,
      query,
      userKey,
    };
    try {
      await settle(this.db.collection(SEARCH_QUERIES).add({ data: doc }));
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async top(
    scene: string,
    sinceDay: string,
    minUsers: number,
    limit: number,
  ): Promise<QueryCount[]> {
    const _ = this.db.command;
    const $ = _.aggregate;
    const res = await settle(
      this.db
        .collection(SEARCH_QUERIES)
        .aggregate()
        .match({ scene: scalar(scene, 'scene'), day: _.gte(scalar(sinceDay, 'day')) })
        .group({ _id: { query: '$query', userKey: '$userKey' } })
        .group({ _id: '$_id.query', users: $.sum(1) })
        .match({ users: _.gte(scalar(minUsers, 'minimum users')) })
        .sort({ users: -1, _id: 1 })
        .limit(Math.min(limit, MAX_GET))
        .end(),
    );
    return (res.list as { _id: string; users: number }[]).map((r) => ({
      query: r._id,
      users: r.users,
    }));
  }

  async purgeBefore(day: string, limit: number): Promise<number> {
    const _ = this.db.command;
    return removeWhere(this.db, SEARCH_QUERIES, { day: _.lt(scalar(day, 'day')) }, limit, 'day');
  }

  async saveHot(scene: string, hot: HotList): Promise<void> {
    const doc: HotDoc = { scene: scalar(scene, 'scene'), queries: [...hot.queries], at: hot.at };
    await settle(this.db.collection(HOT_QUERIES).doc(docId(scene)).set({ data: doc }));
  }

  async hot(scene: string): Promise<HotList | null> {
    const res = await settle(
      this.db
        .collection(HOT_QUERIES)
        .where({ _id: docId(scalar(scene, 'scene')) })
        .get(),
    );
    const doc = (res.data as HotDoc[])[0];
    return doc ? { queries: doc.queries, at: doc.at } : null;
  }
}
