/**
 * Comments: an item's list (newest first, paged), posting under the same consent rules as
 * `track` (a recorded consent, no erasure running), and deleting one's own. A posted comment is
 * also appended to the event log as a `comment` event (event id = comment id, so it is stored
 * once) with the item counters `track` would bump: it is engagement the trainer learns from, and
 * the page no longer tracks a separate comment event. The event carries the comment id, not the
 * text, so deleting a comment leaves no copy of its words. The item's earlier commenters who
 * accepted a 回复 notice are sent one (server/content/subscribe-messages.ts).
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { CommentView } from '../../typings';
import { identifierKeyBytes } from '../config';
import { dayBucket, minuteBucket } from '../engine/time';
import { AppError, forbidden, notFound, rateLimited } from '../errors';
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

const view = (c: StoredComment, viewer: string, key: Buffer): CommentView => ({
  id: c.id,
  itemId: c.itemId,
  text: c.text,
  author: authorLabel(c, viewer, key),
  createdAt: c.createdAt,
  mine: c.openid === viewer,
});

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
  const page = found.slice(0, limit);
  const key = identifierKeyBytes(ctx.config);
  const last = page[page.length - 1];
  return {
    comments: page.map((c) => view(c, ctx.openid, key)),
    cursor: found.length > limit ? encodePosition({ t: last.createdAt, id: last.id }) : null,
  };
}

export async function postComment(
  ctx: FunctionContext,
  req: { itemId: string; text: string; slateId?: string; position?: number },
): Promise<CommentView> {
  const text = checkCommentText(req.text);
  const { stores, openid } = ctx;
  const now = ctx.now();
  const gate = await trackGate(stores, openid, now, ctx.config);
  if (!gate.store && gate.reason === 'erased')
    throw new AppError('CONFLICT', '正在删除你的数据，完成后再发表评论');
  if (!gate.store) throw forbidden('发表评论前需要先同意隐私说明（在「我的」页可查看）');
  const item = await publishedItem(stores, req.itemId);
  const [perMinute] = await stores.counters.add([
    { scope: 'rate', id: openid, bucket: minuteBucket(now), field: 'comments', by: 1 },
  ]);
  if (perMinute > COMMENTS_PER_MINUTE)
    throw rateLimited(`评论太频繁了（每分钟最多 ${COMMENTS_PER_MINUTE} 条），请稍后再试`);

  const comment: StoredComment = {
    id: randomUUID(),
    itemId: req.itemId,
    openid,
    text,
    createdAt: now,
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
  // The item's earlier commenters who asked to be told (订阅消息); bounded, and never fails the post.
  await noticeNewComment(stores, ctx.config, ctx.log, comment, item.title);
  return view(comment, openid, identifierKeyBytes(ctx.config));
}

export async function deleteComment(ctx: FunctionContext, commentId: string): Promise<void> {
  if (!(await ctx.stores.comments.remove(commentId, ctx.openid)))
    throw notFound('评论不存在或不是你发表的');
}
