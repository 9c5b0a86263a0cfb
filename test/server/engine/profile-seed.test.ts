/** Chosen interests as a floor under a cold profile (engine/profiles/seed.ts): hand-checked cases. */
import {
  MAX_CHOSEN_INTERESTS,
  SEED_WEIGHT,
  seededProfile,
} from '../../../server/engine/profiles/seed';
import type { UserProfile } from '../../../server/engine/profiles/profile';

const NOW = 1_000_000;
const profile = (interests: Record<string, number>): UserProfile => ({
  openid: 'u',
  updatedAt: NOW,
  interests,
  counts: { click: 3 },
  recent: [{ itemId: 'i1', at: NOW }],
  hidden: ['h1'],
  lastActiveAt: NOW,
});

describe('seededProfile', () => {
  it('gives a user with no profile one with the chosen categories at the seed weight', () => {
    expect(seededProfile(null, 'u', ['美食', '旅行'], NOW)).toEqual({
      openid: 'u',
      updatedAt: NOW,
      interests: { 'cat:美食': SEED_WEIGHT, 'cat:旅行': SEED_WEIGHT },
      counts: {},
      recent: [],
      lastActiveAt: NOW,
    });
  });

  it('fills only silence: behaviour about a category, even negative, is kept as it is', () => {
    const p = profile({ 'cat:美食': 7, 'cat:科技': -3, 'tag:露营': 1 });
    const s = seededProfile(p, 'u', ['美食', '科技', '体育'], NOW);
    expect(s?.interests).toEqual({
      'cat:美食': 7,
      'cat:科技': -3,
      'tag:露营': 1,
      'cat:体育': SEED_WEIGHT,
    });
    // Everything else of the profile is untouched, and the stored one is not changed.
    expect(s).toMatchObject({ counts: { click: 3 }, hidden: ['h1'], recent: p.recent });
    expect(p.interests).not.toHaveProperty('cat:体育');
  });

  it('is the profile itself without a choice, and takes at most the maximum', () => {
    const p = profile({ 'cat:美食': 1 });
    expect(seededProfile(p, 'u', [], NOW)).toBe(p);
    expect(seededProfile(null, 'u', undefined, NOW)).toBeNull();
    const many = Array.from({ length: MAX_CHOSEN_INTERESTS + 3 }, (_, i) => `c${i}`);
    expect(Object.keys(seededProfile(null, 'u', many, NOW)!.interests)).toHaveLength(
      MAX_CHOSEN_INTERESTS,
    );
  });
});
