/** Comments over SQLite: one row per comment, an item's list read newest first from its index. */
import type { CommentPosition, Comments, StoredComment } from '../../ports/comments';
import type { Db } from './db';
import { prepared } from './statements';

interface Row {
  id: string;
  item_id: string;
  openid: string;
  created_at: number;
  text: string;
}

const fromRow = (r: Row): StoredComment => ({
  id: r.id,
  itemId: r.item_id,
  openid: r.openid,
  text: r.text,
  createdAt: r.created_at,
});

export class SqliteComments implements Comments {
  constructor(private readonly db: Db) {}

  async add(c: StoredComment): Promise<void> {
    prepared(
      this.db,
      'INSERT INTO comments (id, item_id, openid, created_at, text) VALUES (?, ?, ?, ?, ?)',
    ).run(c.id, c.itemId, c.openid, c.createdAt, c.text);
  }

  async get(id: string): Promise<StoredComment | null> {
    const row = prepared(this.db, 'SELECT * FROM comments WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  async listForItem(
    itemId: string,
    after: CommentPosition | null,
    limit: number,
  ): Promise<StoredComment[]> {
    const rows = after
      ? prepared(
          this.db,
          `SELECT * FROM comments WHERE item_id = ? AND (created_at < ? OR (created_at = ? AND id < ?))
          ORDER BY created_at DESC, id DESC LIMIT ?`,
        ).all(itemId, after.createdAt, after.createdAt, after.id, limit)
      : prepared(
          this.db,
          'SELECT * FROM comments WHERE item_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
        ).all(itemId, limit);
    return (rows as Row[]).map(fromRow);
  }

  async remove(id: string, openid: string): Promise<boolean> {
    return (
      prepared(this.db, 'DELETE FROM comments WHERE id = ? AND openid = ?').run(id, openid)
        .changes > 0
    );
  }
}
