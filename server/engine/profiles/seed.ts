/**
 * Cold start from the user's own words: the categories picked in 选择你感兴趣的内容 at first launch
 * seed the profile at serving time, so the very first feed already leans to them, and fade out as
 * real behaviour takes over — a category's seeded weight is only a floor (max, not sum), the
 * weight of about two clicks, so any category the user then engages with more, or less (a hide
 * is negative but the floor is kept only while no behaviour exists for it), decides by itself.
 * The stored profile is never written here: `train` stays its one writer, and withdrawing the
 * choice takes the seed away at once.
 */
import type { UserProfile } from './profile';

/** At most this many categories can be chosen. */
export const MAX_CHOSEN_INTERESTS = 8;
/** A chosen category's floor weight: about two clicks' worth (profile weights: click 1, like 3). */
export const SEED_WEIGHT = 2;

/** The profile with each chosen category's weight raised to the seed floor (a new one if none). */
export function seededProfile(
  profile: UserProfile | null,
  openid: string,
  categories: readonly string[] | undefined,
  now: number,
): UserProfile | null {
  if (!categories?.length) return profile;
  const base: UserProfile = profile ?? {
    openid,
    updatedAt: now,
    interests: {},
    counts: {},
    recent: [],
    lastActiveAt: now,
  };
  const interests = { ...base.interests };
  for (const c of categories.slice(0, MAX_CHOSEN_INTERESTS)) {
    const key = `cat:${c}`;
    // Behaviour about the category (even negative) speaks for itself; the seed fills only silence.
    if (interests[key] === undefined) interests[key] = SEED_WEIGHT;
  }
  return { ...base, interests };
}
