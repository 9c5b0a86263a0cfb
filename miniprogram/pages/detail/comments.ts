/** The detail page's comment rows: what the `content` function answers, shaped for the template. */
import type { CommentView } from '../../../typings';
import { dateTime } from '../../services/format';

export interface CommentRow {
  id: string;
  author: string;
  text: string;
  timeText: string;
  mine: boolean;
}

export const commentRow = (c: CommentView): CommentRow => ({
  id: c.id,
  author: c.author,
  text: c.text,
  timeText: dateTime(c.createdAt),
  mine: c.mine,
});

/** Appends a page, leaving out rows already shown (a comment posted here can come back in a later page). */
export function mergeRows(shown: CommentRow[], page: CommentView[]): CommentRow[] {
  const seen = new Set(shown.map((r) => r.id));
  return [...shown, ...page.filter((c) => !seen.has(c.id)).map(commentRow)];
}
