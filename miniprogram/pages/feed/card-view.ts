/** What the feed template needs from a served card: flat, small (setData cost), keyed by item id. */
import type { FeedCard } from '../../../typings';

export interface CardView {
  /** wx:key: the item id (unique within the rendered list). */
  key: string;
  /** The slate the card was served in, and its position there: what its events name. */
  slateId: string;
  position: number;
  title: string;
  summary: string;
  category: string;
  cover: string;
}

export function toCardView(card: FeedCard, slateId: string): CardView {
  const { item } = card;
  return {
    key: item.id,
    slateId,
    position: card.position,
    title: item.title,
    summary: item.summary,
    category: item.category,
    cover: item.cover,
  };
}

/** Views for the cards not already shown: a page boundary must never render an item twice. */
export function newViews(cards: FeedCard[], slateId: string, shown: CardView[]): CardView[] {
  const seen = new Set(shown.map((c) => c.key));
  const out: CardView[] = [];
  for (const card of cards) {
    if (seen.has(card.item.id)) continue;
    seen.add(card.item.id);
    out.push(toCardView(card, slateId));
  }
  return out;
}
