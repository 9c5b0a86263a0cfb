/** Fresh candidates: the newest allowed items, scored by age with a half-life (1 when just published). */
import type { ItemIndex, Scored } from '../item-index';

export function freshSource(
  index: ItemIndex,
  now: number,
  halfLifeMs: number,
  k: number,
  allowed: (i: number) => boolean,
): Scored {
  const out: Scored = new Map();
  for (const i of index.newest) {
    if (out.size >= k) break;
    if (!allowed(i)) continue;
    const age = Math.max(0, now - index.items[i].publishedAt);
    out.set(i, Math.pow(2, -age / halfLifeMs));
  }
  return out;
}
