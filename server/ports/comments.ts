/** Comments port: what people wrote under items; personal data of their authors (export, erasure). */

export interface StoredComment {
  /** Server-generated UUID. */
  id: string;
  itemId: string;
  /** The author. */
  openid: string;
  text: string;
  /** Server time, epoch ms. */
  createdAt: number;
}

/** A position in an item's comment list (createdAt desc, id desc). */
export interface CommentPosition {
  createdAt: number;
  id: string;
}

export interface Comments {
  /** Stores a new comment. */
  add(comment: StoredComment): Promise<void>;
  get(id: string): Promise<StoredComment | null>;
  /** An item's comments newest first (createdAt desc, id desc), strictly after `after` (null: from the newest), at most `limit`. */
  listForItem(
    itemId: string,
    after: CommentPosition | null,
    limit: number,
  ): Promise<StoredComment[]>;
  /** Deletes the comment if `openid` wrote it; false (nothing changed) when it is unknown or someone else's. */
  remove(id: string, openid: string): Promise<boolean>;
}
