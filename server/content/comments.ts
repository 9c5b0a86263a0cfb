/**
 * Comments: an item's list (newest first, paged), posting under the same consent rules as
 * `track` (a recorded consent, no erasure running), and deleting one's own. A posted comment is
 * also appended to the event log as a `comment` event (event id = comment id, so it is stored
 * once) with the item counters `track` would bump: it is engagement the trainer learns from, and
 * the page no longer tracks a separate comment event. The event carries the comment id, not the
 * text, so deleting a comment leaves no copy of its words. Replies join their thread (one level
 * of nesting); WeChat's content-safety check judges every posted text (risky: refused; review:
 * kept for a moderator, shown to its author only). Who accepted a 回复 notice is sent one: the
 * author of the comment a reply answers, or for a top-level comment the item's earlier commenters
 * (server/content/subscribe-messages.ts).
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { CommentView } from '../../typings';
import { identifierKeyBytes } from '../config';
import { dayBucket, minuteBucket } from '../engine/time';
import { AppError, forbidden, notFound, rateLimited, unavailable } from '../errors';
import type { StoredComment, StoredEvent } from '../ports';
import { trackGate } from '../privacy/gate';
import type { FunctionContext } from '../runtime/function';
import { eventDeltas } from '../events/counting';
import { checkCommentText } from './comment-rules';
import { DEFAULT_PAGE, decodePosition, encodePosition } from './cursor';
import { publishedItem } from './lookups';
import { noticeNewComment } from './subscribe-messages';

export const COMMENTS_PER_MINUTE = 10;
/** The page the server-recorded comment event names (where comments are posted). */
export const COMMENT_PAGE = 'pages/detail/index';
/** msgSecCheck's scene for comments (2 评论). */
const COMMENT_SCENE = 2;

/**
 * No name is stored or shown: others see a pseudonym that is stable within one item's thread
 * (so a conversation can be followed) and differs between items (so threads cannot be joined up).
 * It is an HMAC under the server's identifier key: an unkeyed hash of (item, openid) would let
 * anyone who knows a person's openid compute their pseudonym on every item and find all their
 * comments. 32 bits, so two authors in one thread practically never share one.
 */
export function authorLabel(
  c: Pick<StoredComment, 'itemId' | 'openid'>,
  viewer: string,
  key: Buffer,
): string {
  if (c.openid === viewer) return '我';
  const mac = createHmac('sha256', key).update(`comment-author\u0000${c.itemId}\u0000${c.openid}`);
  return `用户${mac.digest('hex').slice(0, 8).toUpperCase()}`;
}

/** Whether the viewer may see the comment: everyone sees visible ones, the author their own under review. */
export const visibleTo = (c: StoredComment, viewer: string): boolean =>
  c.moderation === undefined || (c.moderation === 'review' && c.openid === viewer);

const view = (c: StoredComment, viewer: string, key: Buffer): CommentView => ({
  id: c.id,
  itemId: c.itemId,
  text: c.text,
  author: authorLabel(c, viewer, key),
  createdAt: c.createdAt,
  mine: c.openid === viewer,
  ...(c.parentId ? { parentId: c.parentId } : {}),
  ...(c.moderation === 'review' ? { inReview: true as const } : {}),
});

/** Replies shown per page of threads, at most. */
export const MAX_REPLIES_PER_PAGE = 200;

export async function listComments(
  ctx: FunctionContext,
  itemId: string,
  cursor: string | undefined,
  limit = DEFAULT_PAGE,
): Promise<{ comments: CommentView[]; cursor: string | null }> {
  const at = decodePosition(cursor);
  await publishedItem(ctx.stores, itemId);
  const found = await ctx.stores.comments.listForItem(
    itemId,
    at && { createdAt: at.t, id: at.id },
    limit + 1,
  );
  // The cursor follows the stored list; a page leaves out what the viewer may not see (so it may hold fewer).
  const page = found.slice(0, limit);
  const shown = page.filter((c) => visibleTo(c, ctx.openid));
  const replies = await ctx.stores.comments.listReplies(
    shown.map((c) => c.id),
    MAX_REPLIES_PER_PAGE,
  );
  const key = identifierKeyBytes(ctx.config);
  const byId = new Map(replies.map((r) => [r.id, r]));
  const thread = new Map<string, CommentView[]>();
  for (const r of replies) {
    if (!visibleTo(r, ctx.openid) || !r.parentId) continue;
    const target = r.replyTo ? byId.get(r.replyTo) : undefined;
    const v = view(r, ctx.openid, key);
    if (target) v.replyToAuthor = authorLabel(target, ctx.openid, key);
    (thread.get(r.parentId) ?? thread.set(r.parentId, []).get(r.parentId)!).push(v);
  }
  const last = page[page.length - 1];
  return {
    comments: shown.map((c) => ({ ...view(c, ctx.openid, key), replies: thread.get(c.id) ?? [] })),
    cursor: found.length > limit ? encodePosition({ t: last.createdAt, id: last.id }) : null,
  };
}

/** Where a reply goes: the thread's top-level comment, and the reply it answers (if it answers one). */
async function replyPlace(
  ctx: FunctionContext,
  itemId: string,
  replyTo: string,
): Promise<{ parentId: string; replyTo?: string; target: StoredComment }> {
  const target = await ctx.stores.comments.get(replyTo);
  if (!target || target.itemId !== itemId || !visibleTo(target, ctx.openid))
    throw notFound('要回复的评论不存在或已被删除');
  return target.parentId
    ? { parentId: target.parentId, replyTo: target.id, target }
    : { parentId: target.id, target };
}

export async function postComment(
  ctx: FunctionContext,
  req: { itemId: string; text: string; slateId?: string; position?: number; replyTo?: string },
): Promise<CommentView> {
  const text = checkCommentText(req.text);
  const { stores, openid } = ctx;
  const now = ctx.now();
  const gate = await trackGate(stores, openid, now, ctx.config);
  if (!gate.store && gate.reason === 'erased')
    throw new AppError('CONFLICT', '正在删除你的数据，完成后再发表评论');
  if (!gate.store) throw forbidden('发表评论前需要先同意隐私说明（在「我的」页可查看）');
  const item = await publishedItem(stores, req.itemId);
  const place = req.replyTo ? await replyPlace(ctx, req.itemId, req.replyTo) : undefined;
  const [perMinute] = await stores.counters.add([
    { scope: 'rate', id: openid, bucket: minuteBucket(now), field: 'comments', by: 1 },
  ]);
  if (perMinute > COMMENTS_PER_MINUTE)
    throw rateLimited(`评论太频繁了（每分钟最多 ${COMMENTS_PER_MINUTE} 条），请稍后再试`);

  // After the cheap refusals: WeChat's check is a network call (and WeChat limits its rate).
  let verdict;
  try {
    verdict = await stores.contentSafety.check(text, openid, COMMENT_SCENE);
  } catch (err) {
    ctx.log.error('content safety check failed', { error: String(err) });
    throw unavailable('内容安全检查暂时不可用，请稍后再试');
  }
  if (verdict === 'risky')
    throw new AppError(
      'COMMENT_REJECTED',
      '评论含有不允许发布的内容（如引流、广告信息），请修改后重试',
    );
  const comment: StoredComment = {
    id: randomUUID(),
    itemId: req.itemId,
    openid,
    text,
    createdAt: now,
    ...(place ? { parentId: place.parentId } : {}),
    ...(place?.replyTo ? { replyTo: place.replyTo } : {}),
    ...(verdict === 'review' ? { moderation: 'review' as const, flaggedAt: now } : {}),
  };
  await stores.comments.add(comment);
  const event: StoredEvent = {
    openid,
    eventId: comment.id,
    type: 'comment',
    serverTime: now,
    clientTime: now,
    clockSkewed: false,
    sessionId: 'content-fn',
    page: COMMENT_PAGE,
    itemId: req.itemId,
    props: { commentId: comment.id },
    ...(req.slateId !== undefined ? { slateId: req.slateId } : {}),
    ...(req.position !== undefined ? { position: req.position } : {}),
  };
  // Stored and counted as one unit, as track stores its events (a crash in between cannot leave it uncounted).
  const { inserted } = await stores.events.appendCounted([event], eventDeltas);
  if (inserted.length > 0)
    await stores.counters.add([
      { scope: 'ingest', id: 'all', bucket: dayBucket(now), field: 'accepted', by: 1 },
    ]);
  // Who asked to be told (订阅消息): a reply's target's author, else the item's earlier commenters;
  // bounded, and never fails the post.
  await noticeNewComment(stores, ctx.config, ctx.log, comment, item.title, place?.target.openid);
  const key = identifierKeyBytes(ctx.config);
  const v = view(comment, openid, key);
  if (place?.replyTo) v.replyToAuthor = authorLabel(place.target, openid, key);
  return v;
}

export async function deleteComment(ctx: FunctionContext, commentId: string): Promise<void> {
  if (!(await ctx.stores.comments.remove(commentId, ctx.openid)))
    throw notFound('评论不存在或不是你发表的');
}
