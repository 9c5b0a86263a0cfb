/** The moderation queue's rows, shaped for the template (pure: tested without a page). */
import type { FlaggedComment, ReportReason } from '../../../../typings';
import { dateTime } from '../../../services/format';

export const REASON_LABELS: Record<ReportReason, string> = {
  spam: '垃圾广告',
  abuse: '辱骂攻击',
  porn: '色情低俗',
  illegal: '违法违规',
  other: '其他',
};

export interface QueueRow {
  id: string;
  itemId: string;
  text: string;
  author: string;
  /** "举报 3 次：垃圾广告 2、其他 1", "微信内容安全：需人工审核", or both. */
  why: string;
  flaggedText: string;
}

export function queueRow(c: FlaggedComment): QueueRow {
  const parts: string[] = [];
  if (c.inReview) parts.push('微信内容安全：需人工审核');
  if (c.reports > 0) {
    const reasons = (Object.keys(REASON_LABELS) as ReportReason[])
      .filter((r) => (c.reasons[r] ?? 0) > 0)
      .map((r) => `${REASON_LABELS[r]} ${c.reasons[r]}`)
      .join('、');
    parts.push(`举报 ${c.reports} 次${reasons ? `：${reasons}` : ''}`);
  }
  return {
    id: c.id,
    itemId: c.itemId,
    text: c.text,
    author: c.author,
    why: parts.join('；'),
    flaggedText: `${dateTime(c.flaggedAt)} 进入队列`,
  };
}
