/**
 * A campaign and the deployment's scene (SCENE, issue 19): under 金融理财 and 旅游出行 a campaign
 * serves only when it is about one of the scene's categories (server/engine/ads/scene.ts). The
 * editor is told the scene (`targeting.options`), and saving or starting a campaign that could
 * never serve here is refused with what to change — a draft the merchant pays attention to now
 * beats a running campaign that silently never shows. Campaigns stored before (or under another
 * scene) still load, list, pause and end; they are refused only when edited in a way that keeps
 * them out, or started / resumed. A creative experiment's variant is shown in place of its
 * campaign's creative (serving checks the campaign, then shows the variant), so each variant is
 * checked the same way, as the campaign with that creative, when the experiment is created and
 * when it starts.
 */
import type { Campaign, CampaignScene, Creative, Variant } from '../../typings';
import type { Config } from '../config';
import { inAdScene, type AdScene } from '../engine/ads/scene';
import type { Stores } from '../ports';
import { sceneOf } from '../scenes';

/** What the editor needs of the deployment's scene. */
export function campaignScene(config: Pick<Config, 'scene'>): CampaignScene {
  const s = sceneOf(config.scene);
  return {
    name: s.name,
    label: s.label,
    categories: s.categories && [...s.categories],
    ratedProducts: s.ratedProducts,
  };
}

/** The scene's rule, as serving applies it. */
function adSceneOf(config: Pick<Config, 'scene'>): AdScene {
  const s = sceneOf(config.scene);
  return { categories: s.categories, ratedProducts: s.ratedProducts };
}

/**
 * The published category of each item landing among the campaigns, in one catalog read (an item
 * that is not published has none: it says nothing of what the campaign is about).
 */
export async function landingCategories(
  stores: Pick<Stores, 'catalog'>,
  campaigns: readonly Pick<Campaign, 'creative'>[],
): Promise<Map<string, string>> {
  const ids = [
    ...new Set(
      campaigns.flatMap((c) =>
        c.creative.landing.kind === 'item' ? [c.creative.landing.itemId] : [],
      ),
    ),
  ];
  const items = ids.length > 0 ? await stores.catalog.get(ids) : [];
  return new Map(items.filter((it) => it.status === 'published').map((it) => [it.id, it.category]));
}

/** Why the campaign could never serve here (null when it can), its landing's category looked up in `categories`. */
export function outOfSceneOf(
  c: Pick<Campaign, 'riskLevel' | 'targeting' | 'creative'>,
  config: Pick<Config, 'scene'>,
  categories: ReadonlyMap<string, string>,
): string | null {
  const landing = c.creative.landing;
  return outOfSceneReason(
    c,
    config,
    landing.kind === 'item' ? categories.get(landing.itemId) : undefined,
  );
}

/**
 * Why the campaign could never serve in this deployment's scene, or null when it can.
 * `landingCategory` is the category of its landing item (undefined: a page landing, or unknown).
 */
export function outOfSceneReason(
  c: Pick<Campaign, 'riskLevel' | 'targeting' | 'creative'>,
  config: Pick<Config, 'scene'>,
  landingCategory: string | undefined,
): string | null {
  if (inAdScene(c, adSceneOf(config), () => landingCategory)) return null;
  const scene = campaignScene(config);
  const names = (scene.categories ?? []).map((n) => `“${n}”`).join('或');
  return (
    `本小程序当前为「${scene.label}」场景，只投放与${names}相关的广告，这个计划不会被展示；` +
    `请在兴趣定向中选择${names}（或落地到这些分类的内容）`
  );
}

/** A variant's value when it is a creative (ad.creative), else null. */
function creativeOf(v: Pick<Variant, 'value'>): Creative | null {
  const x = v.value as Partial<Creative> | null;
  return x !== null && typeof x === 'object' && !Array.isArray(x) && typeof x.landing === 'object'
    ? (x as Creative)
    : null;
}

/**
 * The variants of a creative experiment on campaign `c` that could never serve here, each with
 * its index and why (outOfSceneReason of the campaign shown with that variant's creative); empty
 * when every one can. Reads the catalog (the variants' landing items) only under a scene that
 * restricts campaigns.
 */
export async function variantsOutOfScene(
  stores: Pick<Stores, 'catalog'>,
  config: Pick<Config, 'scene'>,
  c: Pick<Campaign, 'riskLevel' | 'targeting'>,
  variants: readonly Pick<Variant, 'value'>[],
): Promise<{ index: number; reason: string }[]> {
  if (!sceneOf(config.scene).categories) return [];
  const shown = variants.map((v) => {
    const creative = creativeOf(v);
    return creative && { ...c, creative };
  });
  const categories = await landingCategories(
    stores,
    shown.filter((x) => x !== null),
  );
  return shown.flatMap((x, index) => {
    const reason = x && outOfSceneOf(x, config, categories);
    return reason ? [{ index, reason }] : [];
  });
}
