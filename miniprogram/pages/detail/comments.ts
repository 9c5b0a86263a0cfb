/** The detail page's comment rows: what the `content` function answers, shaped for the template (threads one level deep). */
import type { CommentView, ReportReason } from '../../../typings';
import { dateTime } from '../../services/format';

export interface CommentRow {
  id: string;
  author: string;
  text: string;
  timeText: string;
  mine: boolean;
  /** The caller's own comment held for WeChat's review: shown to them only, marked 审核中. */
  inReview: boolean;
  /** A reply to a reply: whom it answers ("回复 用户…"); empty otherwise. */
  replyToAuthor: string;
  /** A top-level row's replies, oldest first; empty for a reply. */
  replies: CommentRow[];
}

export const commentRow = (c: CommentView): CommentRow => ({
  id: c.id,
  author: c.author,
  text: c.text,
  timeText: dateTime(c.createdAt),
  mine: c.mine,
  inReview: c.inReview === true,
  replyToAuthor: c.replyToAuthor ?? '',
  replies: (c.replies ?? []).map(commentRow),
});

/** Appends a page, leaving out rows already shown (a comment posted here can come back in a later page). */
export function mergeRows(shown: CommentRow[], page: CommentView[]): CommentRow[] {
  const seen = new Set(shown.map((r) => r.id));
  return [...shown, ...page.filter((c) => !seen.has(c.id)).map(commentRow)];
}

/** The rows with a just-posted comment: a reply at the end of its thread, a comment on top. */
export function withPosted(rows: CommentRow[], posted: CommentView): CommentRow[] {
  const row = commentRow(posted);
  if (!posted.parentId) return [row, ...rows];
  return rows.map((r) => (r.id === posted.parentId ? { ...r, replies: [...r.replies, row] } : r));
}

/** The rows without a deleted comment (top-level or a reply). */
export function withoutComment(rows: CommentRow[], id: string): CommentRow[] {
  return rows
    .filter((r) => r.id !== id)
    .map((r) =>
      r.replies.some((x) => x.id === id)
        ? { ...r, replies: r.replies.filter((x) => x.id !== id) }
        : r,
    );
}

/** 举报's reasons in the order the action sheet lists them. */
export const REPORT_CHOICES: readonly { reason: ReportReason; label: string }[] = [
  { reason: 'spam', label: '垃圾广告' },
  { reason: 'abuse', label: '辱骂攻击' },
  { reason: 'porn', label: '色情低俗' },
  { reason: 'illegal', label: '违法违规' },
  { reason: 'other', label: '其他' },
];
