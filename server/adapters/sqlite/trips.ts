/** Trips over SQLite: one row per (user, item), listed by the time it was added. */
import type { TripEntry, Trips } from '../../ports/trips';
import type { Db } from './db';
import { prepared } from './statements';

export class SqliteTrips implements Trips {
  constructor(private readonly db: Db) {}

  async add(openid: string, itemId: string, at: number): Promise<boolean> {
    const r = prepared(
      this.db,
      'INSERT INTO trips (openid, item_id, at) VALUES (?, ?, ?) ON CONFLICT (openid, item_id) DO NOTHING',
    ).run(openid, itemId, at);
    return r.changes > 0;
  }

  async remove(openid: string, itemId: string): Promise<boolean> {
    const r = prepared(this.db, 'DELETE FROM trips WHERE openid = ? AND item_id = ?').run(
      openid,
      itemId,
    );
    return r.changes > 0;
  }

  async list(openid: string, limit: number): Promise<TripEntry[]> {
    const rows = prepared(
      this.db,
      'SELECT item_id, at FROM trips WHERE openid = ? ORDER BY at, item_id LIMIT ?',
    ).all(openid, limit) as { item_id: string; at: number }[];
    return rows.map((r) => ({ itemId: r.item_id, at: r.at }));
  }
}
