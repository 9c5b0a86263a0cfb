/**
 * Comments over SQLite: one row per comment (a reply names its thread's top-level comment), an
 * item's top-level list read newest first from its index, a thread's replies oldest first,
 * reports one row per (comment, reporter), the moderation queue by when a comment was flagged.
 */
import type {
  CommentPosition,
  CommentReport,
  Comments,
  Moderation,
  ReportReason,
  StoredComment,
} from '../../ports/comments';
import type { Db } from './db';
import { placeholders, prepared } from './statements';

interface Row {
  id: string;
  item_id: string;
  openid: string;
  created_at: number;
  text: string;
  parent_id: string | null;
  reply_to: string | null;
  moderation: Moderation | null;
  flagged_at: number | null;
  reports: number;
  reasons: string | null;
}

const fromRow = (r: Row): StoredComment => ({
  id: r.id,
  itemId: r.item_id,
  openid: r.openid,
  text: r.text,
  createdAt: r.created_at,
  ...(r.parent_id !== null ? { parentId: r.parent_id } : {}),
  ...(r.reply_to !== null ? { replyTo: r.reply_to } : {}),
  ...(r.moderation !== null ? { moderation: r.moderation } : {}),
  ...(r.flagged_at !== null ? { flaggedAt: r.flagged_at } : {}),
  ...(r.reports > 0 ? { reports: r.reports } : {}),
  ...(r.reasons !== null
    ? { reasons: JSON.parse(r.reasons) as Partial<Record<ReportReason, number>> }
    : {}),
});

export class SqliteComments implements Comments {
  private readonly reportOnce: (r: CommentReport) => boolean;

  constructor(private readonly db: Db) {
    this.reportOnce = db.transaction((r: CommentReport): boolean => {
      const row = prepared(db, 'SELECT reasons FROM comments WHERE id = ?').get(r.commentId) as
        { reasons: string | null } | undefined;
      if (!row) return false;
      const added = prepared(
        db,
        'INSERT OR IGNORE INTO comment_reports (comment_id, openid, reason, at) VALUES (?, ?, ?, ?)',
      ).run(r.commentId, r.openid, r.reason, r.at).changes;
      if (added === 0) return false;
      const reasons = JSON.parse(row.reasons ?? '{}') as Partial<Record<ReportReason, number>>;
      reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
      prepared(
        db,
        `UPDATE comments SET reports = reports + 1, reasons = ?, flagged_at = COALESCE(flagged_at, ?)
         WHERE id = ?`,
      ).run(JSON.stringify(reasons), r.at, r.commentId);
      return true;
    });
  }

  async add(c: StoredComment): Promise<void> {
    prepared(
      this.db,
      `INSERT INTO comments (id, item_id, openid, created_at, text, parent_id, reply_to, moderation, flagged_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      c.id,
      c.itemId,
      c.openid,
      c.createdAt,
      c.text,
      c.parentId ?? null,
      c.replyTo ?? null,
      c.moderation ?? null,
      c.flaggedAt ?? null,
    );
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
          `SELECT * FROM comments WHERE item_id = ? AND parent_id IS NULL AND (created_at < ? OR (created_at = ? AND id < ?))
          ORDER BY created_at DESC, id DESC LIMIT ?`,
        ).all(itemId, after.createdAt, after.createdAt, after.id, limit)
      : prepared(
          this.db,
          'SELECT * FROM comments WHERE item_id = ? AND parent_id IS NULL ORDER BY created_at DESC, id DESC LIMIT ?',
        ).all(itemId, limit);
    return (rows as Row[]).map(fromRow);
  }

  async listReplies(parentIds: string[], limit: number): Promise<StoredComment[]> {
    if (parentIds.length === 0 || limit <= 0) return [];
    const ids = [...new Set(parentIds)].slice(0, 500);
    const rows = prepared(
      this.db,
      `SELECT * FROM comments WHERE parent_id IN (${placeholders(ids.length)})
       ORDER BY created_at, id LIMIT ?`,
    ).all(...ids, limit) as Row[];
    return rows.map(fromRow);
  }

  async countVisible(itemId: string): Promise<number> {
    return prepared(
      this.db,
      'SELECT COUNT(*) FROM comments WHERE item_id = ? AND moderation IS NULL',
    )
      .pluck()
      .get(itemId) as number;
  }

  async remove(id: string, openid: string): Promise<boolean> {
    return (
      prepared(this.db, 'DELETE FROM comments WHERE id = ? AND openid = ?').run(id, openid)
        .changes > 0
    );
  }

  async report(r: CommentReport): Promise<boolean> {
    return this.reportOnce(r);
  }

  async listFlagged(
    after: { flaggedAt: number; id: string } | null,
    limit: number,
  ): Promise<StoredComment[]> {
    const rows = after
      ? prepared(
          this.db,
          `SELECT * FROM comments WHERE flagged_at IS NOT NULL AND (flagged_at < ? OR (flagged_at = ? AND id < ?))
           ORDER BY flagged_at DESC, id DESC LIMIT ?`,
        ).all(after.flaggedAt, after.flaggedAt, after.id, limit)
      : prepared(
          this.db,
          'SELECT * FROM comments WHERE flagged_at IS NOT NULL ORDER BY flagged_at DESC, id DESC LIMIT ?',
        ).all(limit);
    return (rows as Row[]).map(fromRow);
  }

  async decide(id: string, moderation: Moderation | null): Promise<boolean> {
    return (
      prepared(this.db, 'UPDATE comments SET moderation = ?, flagged_at = NULL WHERE id = ?').run(
        moderation,
        id,
      ).changes > 0
    );
  }
}
