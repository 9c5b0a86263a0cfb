/**
 * The feed's most recently served cards, in memory, so the detail and ad pages render the card
 * that was tapped at once (with its slate's ad reason) and ask `content` item.get / ad.get only
 * when they open cold. Bounded, oldest dropped first.
 */
import type { AdCard, ContentCard, FeedCard } from '../../typings';

/** A few pages of feed: enough for any card still on screen, small enough to never matter. */
const MAX_CARDS = 200;

const items = new Map<string, ContentCard['item']>();
const ads = new Map<string, AdCard>();

function put<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key); // re-inserting moves the key to the newest end
  map.set(key, value);
  if (map.size > MAX_CARDS) map.delete(map.keys().next().value as string);
}

/** Called by the feed with every page it renders. */
export function rememberCards(cards: FeedCard[]): void {
  for (const card of cards) {
    if (card.kind === 'ad') put(ads, card.adId, card);
    else put(items, card.item.id, card.item);
  }
}

/** The content item last served with this id, or undefined (e.g. opened from a share on a fresh launch). */
export function recallItem(itemId: string): ContentCard['item'] | undefined {
  return items.get(itemId);
}

/** The ad card last served for this campaign, or undefined. */
export function recallAd(adId: string): AdCard | undefined {
  return ads.get(adId);
}

/** Empties the store (tests). */
export function forgetCards(): void {
  items.clear();
  ads.clear();
}
