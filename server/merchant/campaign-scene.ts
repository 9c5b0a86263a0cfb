/**
 * A campaign and the deployment's scene (SCENE, issue 19): under 金融理财 and 旅游出行 a campaign
 * serves only when it is about one of the scene's categories (server/engine/ads/scene.ts). The
 * editor is told the scene (`targeting.options`), and saving or starting a campaign that could
 * never serve here is refused with what to change — a draft the merchant pays attention to now
 * beats a running campaign that silently never shows. Campaigns stored before (or under another
 * scene) still load, list, pause and end; they are refused only when edited in a way that keeps
 * them out, or started / resumed.
 */
import type { Campaign, CampaignScene } from '../../typings';
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
