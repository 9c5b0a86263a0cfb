/**
 * Interest-profile candidates: items whose category and tags match the user's strongest
 * interests; an item scores the sum of its keys' interest weights (its category counts fully,
 * its tags share one weight, as the profile builder credits them).
 */
import type { InterestScore } from '../../profiles/profile';
import type { ItemIndex, Scored } from '../item-index';

export function interestSource(index: ItemIndex, interests: readonly InterestScore[], k: number, allowed: (i: number) => boolean): Scored {
  const acc: Scored = new Map();
  for (const { tag: key, score } of interests) {
    if (!(score > 0)) continue;
    for (const i of index.byKey.get(key) ?? []) {
      if (!allowed(i)) continue;
      const it = index.items[i];
      const share = key.startsWith('tag:') ? 1 / Math.max(1, Math.min(8, it.tags.length)) : 1;
      acc.set(i, (acc.get(i) ?? 0) + score * share);
    }
  }
  const out: Scored = new Map();
  for (const [i, s] of [...acc].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k)) out.set(i, s);
  return out;
}
