/** What the system believes about a user (PIPL: the right to know): interests, stored events, experiments, graph features, buyer segment. */
import type { ProfileView } from '../../typings';
import { topInterests } from '../engine/profiles/profile';
import type { ServedSlate, SocialFeatures, Stores } from '../ports';

export const PROFILE_TOP_INTERESTS = 20;
/** Slates read to list the experiments the user is in. */
const SLATE_SCAN = 500;

export async function profileView(
  stores: Stores,
  openid: string,
  now: number,
): Promise<ProfileView> {
  const [profiles, eventCounts, slates, settings, social] = await Promise.all([
    stores.profiles.get([openid]),
    stores.personal.eventCounts(openid),
    stores.personal.read('slates', openid, null, SLATE_SCAN),
    stores.privacy.getSettings(openid),
    stores.social.record(openid),
  ]);
  const profile = profiles[0];
  const experiments = new Set<string>();
  for (const r of slates.records) {
    const variant =
      (r.doc as ServedSlate | undefined)?.variant ?? (r as { variant?: string | null }).variant;
    if (typeof variant === 'string') for (const v of variant.split(',')) if (v) experiments.add(v);
  }
  return {
    interests: profile
      ? topInterests(profile, PROFILE_TOP_INTERESTS, now).map((s) => ({
          tag: s.tag,
          score: Math.round(s.score * 1000) / 1000,
        }))
      : [],
    eventCounts,
    experiments: [...experiments].sort(),
    personalized: settings?.personalised ?? true,
    ...(social
      ? { social: { ...roundFeatures(social.features), updatedAt: social.updatedAt } }
      : {}),
    ...(profile?.payments ? { payments: { ...profile.payments } } : {}),
    ...(profile?.purchase ? { purchase: { ...profile.purchase } } : {}),
  };
}

/** Rounded for people (three places), the community id as is. */
function roundFeatures(f: SocialFeatures): SocialFeatures {
  const r = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    degree: f.degree,
    activity: r(f.activity),
    influence: r(f.influence),
    clustering: r(f.clustering),
    community: f.community,
    sharedInterest: r(f.sharedInterest),
  };
}
