/**
 * Search-queries port (热门搜索): who searched what, kept only to count distinct users per query,
 * and the hot list `train` rolls up from it. A row is (scene, CST day, normalised query, a keyed
 * digest of the searcher's openid): the adapter computes the digest (an HMAC under the server's
 * identifier key, server/adapters/searcher-key.ts), so the openid itself is never stored and
 * nobody who merely knows an openid can find its rows; the adapter's personal-data port computes
 * the same digest, so the rows are exported and erased with the user. Rows outlive the hot
 * window only until train's step purges them.
 */

/** A query with the number of distinct users who searched it in the window. */
export interface QueryCount {
  query: string;
  users: number;
}

/** A scene's rolled-up hot list: queries, most searched first, and when it was rolled up. */
export interface HotList {
  queries: string[];
  at: number;
}

export interface SearchQueries {
  /**
   * Notes that the user searched `query` in `scene` on `day` ("YYYYMMDD", CST): once per (scene,
   * day, query, user), a repeat changes nothing. Stored under a keyed digest of the openid.
   */
  record(openid: string, scene: string, day: string, query: string): Promise<void>;
  /**
   * Queries of `scene` on days from `sinceDay` on, by distinct users over all those days (a
   * user counts once however many days they searched it), those with at least `minUsers`, most
   * users first, ties by query, at most `limit`.
   */
  top(scene: string, sinceDay: string, minUsers: number, limit: number): Promise<QueryCount[]>;
  /** Deletes up to `limit` rows of days before `day`; returns how many. */
  purgeBefore(day: string, limit: number): Promise<number>;
  /** Replaces the scene's hot list. */
  saveHot(scene: string, hot: HotList): Promise<void>;
  /** The scene's hot list; null before the first roll-up. */
  hot(scene: string): Promise<HotList | null>;
}
