/** Search queries over SQLite: one row per (scene, day, query, searcher key); distinct users counted in SQL. */
import type { HotList, QueryCount, SearchQueries } from '../../ports/search-queries';
import type { Db } from './db';
import { prepared } from './statements';

export class SqliteSearchQueries implements SearchQueries {
  constructor(
    private readonly db: Db,
    private readonly keyOf: (openid: string) => string,
  ) {}

  async record(openid: string, scene: string, day: string, query: string): Promise<void> {
    prepared(
      this.db,
      'INSERT OR IGNORE INTO search_queries (scene, day, query, user_key) VALUES (?, ?, ?, ?)',
    ).run(scene, day, query, this.keyOf(openid));
  }

  async top(
    scene: string,
    sinceDay: string,
    minUsers: number,
    limit: number,
  ): Promise<QueryCount[]> {
    return prepared(
      this.db,
      `SELECT query, COUNT(DISTINCT user_key) AS users FROM search_queries
      WHERE scene = ? AND day >= ? GROUP BY query HAVING users >= ?
      ORDER BY users DESC, query ASC LIMIT ?`,
    ).all(scene, sinceDay, minUsers, limit) as QueryCount[];
  }

  async purgeBefore(day: string, limit: number): Promise<number> {
    return prepared(
      this.db,
      `DELETE FROM search_queries WHERE (scene, day, query, user_key) IN
      (SELECT scene, day, query, user_key FROM search_queries WHERE day < ? LIMIT ?)`,
    ).run(day, limit).changes;
  }

  async saveHot(scene: string, hot: HotList): Promise<void> {
    prepared(
      this.db,
      `INSERT INTO hot_queries (scene, doc, at) VALUES (?, ?, ?)
      ON CONFLICT (scene) DO UPDATE SET doc = excluded.doc, at = excluded.at`,
    ).run(scene, JSON.stringify(hot.queries), hot.at);
  }

  async hot(scene: string): Promise<HotList | null> {
    const row = prepared(this.db, 'SELECT doc, at FROM hot_queries WHERE scene = ?').get(scene) as
      { doc: string; at: number } | undefined;
    return row ? { queries: JSON.parse(row.doc) as string[], at: row.at } : null;
  }
}
