/**
 * The feed's last first page per channel, on the device, so the feed still shows something
 * offline (issue 20: offline and network changes). Only content cards are kept: an ad's campaign
 * may have ended or spent its budget since, and an ad is never shown from a cache. Pages ranked
 * for a shared location are not kept (the location is never stored, on the server or here).
 * Bounded: one page per channel, at most MAX_CHANNELS channels and MAX_BYTES per page, and a
 * page older than MAX_AGE_MS is not shown. Erasure clears it with the rest of the user's data.
 */
import type { ContentCard, FeedCard } from '../../typings';

const PREFIX = 'rs_feed_cache:';
const INDEX_KEY = 'rs_feed_cache_index';
/** A week: older cards are more likely gone from the catalog than useful. */
export const MAX_AGE_MS = 7 * 24 * 3600 * 1000;
/** A page of ten cards is ~5 KB; anything far larger is not worth storage the app needs. */
export const MAX_BYTES = 64 * 1024;
/** The feed has a handful of channels; a stale key never grows the list past this. */
export const MAX_CHANNELS = 8;

export interface CachedFeedPage {
  slateId: string;
  cards: ContentCard[];
  savedAt: number;
}

export type FeedCacheWx = Pick<
  WechatMiniprogram.Wx,
  'getStorageSync' | 'setStorageSync' | 'removeStorageSync'
>;

const keyOf = (channel: string | undefined): string => PREFIX + (channel || '全部');

function index(w: FeedCacheWx): string[] {
  const v = w.getStorageSync(INDEX_KEY);
  return Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string') : [];
}

/** Keeps the page's content cards as the channel's offline page; storage errors only skip it. */
export function saveFeedPage(
  w: FeedCacheWx,
  channel: string | undefined,
  slateId: string,
  cards: FeedCard[],
  now: number,
): void {
  const content = cards.filter((c): c is ContentCard => c.kind === 'content');
  if (!content.length) return;
  const page: CachedFeedPage = { slateId, cards: content, savedAt: now };
  if (JSON.stringify(page).length > MAX_BYTES) return;
  const key = keyOf(channel);
  try {
    const keys = [key, ...index(w).filter((k) => k !== key)];
    for (const old of keys.slice(MAX_CHANNELS)) w.removeStorageSync(old);
    w.setStorageSync(key, page);
    w.setStorageSync(INDEX_KEY, keys.slice(0, MAX_CHANNELS));
  } catch {
    // storage full: the online feed works the same, only the offline copy is missing
  }
}

/**
 * What storage holds under `key` as a page (the one parse of a stored page): null when it is not
 * one; only its well-formed content cards kept.
 */
function readPage(w: FeedCacheWx, key: string): CachedFeedPage | null {
  const v = w.getStorageSync(key) as Partial<CachedFeedPage> | '';
  if (!v || typeof v !== 'object' || !Array.isArray(v.cards) || typeof v.slateId !== 'string')
    return null;
  if (typeof v.savedAt !== 'number') return null;
  const cards = v.cards.filter((c) => c && c.kind === 'content' && c.item && c.item.id);
  return { slateId: v.slateId, cards, savedAt: v.savedAt };
}

/** The channel's offline page, if one was kept and is not too old. */
export function loadFeedPage(
  w: FeedCacheWx,
  channel: string | undefined,
  now: number,
): CachedFeedPage | null {
  const page = readPage(w, keyOf(channel));
  if (!page || now - page.savedAt > MAX_AGE_MS || page.savedAt > now + 60_000) return null;
  return page.cards.length ? page : null;
}

/** Takes a hidden item out of the channel's offline page. */
export function dropFromFeedCache(
  w: FeedCacheWx,
  channel: string | undefined,
  itemId: string,
): void {
  const key = keyOf(channel);
  const page = readPage(w, key);
  if (!page) return; // nothing kept, or nothing loadFeedPage would ever show
  try {
    w.setStorageSync(key, { ...page, cards: page.cards.filter((c) => c.item.id !== itemId) });
  } catch {
    w.removeStorageSync(key); // cannot rewrite it: better no offline copy than one with the item
  }
}

/** Forgets every channel's page (after an erasure: the slates they name are gone too). */
export function clearFeedCache(w: FeedCacheWx): void {
  for (const k of index(w)) w.removeStorageSync(k);
  w.removeStorageSync(INDEX_KEY);
}

/** "网络不可用，显示的是 5 分钟前加载的内容" (minutes, hours or days, whichever reads best). */
export function offlineNotice(savedAt: number, now: number): string {
  const minutes = Math.max(0, Math.floor((now - savedAt) / 60_000));
  const ago =
    minutes < 1
      ? '刚才'
      : minutes < 60
        ? `${minutes} 分钟前`
        : minutes < 24 * 60
          ? `${Math.floor(minutes / 60)} 小时前`
          : `${Math.floor(minutes / (24 * 60))} 天前`;
  return `网络不可用，显示的是${ago}加载的内容`;
}
