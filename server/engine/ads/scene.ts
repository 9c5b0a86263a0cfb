/**
 * Which campaigns a deployment's scene (SCENE: 金融理财, 旅游出行 …) may advertise: the scene's rule
 * on content applies to ads too. A campaign belongs to a scene when what it advertises is about
 * one of the scene's categories — its interest targeting names one, or its landing is an item of
 * one — or when it is a risk-rated financial product and the scene takes those (金融理财).
 * A campaign that says nothing of what it is about (broad targeting, a page landing) belongs to
 * the general scene only. A scene serving every category takes every campaign.
 */
import type { Campaign } from '../../../typings';

export interface AdScene {
  /** The content categories the scene serves; null: every one, and every campaign. */
  categories: readonly string[] | null;
  /** Risk-rated products (R1–R5) belong to the scene whatever their targeting (金融理财). */
  ratedProducts: boolean;
}

/** The general scene's rule: every campaign. */
export const EVERY_CAMPAIGN: AdScene = { categories: null, ratedProducts: true };

/**
 * Whether the campaign (or a campaign input, which the merchant editor checks before saving) may be advertised in the scene. `categoryOf` gives a catalog item's
 * category (undefined when the item is unknown, e.g. unpublished: it then says nothing).
 */
export function inAdScene(
  c: Pick<Campaign, 'riskLevel' | 'targeting' | 'creative'>,
  scene: AdScene | null | undefined,
  categoryOf: (itemId: string) => string | undefined,
): boolean {
  if (!scene || scene.categories === null) return true;
  if (scene.ratedProducts && c.riskLevel !== undefined) return true;
  const wanted = new Set(scene.categories);
  if (c.targeting.interestTags.some((t) => wanted.has(t))) return true;
  const landing = c.creative.landing;
  if (landing.kind === 'item') {
    const category = categoryOf(landing.itemId);
    if (category !== undefined && wanted.has(category)) return true;
  }
  return false;
}
