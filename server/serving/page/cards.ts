/**
 * servePage's card stages, pure: content cards from the ranked items, each served card's tap
 * probability at its own position (the client's prefetch, issue 18), and social proof.
 */
import type { ContentCard, ContentItem, FeedCard } from '../../../typings';
import type { GraphFeatures } from '../../engine/features/transformer';
import type { UserProfile } from '../../engine/profiles/profile';
import { distanceKm, type GeoPoint } from '../../engine/ranking/candidates/nearby';
import type { ClickScorer, RankedCard } from '../../engine/ranking/pipeline';
import type { TieEngagement } from '../../engine/social/proof';
import { cardInput, userFeatures } from '../../engine/training/features';
import { itemView } from '../../content/lookups';
import { proofOf } from '../../social/proof';
import type { CatalogSnapshot } from '../warm-state';

/** Whole km, or one decimal under 10 km: what a card shows, no more precise than that. */
export const roundKm = (km: number): number =>
  km < 10 ? Math.round(km * 10) / 10 : Math.round(km);

/** A content card; `pctr`, the click model's tap probability, rides along for the client's prefetch (issue 18). */
export function contentCard(
  it: ContentItem,
  position: number,
  from: GeoPoint | null | undefined,
  pctr: number | null,
): ContentCard {
  return {
    kind: 'content',
    position,
    // The item as every card shows it (content's itemView), and how far its place is from the user.
    item:
      it.place && from
        ? {
            ...itemView(it),
            place: { city: it.place.city, distanceKm: roundKm(distanceKm(from, it.place)) },
          }
        : itemView(it),
    ...(pctr !== null && Number.isFinite(pctr) ? { pctr: Math.round(pctr * 1e4) / 1e4 } : {}),
  };
}

/** The ranked items as content cards at consecutive positions from `offset` (ads are woven in after). */
export const contentCards = (
  ranked: readonly RankedCard[],
  items: CatalogSnapshot['items'],
  offset: number,
  from: GeoPoint | null | undefined,
): ContentCard[] => ranked.map((c, k) => contentCard(items.get(c.itemId)!, offset + k, from, null));

/** Who is scored and in which context, for tapProbabilities. */
export interface TapContext {
  openid: string;
  profile: UserProfile | null;
  personalised: boolean;
  graph: GraphFeatures | null;
  scene: number | null;
  now: number;
}

/**
 * Each content card with the click model's tap probability where it was served: the ranking
 * scored candidates at the page's first position (all it knew then), and the model's position
 * feature matters to whoever acts on a card's own chance of a tap (the client's prefetch, issue 18).
 */
export function tapProbabilities(
  cards: FeedCard[],
  scorer: ClickScorer | null,
  items: CatalogSnapshot['items'],
  who: TapContext,
): FeedCard[] {
  if (!scorer) return cards;
  const user = userFeatures(who.openid, who.profile, who.now, who.personalised, who.graph);
  return cards.map((c) => {
    const it = c.kind === 'content' ? items.get(c.item.id) : undefined;
    if (c.kind !== 'content' || !it) return c;
    const p = scorer.predict(
      cardInput(
        user,
        { itemId: it.id, meta: it },
        { at: who.now, position: c.position, scene: who.scene },
      ),
    );
    return Number.isFinite(p) ? { ...c, pctr: Math.round(p * 1e4) / 1e4 } : c;
  });
}

/** Social proof on the page's content cards ("3 位好友赞过"): counts only, only from 3 ties up. */
export function withProof(cards: FeedCard[], ties: readonly TieEngagement[]): FeedCard[] {
  if (!ties.length) return cards;
  const proof = proofOf(
    ties,
    cards.flatMap((c) => (c.kind === 'content' ? [c.item.id] : [])),
  );
  return cards.map((c) => {
    const n = c.kind === 'content' ? proof.get(c.item.id) : undefined;
    return n !== undefined ? { ...c, socialProof: n } : c;
  });
}
