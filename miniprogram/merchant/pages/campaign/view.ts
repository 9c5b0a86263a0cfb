/**
 * The campaign editor and the deployment's scene (`targeting.options`' scene, server/scenes.ts):
 * the interest choices in the scene's categories first and the others marked, and the notice
 * when the targeting would not serve here. The server decides (it refuses to save or start such a
 * campaign); this only tells the merchant before they try. Pure, for the page and its tests.
 */
import type { CampaignScene } from '../../../../typings';

/** The interest choices in order, each marked when it is outside a scene that restricts campaigns. */
export interface InterestChoice {
  value: string;
  /** Outside the scene's categories: choosing only such values never serves here. */
  off: boolean;
}

/** Whether the scene serves only campaigns about its categories (金融理财, 旅游出行). */
export const restricts = (
  scene: CampaignScene | null,
): scene is CampaignScene & {
  categories: string[];
} => !!scene && scene.categories !== null;

/**
 * Interest choices: the catalog's categories, then its tags, then whatever the campaign already
 * targets; under a restricting scene its categories come first and everything else is `off`.
 */
export function interestChoices(
  values: readonly string[],
  scene: CampaignScene | null,
): InterestChoice[] {
  const unique = [...new Set(values)];
  if (!restricts(scene)) return unique.map((value) => ({ value, off: false }));
  const inScene = unique.filter((v) => scene.categories.includes(v));
  return [
    ...inScene.map((value) => ({ value, off: false })),
    ...unique.filter((v) => !inScene.includes(v)).map((value) => ({ value, off: true })),
  ];
}

/** “理财”或“财经” */
const quoted = (names: readonly string[]): string => names.map((n) => `“${n}”`).join('或');

/** The hint under the interest picker in a restricting scene ('' otherwise). */
export function sceneHint(scene: CampaignScene | null): string {
  if (!restricts(scene)) return '';
  return `本小程序为「${scene.label}」场景：兴趣须包含${quoted(scene.categories)}，广告才会展示；灰色的选项单独选择不会展示`;
}

/** What of the campaign decides whether the scene serves it. */
export interface SceneFacts {
  interestTags: readonly string[];
  /** It lands on a content item (whose category the server knows, the editor does not). */
  landsOnItem: boolean;
  /** A risk-rated financial product (R1–R5): 金融理财 serves it whatever its targeting. */
  rated: boolean;
}

/**
 * The notice when the targeting would not serve in the scene ('' when it would, or the scene
 * serves every campaign). A landing item of the scene's categories also serves: the editor
 * cannot tell, so it says so and leaves the verdict to the server.
 */
export function sceneWarning(scene: CampaignScene | null, f: SceneFacts): string {
  if (!restricts(scene)) return '';
  if (scene.ratedProducts && f.rated) return '';
  if (f.interestTags.some((t) => scene.categories.includes(t))) return '';
  const names = quoted(scene.categories);
  return f.landsOnItem
    ? `本小程序为「${scene.label}」场景，只投放与${names}相关的广告。兴趣定向未包含${names}，只有落地内容属于这些分类时才会展示`
    : `本小程序为「${scene.label}」场景，只投放与${names}相关的广告。请在兴趣中选择${names}，否则这个计划不会展示`;
}
