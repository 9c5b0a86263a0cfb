/**
 * Comment moderation: 举报 by users (one per user per comment, rate-limited, with a reason), and
 * the platform admins' queue of flagged comments — reported ones and those WeChat's check held
 * for review — where a comment is hidden or restored. Each decision is written to the audit log
 * (the platform's entries, PLATFORM_AUDIT), which erasure keeps with the actor replaced.
 */
import type { FlaggedComment } from '../../typings';
import { identifierKeyBytes } from '../config';
import { minuteBucket } from '../engine/time';
import { forbidden, notFound, rateLimited } from '../errors';
import type { ReportReason } from '../ports';
import type { FunctionContext } from '../runtime/function';
import { authorLabel, visibleTo } from './comments';
import { DEFAULT_PAGE, decodePosition, encodePosition } from './cursor';

export const REPORTS_PER_MINUTE = 5;
/** The audit log's merchant id for the platform's own decisions. */
export const PLATFORM_AUDIT = '_platform';

/**
 * Reports a comment the caller can see and did not write. A repeated report changes nothing and
 * is answered as accepted (the person's report stands); RATE_LIMITED past REPORTS_PER_MINUTE.
 */
export async function reportComment(
  ctx: FunctionContext,
  commentId: string,
  reason: ReportReason,
): Promise<void> {
  const { stores, openid } = ctx;
  const c = await stores.comments.get(commentId);
  if (!c || !visibleTo(c, openid)) throw notFound('评论不存在或已被删除');
  if (c.openid === openid) throw forbidden('不能举报自己的评论');
  const now = ctx.now();
  const [perMinute] = await stores.counters.add([
    { scope: 'rate', id: openid, bucket: minuteBucket(now), field: 'reports', by: 1 },
  ]);
  if (perMinute > REPORTS_PER_MINUTE)
    throw rateLimited(`举报太频繁了（每分钟最多 ${REPORTS_PER_MINUTE} 次），请稍后再试`);
  await stores.comments.report({ commentId, openid, reason, at: now });
}

function requirePlatformAdmin(ctx: FunctionContext): void {
  if (!ctx.config.platformAdmins.includes(ctx.openid))
    throw forbidden('只有平台管理员可以处理举报');
}

/** The moderation queue, most recently flagged first. */
export async function flaggedComments(
  ctx: FunctionContext,
  cursor: string | undefined,
  limit = DEFAULT_PAGE,
): Promise<{ comments: FlaggedComment[]; cursor: string | null }> {
  requirePlatformAdmin(ctx);
  const at = decodePosition(cursor);
  const found = await ctx.stores.comments.listFlagged(
    at && { flaggedAt: at.t, id: at.id },
    limit + 1,
  );
  const page = found.slice(0, limit);
  const key = identifierKeyBytes(ctx.config);
  const last = page[page.length - 1];
  return {
    comments: page.map((c) => ({
      id: c.id,
      itemId: c.itemId,
      text: c.text,
      // The pseudonym the item's readers see: the admin learns no more about the author than they do.
      author: authorLabel(c, '', key),
      createdAt: c.createdAt,
      flaggedAt: c.flaggedAt ?? c.createdAt,
      inReview: c.moderation === 'review',
      reports: c.reports ?? 0,
      reasons: c.reasons ?? {},
    })),
    cursor:
      found.length > limit
        ? encodePosition({ t: last.flaggedAt ?? last.createdAt, id: last.id })
        : null,
  };
}

/** Hides a comment from everyone, or restores it; takes it out of the queue; audited. */
export async function moderateComment(
  ctx: FunctionContext,
  commentId: string,
  decision: 'hide' | 'restore',
): Promise<void> {
  requirePlatformAdmin(ctx);
  if (!(await ctx.stores.comments.decide(commentId, decision === 'hide' ? 'hidden' : null)))
    throw notFound('评论不存在或已被删除');
  await ctx.stores.merchants.appendMerchantAudit({
    merchantId: PLATFORM_AUDIT,
    actor: ctx.openid,
    at: ctx.now(),
    action: decision === 'hide' ? 'comment.hide' : 'comment.restore',
    subject: commentId,
  });
}
