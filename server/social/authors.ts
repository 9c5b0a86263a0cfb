/**
 * Following content authors (creators): a follow of an item's author, stored among the user's
 * follows as "author:<authorId>" (the train social step leaves such follows out of the people
 * graph), the list of followed authors, and the author part of an item's detail. The feed's
 * author source (server/serving/page/read.ts reads the follows) brings a followed author's items in.
 */
import type { AuthorView } from '../../typings';
import { notFound } from '../errors';
import type { Stores } from '../ports';
import type { FunctionContext } from '../runtime/function';
import { countTap, requireConsent } from './people';

export const AUTHOR_PREFIX = 'author:';
/** Followed authors read for the feed and an item's detail (a bound, not a page). */
export const AUTHORS_READ = 200;

const keyOf = (authorId: string): string => `${AUTHOR_PREFIX}${authorId}`;

/** What the pages call an author: the catalog has no display names, so one is made from the id. */
export const authorView = (id: string, following: boolean): AuthorView => ({
  id,
  name: `作者 ${id}`,
  following,
});

/** The ids of the authors the user follows, by id, at most `limit`. */
export async function followedAuthors(
  stores: Stores,
  openid: string,
  limit = AUTHORS_READ,
): Promise<string[]> {
  // Follows are ordered by followee: the authors' keys are one run starting after the prefix.
  const rows = await stores.social.following(openid, AUTHOR_PREFIX, limit);
  return rows
    .map((f) => f.followee)
    .filter((k) => k.startsWith(AUTHOR_PREFIX))
    .map((k) => k.slice(AUTHOR_PREFIX.length));
}

/** Follows the author of a published item (the caller is reading it); unknown or unpublished: NOT_FOUND. */
export async function followAuthor(ctx: FunctionContext, itemId: string): Promise<AuthorView> {
  const { stores, openid } = ctx;
  const now = ctx.now();
  await requireConsent(stores, openid, now, ctx.config);
  const [item] = await stores.catalog.get([itemId]);
  if (!item || item.status !== 'published') throw notFound('内容不存在或已下架，无法关注作者');
  // Counted only once the author is known: a refused request writes nothing, not even a count.
  await countTap(stores, openid, now);
  await stores.social.follow({ follower: openid, followee: keyOf(item.authorId), at: now });
  return authorView(item.authorId, true);
}

export async function unfollowAuthor(ctx: FunctionContext, authorId: string): Promise<void> {
  const { stores, openid } = ctx;
  if (!(await followedAuthors(stores, openid)).includes(authorId))
    throw notFound('你没有关注这位作者');
  await countTap(stores, openid, ctx.now());
  if (!(await stores.social.unfollow(openid, keyOf(authorId))))
    throw notFound('你没有关注这位作者');
}

export async function listAuthors(ctx: FunctionContext, limit: number): Promise<AuthorView[]> {
  return (await followedAuthors(ctx.stores, ctx.openid, limit)).map((id) => authorView(id, true));
}
