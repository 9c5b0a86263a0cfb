/**
 * The click model's input for one served card, built the same way when training (from a
 * labelled impression) and when serving (from a candidate): user profile, item, context.
 * A non-personalised slate uses no user feature at all, as PIPL opt-out requires.
 */
import type {
  ContextFeatures,
  CtrInput,
  GraphFeatures,
  ItemFeatures,
  UserFeatures,
} from '../features/transformer';
import type { ItemMeta, UserProfile } from '../profiles/profile';
import { recencyHours, topInterests } from '../profiles/profile';

const CST_OFFSET_MS = 8 * 3_600_000;
/** Interest tags given to the model, strongest first. */
export const MODEL_INTERESTS = 8;

export interface CardContext {
  /** When the card was shown (or is being scored), epoch ms. */
  at: number;
  position: number;
  scene: number | null;
}

export interface CardItem {
  itemId?: string;
  adId?: string;
  /** Catalog facts when known. */
  meta?: (ItemMeta & { publishedAt?: number; merchantId?: string }) | null;
}

/**
 * The user part of a card's click features. `graph`: the user's social record's features when
 * graph features are on (serving and training read the same record the social step writes);
 * a user without a record, or with them off, gets no graph token.
 */
export function userFeatures(
  openid: string,
  profile: UserProfile | null,
  at: number,
  personalised: boolean,
  graph: GraphFeatures | null = null,
): UserFeatures {
  if (!personalised) return { id: 'anonymous' };
  if (!profile) return graph ? { id: openid, graph } : { id: openid };
  return {
    ...(graph ? { graph } : {}),
    id: openid,
    interests: topInterests(profile, MODEL_INTERESTS, at).map((s) => s.tag),
    browseCount: profile.counts.impression ?? 0,
    likeCount: profile.counts.like ?? 0,
    commentCount: profile.counts.comment ?? 0,
    shareCount: profile.counts.share ?? 0,
    recencyHours: recencyHours(profile, at),
    dwellCount: profile.counts.dwell ?? 0,
  };
}

export function cardInput(user: UserFeatures, card: CardItem, ctx: CardContext): CtrInput {
  return { user, item: cardItemFeatures(card, ctx.at), context: cardContextFeatures(ctx) };
}

/** The item (or ad) part of a card's click features, scored at time `at`. */
export function cardItemFeatures(card: CardItem, at: number): ItemFeatures {
  const meta = card.meta ?? null;
  const item: ItemFeatures = { id: card.itemId ?? card.adId ?? 'unknown' };
  if (card.adId !== undefined) item.adId = card.adId;
  if (meta) {
    item.category = meta.category;
    item.tags = meta.tags;
    if (meta.merchantId !== undefined) item.merchantId = meta.merchantId;
    if (meta.publishedAt !== undefined)
      item.ageHours = Math.max(0, (at - meta.publishedAt) / 3_600_000);
  }
  return item;
}

/** The context part of a card's click features (hour and weekday in China Standard Time). */
export function cardContextFeatures(ctx: CardContext): ContextFeatures {
  const local = new Date(ctx.at + CST_OFFSET_MS);
  const context: ContextFeatures = {
    position: ctx.position,
    hour: local.getUTCHours(),
    weekday: local.getUTCDay(),
  };
  if (ctx.scene !== null) context.scene = String(ctx.scene);
  return context;
}
