/**
 * `content`: what the end-user pages read and write about content beyond the feed — an item or
 * an ad by id (a shared link opened on a fresh launch) with its body and counts, an item's comments
 * (list with replies, post through WeChat's content-safety check, delete one's own, 举报, the
 * admins' moderation queue), search over the catalog and its 热门搜索, the caller's liked history, their 行程
 * (trip.*), and the social actions (follows of people and of authors, suggestions, the hide-me
 * switch, a share opened in a group). Identity only from the WeChat context.
 */
import type { ContentResponse } from '../../../typings';
import { defineFunction } from '../../runtime/function';
import { deleteComment, listComments, postComment } from '../../content/comments';
import { getAd, getItem, listLikes } from '../../content/lookups';
import { setLike } from '../../content/likes';
import { searchItems } from '../../content/search';
import { hotQueries } from '../../content/hot-queries';
import { flaggedComments, moderateComment, reportComment } from '../../content/moderation';
import { addToTrip, removeFromTrip, tripOf } from '../../content/trips';
import { follow, listFollows, setHidden, suggestions, unfollow } from '../../social/people';
import { openedInGroup } from '../../social/groups';
import { followAuthor, listAuthors, unfollowAuthor } from '../../social/authors';
import { contentInput } from './schema';
import { CONTENT_TIMEOUT_SECONDS } from '../../events/writers';

export default defineFunction({
  name: 'content',
  input: contentInput,
  cloud: {
    timeoutSeconds: CONTENT_TIMEOUT_SECONDS,
    openapi: ['security.msgSecCheck', 'subscribeMessage.send'],
  },
  async handle(req, ctx): Promise<ContentResponse> {
    switch (req.action) {
      case 'item.get':
        return { action: req.action, ...(await getItem(ctx, req.itemId)) };
      case 'ad.get':
        return { action: req.action, ad: await getAd(ctx, req.adId) };
      case 'comment.list':
        return {
          action: req.action,
          ...(await listComments(ctx, req.itemId, req.cursor, req.limit)),
        };
      case 'comment.post':
        return { action: req.action, comment: await postComment(ctx, req) };
      case 'comment.delete':
        await deleteComment(ctx, req.commentId);
        return { action: req.action, deleted: true };
      case 'comment.report':
        await reportComment(ctx, req.commentId, req.reason);
        return { action: req.action, reported: true };
      case 'comment.flagged':
        return { action: req.action, ...(await flaggedComments(ctx, req.cursor, req.limit)) };
      case 'comment.moderate':
        await moderateComment(ctx, req.commentId, req.decision);
        return { action: req.action, decision: req.decision };
      case 'like.set':
        return { action: req.action, liked: await setLike(ctx, req.itemId, req.liked, req.at) };
      case 'search':
        return { action: req.action, ...(await searchItems(ctx, req.query, req.limit)) };
      case 'search.hot':
        return { action: req.action, queries: await hotQueries(ctx) };
      case 'likes.list':
        return { action: req.action, ...(await listLikes(ctx, req.cursor, req.limit)) };
      case 'social.follow':
        return { action: req.action, person: await follow(ctx, req.handle) };
      case 'social.unfollow':
        await unfollow(ctx, req.handle);
        return { action: req.action, unfollowed: true };
      case 'social.following':
      case 'social.followers': {
        const which = req.action === 'social.following' ? 'following' : 'followers';
        return { action: req.action, people: await listFollows(ctx, which, req.limit ?? 20) };
      }
      case 'social.suggestions':
        return { action: req.action, ...(await suggestions(ctx)) };
      case 'social.hide':
        return { action: req.action, hidden: await setHidden(ctx, req.hidden) };
      case 'social.group':
        return {
          action: req.action,
          ...(await openedInGroup(ctx, req.cloudID, req.shareId ?? null)),
        };
      case 'trip.add':
        return { action: req.action, trip: await addToTrip(ctx, req.itemId) };
      case 'trip.remove':
        return { action: req.action, trip: await removeFromTrip(ctx, req.itemId) };
      case 'trip.list':
        return { action: req.action, trip: await tripOf(ctx) };
      case 'author.follow':
        return { action: req.action, author: await followAuthor(ctx, req.itemId) };
      case 'author.unfollow':
        await unfollowAuthor(ctx, req.authorId);
        return { action: req.action, unfollowed: true };
      case 'author.following':
        return { action: req.action, authors: await listAuthors(ctx, req.limit ?? 20) };
    }
  },
});
