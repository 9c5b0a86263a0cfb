/** Reads of the content function: one published item, one serving ad, and the caller's liked history. */
import type {
  AdView,
  AuthorView,
  ContentItem,
  ItemView,
  LikedEntry,
  RichNode,
} from '../../typings';
import { notFound } from '../errors';
import type { Stores } from '../ports';
import { authorView, followedAuthors } from '../social/authors';
import { proofFor } from '../social/proof';
import type { FunctionContext } from '../runtime/function';
import { DEFAULT_PAGE, decodePosition, encodePosition } from './cursor';
import { bodyNodes } from './rich-text';

/** The item as the feed's content card shows it (recommend's card item). */
export const itemView = (it: ContentItem): ItemView => ({
  id: it.id,
  title: it.title,
  summary: it.summary,
  category: it.category,
  tags: it.tags,
  cover: it.cover,
  publishedAt: it.publishedAt,
  ...(it.place ? { place: { city: it.place.city } } : {}),
});

/** A published item, or NOT_FOUND (unknown and unpublished items answer alike). */
export async function publishedItem(stores: Stores, itemId: string): Promise<ContentItem> {
  const [item] = await stores.catalog.get([itemId]);
  if (!item || item.status !== 'published') throw notFound('内容不存在或已下架');
  return item;
}

export async function getItem(
  ctx: FunctionContext,
  itemId: string,
): Promise<{
  item: ItemView;
  liked: boolean;
  socialProof?: number;
  author: AuthorView;
  body: RichNode[];
  likes: number;
  comments: number;
}> {
  const [item, liked, proof, authors, body, likes, comments] = await Promise.all([
    publishedItem(ctx.stores, itemId),
    ctx.stores.likes.liked(ctx.openid, [itemId]),
    proofFor(ctx.stores, ctx.openid, [itemId], ctx.now(), ctx.config),
    followedAuthors(ctx.stores, ctx.openid),
    ctx.stores.catalog.body(itemId),
    ctx.stores.likes.countLiked(itemId),
    ctx.stores.comments.countVisible(itemId),
  ]);
  const ties = proof.get(itemId);
  return {
    item: itemView(item),
    liked: liked.includes(itemId),
    ...(ties !== undefined ? { socialProof: ties } : {}),
    author: authorView(item.authorId, authors.includes(item.authorId)),
    body: body ? bodyNodes(body, ctx.config.bodyImageHosts) : [],
    likes,
    comments,
  };
}

/** An active campaign inside its schedule, as its landing page shows it; NOT_FOUND otherwise (ended, paused, unknown). */
export async function getAd(ctx: FunctionContext, adId: string): Promise<AdView> {
  const now = ctx.now();
  const c = await ctx.stores.ads.getCampaign(adId);
  if (!c || c.status !== 'active' || now < c.startAt || now >= c.endAt)
    throw notFound('广告不存在或已下线');
  const merchant = await ctx.stores.ads.getMerchant(c.merchantId);
  return {
    kind: 'ad',
    sponsored: true,
    adId: c.id,
    advertiser: merchant?.name?.trim() || '广告主',
    merchantId: c.merchantId,
    creative: c.creative,
    ...(c.offer ? { offer: c.offer } : {}),
  };
}

/**
 * The caller's liked items, latest like first. Items since unpublished are left out of the page
 * (so a page may hold fewer than `limit`); the cursor follows the likes, so paging goes on.
 */
export async function listLikes(
  ctx: FunctionContext,
  cursor: string | undefined,
  limit = DEFAULT_PAGE,
): Promise<{ items: LikedEntry[]; cursor: string | null }> {
  const at = decodePosition(cursor);
  const entries = await ctx.stores.likes.list(
    ctx.openid,
    at && { at: at.t, itemId: at.id },
    limit + 1,
  );
  const page = entries.slice(0, limit);
  const items = new Map(
    (await ctx.stores.catalog.get(page.map((e) => e.itemId)))
      .filter((it) => it.status === 'published')
      .map((it) => [it.id, it]),
  );
  const last = page[page.length - 1];
  return {
    items: page.flatMap((e) => {
      const it = items.get(e.itemId);
      return it ? [{ item: itemView(it), likedAt: e.at }] : [];
    }),
    cursor: entries.length > limit ? encodePosition({ t: last.at, id: last.itemId }) : null,
  };
}
