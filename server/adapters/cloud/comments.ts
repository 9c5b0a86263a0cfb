/**
 * Comments over the cloud database: one document per comment (_id from its id; `parentId` null
 * for a top-level one, `moderation` null when visible, `flagged` while in the moderation queue),
 * an item's top-level list by (createdAt, id) descending, a thread's replies ascending; reports
 * one document per (comment, reporter), keyed by both, so a second report is a duplicate key.
 */
import type {
  CommentPosition,
  CommentReport,
  Comments,
  Moderation,
  StoredComment,
} from '../../ports/comments';
import { chunk, docId, isDuplicateKey, MAX_GET, scalar, settle, type Database } from './sdk';
import { COLLECTIONS } from './collections';

export const COMMENTS = COLLECTIONS.comments.name;
export const COMMENT_REPORTS = COLLECTIONS.commentReports.name;

type CommentDoc = Omit<StoredComment, 'parentId' | 'replyTo' | 'moderation'> & {
  _id: string;
  parentId?: string | null;
  replyTo?: string | null;
  moderation?: Moderation | null;
  flagged?: boolean;
};

const fromDoc = (d: CommentDoc): StoredComment => ({
  id: d.id,
  itemId: d.itemId,
  openid: d.openid,
  text: d.text,
  createdAt: d.createdAt,
  ...(d.parentId ? { parentId: d.parentId } : {}),
  ...(d.replyTo ? { replyTo: d.replyTo } : {}),
  ...(d.moderation ? { moderation: d.moderation } : {}),
  ...(d.flagged && typeof d.flaggedAt === 'number' ? { flaggedAt: d.flaggedAt } : {}),
  ...(d.reports ? { reports: d.reports } : {}),
  ...(d.reasons && Object.keys(d.reasons).length > 0 ? { reasons: { ...d.reasons } } : {}),
});

export class CloudComments implements Comments {
  constructor(private readonly db: Database) {}

  async add(c: StoredComment): Promise<void> {
    const data: CommentDoc = {
      _id: docId(scalar(c.id, 'comment id')),
      id: c.id,
      itemId: c.itemId,
      openid: c.openid,
      text: c.text,
      createdAt: c.createdAt,
      // Stored as null, not left out, so the queries can name them (old documents lack them, and
      // a null condition matches a missing field too).
      parentId: c.parentId ?? null,
      replyTo: c.replyTo ?? null,
      moderation: c.moderation ?? null,
      flagged: c.flaggedAt !== undefined,
      ...(c.flaggedAt !== undefined ? { flaggedAt: c.flaggedAt } : {}),
    };
    await settle(this.db.collection(COMMENTS).add({ data }));
  }

  async get(id: string): Promise<StoredComment | null> {
    const res = await settle(
      this.db
        .collection(COMMENTS)
        .where({ _id: docId(scalar(id, 'comment id')) })
        .limit(1)
        .get(),
    );
    const d = (res.data as CommentDoc[])[0];
    return d ? fromDoc(d) : null;
  }

  async listForItem(
    itemId: string,
    after: CommentPosition | null,
    limit: number,
  ): Promise<StoredComment[]> {
    const _ = this.db.command;
    const mine = { itemId: scalar(itemId, 'item id'), parentId: null };
    const cond = after
      ? _.and([
          mine,
          _.or([
            { createdAt: _.lt(scalar(after.createdAt, 'after.createdAt')) },
            { createdAt: after.createdAt, id: _.lt(scalar(after.id, 'after.id')) },
          ]),
        ])
      : mine;
    const res = await settle(
      this.db
        .collection(COMMENTS)
        .where(cond)
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as CommentDoc[]).map(fromDoc);
  }

  async listReplies(parentIds: string[], limit: number): Promise<StoredComment[]> {
    const _ = this.db.command;
    const out: StoredComment[] = [];
    // One page of threads is at most 50 top-level comments: one query in practice.
    for (const part of chunk([...new Set(parentIds)], 100)) {
      if (out.length >= limit) break;
      const res = await settle(
        this.db
          .collection(COMMENTS)
          .where({ parentId: _.in(part.map((p) => scalar(p, 'parent id'))) })
          .orderBy('createdAt', 'asc')
          .orderBy('id', 'asc')
          .limit(Math.min(limit - out.length, MAX_GET))
          .get(),
      );
      out.push(...(res.data as CommentDoc[]).map(fromDoc));
    }
    return out.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).slice(0, limit);
  }

  async countVisible(itemId: string): Promise<number> {
    const res = await settle(
      this.db
        .collection(COMMENTS)
        .where({ itemId: scalar(itemId, 'item id'), moderation: null })
        .count(),
    );
    return res.total;
  }

  async remove(id: string, openid: string): Promise<boolean> {
    const res = await settle(
      this.db
        .collection(COMMENTS)
        .where({ _id: docId(scalar(id, 'comment id')), openid: scalar(openid, 'openid') })
        .remove(),
    );
    return res.stats.removed > 0;
  }

  async report(r: CommentReport): Promise<boolean> {
    const _ = this.db.command;
    const _id = docId(scalar(r.commentId, 'comment id'));
    if (!(await this.get(r.commentId))) return false;
    try {
      await settle(
        this.db.collection(COMMENT_REPORTS).add({
          data: {
            _id: docId(r.commentId, scalar(r.openid, 'openid')),
            commentId: r.commentId,
            openid: r.openid,
            reason: scalar(r.reason, 'reason'),
            at: scalar(r.at, 'at'),
          },
        }),
      );
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    // The report is the record; the count, the reasons and the queue entry follow from it
    // (each an atomic update of the one comment document).
    await settle(
      this.db
        .collection(COMMENTS)
        .where({ _id })
        .update({ data: { reports: _.inc(1), [`reasons.${r.reason}`]: _.inc(1) } }),
    );
    await settle(
      this.db
        .collection(COMMENTS)
        .where({ _id, flagged: _.neq(true) })
        .update({ data: { flagged: true, flaggedAt: r.at } }),
    );
    return true;
  }

  async listFlagged(
    after: { flaggedAt: number; id: string } | null,
    limit: number,
  ): Promise<StoredComment[]> {
    const _ = this.db.command;
    const cond = after
      ? _.and([
          { flagged: true },
          _.or([
            { flaggedAt: _.lt(scalar(after.flaggedAt, 'after.flaggedAt')) },
            { flaggedAt: after.flaggedAt, id: _.lt(scalar(after.id, 'after.id')) },
          ]),
        ])
      : { flagged: true };
    const res = await settle(
      this.db
        .collection(COMMENTS)
        .where(cond)
        .orderBy('flaggedAt', 'desc')
        .orderBy('id', 'desc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as CommentDoc[]).map(fromDoc);
  }

  async decide(id: string, moderation: Moderation | null): Promise<boolean> {
    const res = await settle(
      this.db
        .collection(COMMENTS)
        .where({ _id: docId(scalar(id, 'comment id')) })
        .update({ data: { moderation, flagged: false } }),
    );
    return res.stats.updated > 0;
  }
}
