/**
 * Checks on a campaign that depend on configuration, the clock or stored data, after the
 * request's shape is valid: bid within the platform's range, budgets that can pay for a click
 * and stay under the cap, a schedule that ends after it starts and in the future, tags content
 * carries, a landing item that exists, an image this environment published (ports/ad-images.ts:
 * a well-formed cloud file id of another environment is refused), a campaign the deployment's scene
 * would serve (campaign-scene.ts). Every problem is reported at once, per field. Then, when
 * the targeting is set or changed, the minimum audience (audience.ts: AUDIENCE_TOO_SMALL).
 */
import type { CampaignInput, FieldIssue } from '../../typings';
import type { Config } from '../config';
import { invalidInput } from '../errors';
import type { Stores } from '../ports';
import { checkMinimumAudience } from './audience';
import { outOfSceneReason } from './campaign-scene';
import { targetingVocabulary } from './vocabulary';

/** Longest schedule, ms: a year. */
const MAX_SPAN_MS = 366 * 24 * 3_600_000;

export interface RuleContext {
  config: Config;
  stores: Stores;
  now: number;
  /** Fields the request sets (schedule-in-the-future is checked only when the end changes). */
  changed: ReadonlySet<keyof CampaignInput>;
  /** What the campaign has spent so far, fen (0 for a new one). */
  spentTotalFen: number;
}

export async function checkCampaignRules(c: CampaignInput, rc: RuleContext): Promise<void> {
  const { config } = rc;
  const issues: FieldIssue[] = [];
  const add = (path: string, message: string): void => void issues.push({ path, message });

  if (c.bidFen < config.adBidMinFen || c.bidFen > config.adBidMaxFen) {
    add('bidFen', `出价须在 ${config.adBidMinFen} 到 ${config.adBidMaxFen} 分之间`);
  }
  if (c.dailyBudgetFen < c.bidFen) add('dailyBudgetFen', '日预算不能低于单次点击出价');
  if (c.dailyBudgetFen > config.adBudgetMaxFen)
    add('dailyBudgetFen', `日预算不能超过 ${config.adBudgetMaxFen} 分`);
  if (c.totalBudgetFen < c.dailyBudgetFen) add('totalBudgetFen', '总预算不能低于日预算');
  if (c.totalBudgetFen > config.adBudgetMaxFen)
    add('totalBudgetFen', `总预算不能超过 ${config.adBudgetMaxFen} 分`);
  if (c.totalBudgetFen < rc.spentTotalFen)
    add('totalBudgetFen', `总预算不能低于已花费的 ${rc.spentTotalFen} 分`);
  if (c.endAt <= c.startAt) add('endAt', '结束时间必须晚于开始时间');
  else if (c.endAt - c.startAt > MAX_SPAN_MS) add('endAt', '投放周期不能超过一年');
  if ((rc.changed.has('endAt') || rc.changed.has('startAt')) && c.endAt <= rc.now)
    add('endAt', '结束时间必须在将来');

  if (c.targeting.interestTags.length > 0) {
    const known = await targetingVocabulary(rc.stores, rc.now);
    const unknown = c.targeting.interestTags.filter((t) => !known.has(t));
    if (unknown.length > 0)
      add('targeting.interestTags', `未知的兴趣标签：${unknown.slice(0, 5).join('、')}`);
  }
  // Checked when the creative is set or changed: an unchanged campaign keeps its image.
  const image = c.creative.image;
  if (rc.changed.has('creative') && image !== '' && !rc.stores.adImages.isPublished(image))
    add('creative.image', '图片须为在本小程序中上传并发布的图片，请重新上传');
  const landing = c.creative.landing;
  let landingCategory: string | undefined;
  if (landing.kind === 'item') {
    const [item] = await rc.stores.catalog.get([landing.itemId]);
    if (!item || item.status !== 'published')
      add('creative.landing.itemId', '落地内容不存在或未发布');
    else landingCategory = item.category;
  }
  // The deployment's scene (SCENE): checked when what the campaign is about changes, so a campaign
  // stored before the scene was set keeps taking other edits (it cannot start: campaigns.ts).
  if (rc.changed.has('targeting') || rc.changed.has('creative') || rc.changed.has('riskLevel')) {
    const outside = outOfSceneReason(c, config, landingCategory);
    if (outside) add('targeting.interestTags', outside);
  }
  if (issues.length > 0) throw invalidInput(issues);
  if (rc.changed.has('targeting')) await checkMinimumAudience(rc.stores, config, c.targeting);
}
