/**
 * Likes over the cloud database: one document per (user, item), _id hashed from both, holding
 * the latest tap. A change is written only over an older one (a conditional update, atomic per
 * document); a first change inserts, and an insert that loses a race falls back to the update.
 */
import { latestPerKey, type LikeChange, type LikeEntry, type Likes } from '../../ports/likes';
import {
  chunk,
  docId,
  isDuplicateKey,
  mapLimit,
  MAX_GET,
  MAX_IN_FLIGHT,
  scalar,
  settle,
  type Database,
} from './sdk';
import { COLLECTIONS } from './collections';

export const LIKES = COLLECTIONS.likes.name;

interface LikeDoc {
  _id: string;
  openid: string;
  itemId: string;
  liked: boolean;
  at: number;
}

export class CloudLikes implements Likes {
  constructor(private readonly db: Database) {}

  async apply(changes: LikeChange[]): Promise<void> {
    await mapLimit(latestPerKey(changes), MAX_IN_FLIGHT, (c) => this.applyOne(c));
  }

  private async applyOne(c: LikeChange): Promise<void> {
    const _ = this.db.command;
    const _id = docId(scalar(c.openid, 'openid'), scalar(c.itemId, 'item id'));
    const at = scalar(c.at, 'at');
    const update = async () =>
      (
        await settle(
          this.db
            .collection(LIKES)
            .where({ _id, at: _.lte(at) })
            .update({ data: { liked: c.liked, at } }),
        )
      ).stats.updated;
    if ((await update()) > 0) return;
    try {
      await settle(
        this.db
          .collection(LIKES)
          .add({ data: { _id, openid: c.openid, itemId: c.itemId, liked: c.liked, at } }),
      );
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await update(); // it exists: written by a concurrent call, or newer (then this older change is dropped)
    }
  }

  async list(openid: string, after: LikeEntry | null, limit: number): Promise<LikeEntry[]> {
    const _ = this.db.command;
    const mine = { openid: scalar(openid, 'openid'), liked: true };
    const cond = after
      ? _.and([
          mine,
          _.or([
            { at: _.lt(scalar(after.at, 'after.at')) },
            { at: after.at, itemId: _.lt(scalar(after.itemId, 'after.itemId')) },
          ]),
        ])
      : mine;
    const res = await settle(
      this.db
        .collection(LIKES)
        .where(cond)
        .orderBy('at', 'desc')
        .orderBy('itemId', 'desc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as LikeDoc[]).map((d) => ({ itemId: d.itemId, at: d.at }));
  }

  async liked(openid: string, itemIds: string[]): Promise<string[]> {
    const _ = this.db.command;
    const out: string[] = [];
    for (const part of chunk([...new Set(itemIds)], 100)) {
      const ids = part.map((id) => docId(scalar(openid, 'openid'), scalar(id, 'item id')));
      const res = await settle(
        this.db
          .collection(LIKES)
          .where({ _id: _.in(ids), liked: true })
          .limit(part.length)
          .get(),
      );
      out.push(...(res.data as LikeDoc[]).map((d) => d.itemId));
    }
    return out;
  }

  async countLiked(itemId: string): Promise<number> {
    const res = await settle(
      this.db
        .collection(LIKES)
        .where({ itemId: scalar(itemId, 'item id'), liked: true })
        .count(),
    );
    return res.total;
  }
}
