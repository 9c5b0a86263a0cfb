/** Comments over the cloud database: one document per comment (_id from its id), an item's list by (createdAt, id) descending. */
import type { CommentPosition, Comments, StoredComment } from '../../ports/comments';
import { docId, MAX_GET, scalar, settle, type Database } from './sdk';
import { COLLECTIONS } from './collections';

export const COMMENTS = COLLECTIONS.comments.name;

type CommentDoc = StoredComment & { _id: string };

const fromDoc = (d: CommentDoc): StoredComment => ({
  id: d.id,
  itemId: d.itemId,
  openid: d.openid,
  text: d.text,
  createdAt: d.createdAt,
});

export class CloudComments implements Comments {
  constructor(private readonly db: Database) {}

  async add(c: StoredComment): Promise<void> {
    await settle(
      this.db
        .collection(COMMENTS)
        .add({ data: { _id: docId(scalar(c.id, 'comment id')), ...fromDoc(c as CommentDoc) } }),
    );
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
    const mine = { itemId: scalar(itemId, 'item id') };
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

  async remove(id: string, openid: string): Promise<boolean> {
    const res = await settle(
      this.db
        .collection(COMMENTS)
        .where({ _id: docId(scalar(id, 'comment id')), openid: scalar(openid, 'openid') })
        .remove(),
    );
    return res.stats.removed > 0;
  }
}
