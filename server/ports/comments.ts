/** Comments port: what people wrote under items, replies, reports and moderation; personal data of their authors and reporters (export, erasure). */

/**
 * Moderation state: `review` when WeChat's content-safety check said a person should look at it
 * (shown to its author only until a moderator decides), `hidden` when a moderator hid it. A
 * comment without one is visible.
 */
export type Moderation = 'review' | 'hidden';

export interface StoredComment {
  /** Server-generated UUID. */
  id: string;
  itemId: string;
  /** The author. */
  openid: string;
  text: string;
  /** Server time, epoch ms. */
  createdAt: number;
  /** A reply: the thread's top-level comment (one level of nesting; a reply to a reply joins its thread). */
  parentId?: string;
  /** A reply to a reply: the comment it answers, in the same thread. */
  replyTo?: string;
  moderation?: Moderation;
  /** In the moderation queue since (server time): it was reported or held for review, and no moderator decided yet. */
  flaggedAt?: number;
  /** Distinct users who reported it (举报). */
  reports?: number;
  /** Those reports by reason. */
  reasons?: Partial<Record<ReportReason, number>>;
}

/** Why a comment was reported (举报): 垃圾广告, 辱骂攻击, 色情低俗, 违法违规, 其他. */
export const REPORT_REASONS = ['spam', 'abuse', 'porn', 'illegal', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** A position in an item's comment list (createdAt desc, id desc). */
export interface CommentPosition {
  createdAt: number;
  id: string;
}

/** A user's report of a comment (举报): one per user and comment. */
export interface CommentReport {
  commentId: string;
  /** The reporter. */
  openid: string;
  reason: ReportReason;
  /** Server time, epoch ms. */
  at: number;
}

export interface Comments {
  /** Stores a new comment (flagged into the moderation queue when it carries `flaggedAt`). */
  add(comment: StoredComment): Promise<void>;
  get(id: string): Promise<StoredComment | null>;
  /**
   * An item's top-level comments (no parentId) newest first (createdAt desc, id desc), strictly
   * after `after` (null: from the newest), at most `limit`, whatever their moderation.
   */
  listForItem(
    itemId: string,
    after: CommentPosition | null,
    limit: number,
  ): Promise<StoredComment[]>;
  /** Replies in these threads, oldest first (createdAt asc, id asc), at most `limit` in all. */
  listReplies(parentIds: string[], limit: number): Promise<StoredComment[]>;
  /** The item's comments and replies that everyone sees (no moderation state). */
  countVisible(itemId: string): Promise<number>;
  /** Deletes the comment if `openid` wrote it; false (nothing changed) when it is unknown or someone else's. */
  remove(id: string, openid: string): Promise<boolean>;
  /**
   * Records a report once per (user, comment): the comment's report count goes up by one and it
   * enters the moderation queue (if not there already) at `report.at`; its reasons count too. False, and nothing
   * changed, when this user reported this comment before or the comment is gone.
   */
  report(report: CommentReport): Promise<boolean>;
  /** The moderation queue: flagged comments, most recently flagged first (flaggedAt desc, id desc), strictly after `after`. */
  listFlagged(
    after: { flaggedAt: number; id: string } | null,
    limit: number,
  ): Promise<StoredComment[]>;
  /**
   * A moderator's decision: the comment's state becomes `moderation` (null: visible) and it leaves
   * the queue. False when the comment is gone.
   */
  decide(id: string, moderation: Moderation | null): Promise<boolean>;
}
