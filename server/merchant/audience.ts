/**
 * Minimum audience: a campaign may not restrict its audience by gender / age band / city to
 * fewer than `minAudience` users (MIN_AUDIENCE, default 100), estimated from the settings users
 * shared. Otherwise a merchant could single out a person (one city and gender holding one
 * user), and its own image server or landing page would learn when that person opens the feed.
 * The number below the minimum is never told (it would answer "how many people like X").
 * Interest tags and scenes are not counted: they also match by the page's content and the
 * launch, so they do not narrow an ad to people. Likely buyers (a top share by purchase
 * propensity) do narrow it, and count as that share of the scored users. A k-anonymity threshold
 * after Sweeney (2002).
 */
import type { CampaignTargeting } from '../../typings';
import { cityKey } from '../engine/city';
import type { Config } from '../config';
import { AppError } from '../errors';
import type { Stores } from '../ports';
import { propensityPopulation } from '../learning/propensity-step';

/** "成都", "成都市" and " 成都 " are one city to targeting (engine/ads/targeting.ts): count every spelling. */
function citySpellings(cities: readonly string[]): string[] {
  const out = new Set<string>();
  for (const c of cities) {
    const key = cityKey(c);
    out.add(c).add(key).add(`${key}市`);
  }
  return [...out];
}

export async function checkMinimumAudience(
  stores: Pick<Stores, 'privacy' | 'blobs'>,
  config: Pick<Config, 'minAudience'>,
  t: CampaignTargeting,
): Promise<void> {
  const demographic = t.genders.length > 0 || t.ageBands.length > 0 || t.cities.length > 0;
  if (!demographic && t.likelyBuyers === undefined) return;
  const n = demographic
    ? await stores.privacy.countSharedAudience({
        genders: t.genders,
        ageBands: t.ageBands,
        cities: citySpellings(t.cities),
      })
    : 0;
  if (demographic && n < config.minAudience)
    throw new AppError(
      'AUDIENCE_TOO_SMALL',
      `定向人群过小：符合所选性别、年龄段、城市的用户少于 ${config.minAudience} 人。为保护用户隐私，请放宽定向条件（如增加城市或年龄段，或不限性别）`,
    );
  if (t.likelyBuyers === undefined) return;
  // Likely buyers are a top share of the users the propensity model scored: the audience is
  // estimated as that share of the scored population, or of the demographic audience when both
  // restrict (taken as independent). Without a model there is no likely buyer at all.
  const population = await propensityPopulation(stores);
  if (population === null)
    throw new AppError(
      'AUDIENCE_TOO_SMALL',
      '暂时不能按“可能购买的人群”定向：经微信支付确认的订单还不够多，平台尚未建立购买倾向模型。请选择“不限”',
    );
  if ((demographic ? n : population) * t.likelyBuyers < config.minAudience)
    throw new AppError(
      'AUDIENCE_TOO_SMALL',
      `定向人群过小：所选“可能购买的人群”估计少于 ${config.minAudience} 人。为保护用户隐私，请选择更大的比例或放宽其他定向条件`,
    );
}
