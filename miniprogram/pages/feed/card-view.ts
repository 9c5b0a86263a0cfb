/** What the feed template needs from a served card: flat, small (setData cost), keyed by item id. */
import type { FeedCard } from '../../../typings';
import { adReasonText } from './ad-reason';
import { imageSrc } from '../../services/upload';
import { sizedImage } from '../../services/image-size';

/** The cover's box in components/feed-card (its van-image width / height): the picture is asked at that size. */
export const COVER_RPX = { width: 216, height: 162 };

export interface CardView {
  /** wx:key: the item id, or "ad@<position>" for an ad (unique within the rendered list). */
  key: string;
  /** What the card's events name: exactly one of itemId / adId is non-empty. */
  itemId: string;
  adId: string;
  /** True for an ad: rendered with a visible 广告 mark. */
  sponsored: boolean;
  /** The slate the card was served in, and its position there: what its events name. */
  slateId: string;
  position: number;
  title: string;
  summary: string;
  /** The category tag of content; the advertiser of an ad. */
  category: string;
  cover: string;
  /** Ads only: why the user sees it ("为什么看到这条广告"), as a sentence. */
  reason: string;
  /** Content only: social proof ("3 位好友赞过"), empty when the server sent none. */
  proof: string;
}

/**
 * Social proof in words: the server sends a count only from 3 ties up (and never who), so any
 * other value is shown as nothing.
 */
export function proofText(count: number | undefined): string {
  return count !== undefined && Number.isInteger(count) && count >= 3 ? `${count} 位好友赞过` : '';
}

/**
 * What a card can show: the title in at most two lines and the summary in three, so anything
 * longer is cut here rather than shipped through setData and clipped by WXSS. Keeps the feed's
 * first-screen payload bounded whatever the catalog holds (test: feed.test.ts, 64 KB).
 */
export const TITLE_MAX = 60;
export const SUMMARY_MAX = 120;

/** At most `max` characters (code points, so an emoji is never split), with … when cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export function toCardView(card: FeedCard, slateId: string): CardView {
  const base = { slateId, position: card.position };
  if (card.kind === 'ad') {
    const { creative } = card;
    return {
      ...base,
      key: `ad@${card.position}`,
      itemId: '',
      adId: card.adId,
      sponsored: true,
      title: clip(creative.title, TITLE_MAX),
      summary: clip(creative.description, SUMMARY_MAX),
      category: card.advertiser,
      cover: sizedImage(imageSrc(creative.image), COVER_RPX.width, COVER_RPX.height),
      reason: adReasonText(card.reason),
      proof: '',
    };
  }
  const { item } = card;
  return {
    ...base,
    key: item.id,
    itemId: item.id,
    adId: '',
    sponsored: false,
    title: clip(item.title, TITLE_MAX),
    summary: clip(item.summary, SUMMARY_MAX),
    category: item.place ? `${item.category} · ${placeText(item.place)}` : item.category,
    cover: sizedImage(item.cover, COVER_RPX.width, COVER_RPX.height),
    reason: '',
    proof: proofText(card.socialProof),
  };
}

/** A travel item's city, and its distance when the user shared where they are: "成都 1.1 km". */
export function placeText(place: { city: string; distanceKm?: number }): string {
  return place.distanceKm === undefined ? place.city : `${place.city} ${place.distanceKm} km`;
}

/**
 * Views for the cards not already shown: a page boundary must never render an item twice, and a
 * card the user hid (its key in `hidden`) must not come back on the next page.
 */
export function newViews(
  cards: FeedCard[],
  slateId: string,
  shown: CardView[],
  hidden: ReadonlySet<string> = new Set(),
): CardView[] {
  const seen = new Set([...shown.map((c) => c.key), ...hidden]);
  const out: CardView[] = [];
  for (const card of cards) {
    const view = toCardView(card, slateId);
    if (seen.has(view.key)) continue;
    seen.add(view.key);
    out.push(view);
  }
  return out;
}
