/**
 * Interest-profile candidates: items whose category and tags match the user's strongest
 * interests; an item scores the sum of its keys' interest weights (its category counts fully,
 * its tags share one weight, as the profile builder credits them).
 */
import type { InterestScore } from '../../profiles/profile';
import { bestK, type ItemIndex, type Scored } from '../item-index';

/** Dense accumulators per index, zero between calls: a strong interest touches thousands of items per request. */
const scratch = new WeakMap<ItemIndex, { acc: Float64Array; hit: Uint8Array }>();

export function interestSource(
  index: ItemIndex,
  interests: readonly InterestScore[],
  k: number,
  allowed: (i: number) => boolean,
): Scored {
  let s = scratch.get(index);
  if (!s)
    scratch.set(
      index,
      (s = { acc: new Float64Array(index.size), hit: new Uint8Array(index.size) }),
    );
  const { acc, hit } = s;
  const touched: number[] = [];
  try {
    return collect(index, interests, k, allowed, acc, hit, touched);
  } finally {
    for (const i of touched) {
      acc[i] = 0;
      hit[i] = 0;
    }
  }
}

function collect(
  index: ItemIndex,
  interests: readonly InterestScore[],
  k: number,
  allowed: (i: number) => boolean,
  acc: Float64Array,
  hit: Uint8Array,
  touched: number[],
): Scored {
  for (const { tag: key, score } of interests) {
    if (!(score > 0)) continue;
    const share = key.startsWith('tag:');
    const tagShare = index.tagShare;
    for (const i of index.byKey.get(key) ?? []) {
      if (!allowed(i)) continue;
      acc[i] += score * (share ? tagShare[i] : 1);
      if (hit[i] === 0) {
        hit[i] = 1;
        touched.push(i);
      }
    }
  }
  const out: Scored = new Map();
  for (const i of bestK([...touched], acc, k)) out.set(i, acc[i]);
  return out;
}
