/**
 * Minimum audience: a campaign may not restrict its audience by gender / age band / city to
 * fewer than `minAudience` users (MIN_AUDIENCE, default 100), estimated from the settings users
 * shared. Otherwise a merchant could single out a person (one city and gender holding one
 * user), and its own image server or landing page would learn when that person opens the feed.
 * The number below the minimum is never told (it would answer "how many people like X").
 * Interest tags and scenes are not counted: they also match by the page's content and the
 * launch, so they do not narrow an ad to people. A k-anonymity threshold after Sweeney (2002).
 */
import type { CampaignTargeting } from '../../typings';
import { cityKey } from '../engine/city';
import type { Config } from '../config';
import { AppError } from '../errors';
import type { Stores } from '../ports';

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
  stores: Pick<Stores, 'privacy'>,
  config: Pick<Config, 'minAudience'>,
  t: CampaignTargeting,
): Promise<void> {
  if (t.genders.length === 0 && t.ageBands.length === 0 && t.cities.length === 0) return;
  const n = await stores.privacy.countSharedAudience({
    genders: t.genders,
    ageBands: t.ageBands,
    cities: citySpellings(t.cities),
  });
  if (n < config.minAudience)
    throw new AppError(
      'AUDIENCE_TOO_SMALL',
      `定向人群过小：符合所选性别、年龄段、城市的用户少于 ${config.minAudience} 人。为保护用户隐私，请放宽定向条件（如增加城市或年龄段，或不限性别）`,
    );
}
