/** Likes over SQLite: one row per (user, item) holding the latest tap; an upsert that only moves forward in time. */
import { latestPerKey, type LikeChange, type LikeEntry, type Likes } from '../../ports/likes';
import type { Db } from './db';
import { placeholders, prepared } from './statements';

export class SqliteLikes implements Likes {
  private readonly applyAll: (changes: LikeChange[]) => void;

  constructor(private readonly db: Db) {
    const put =
      db.prepare(`INSERT INTO likes (openid, item_id, liked, at) VALUES (@openid, @itemId, @liked, @at)
      ON CONFLICT (openid, item_id) DO UPDATE SET liked = excluded.liked, at = excluded.at WHERE excluded.at >= likes.at`);
    this.applyAll = db.transaction((changes: LikeChange[]) => {
      for (const c of changes)
        put.run({ openid: c.openid, itemId: c.itemId, liked: c.liked ? 1 : 0, at: c.at });
    });
  }

  async apply(changes: LikeChange[]): Promise<void> {
    if (changes.length > 0) this.applyAll(latestPerKey(changes));
  }

  async list(openid: string, after: LikeEntry | null, limit: number): Promise<LikeEntry[]> {
    const rows = after
      ? prepared(
          this.db,
          `SELECT item_id, at FROM likes WHERE openid = ? AND liked = 1 AND (at < ? OR (at = ? AND item_id < ?))
          ORDER BY at DESC, item_id DESC LIMIT ?`,
        ).all(openid, after.at, after.at, after.itemId, limit)
      : prepared(
          this.db,
          'SELECT item_id, at FROM likes WHERE openid = ? AND liked = 1 ORDER BY at DESC, item_id DESC LIMIT ?',
        ).all(openid, limit);
    return (rows as { item_id: string; at: number }[]).map((r) => ({
      itemId: r.item_id,
      at: r.at,
    }));
  }

  async liked(openid: string, itemIds: string[]): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < itemIds.length; i += 500) {
      const part = itemIds.slice(i, i + 500);
      const sql = `SELECT item_id FROM likes WHERE openid = ? AND liked = 1 AND item_id IN (${placeholders(part.length)})`;
      out.push(
        ...(prepared(this.db, sql)
          .pluck()
          .all(openid, ...part) as string[]),
      );
    }
    return out;
  }

  async countLiked(itemId: string): Promise<number> {
    return prepared(this.db, 'SELECT COUNT(*) FROM likes WHERE item_id = ? AND liked = 1')
      .pluck()
      .get(itemId) as number;
  }
}
