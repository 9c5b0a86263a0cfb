/**
 * Exploration candidates: a seeded uniform sample of allowed items, so that new and rarely
 * shown items get some traffic. Each sampled item's inclusion probability is known
 * (k ÷ allowed count), so the slate log can record a propensity for it.
 */
import type { ItemIndex, Scored } from '../item-index';

export interface Explored {
  scores: Scored;
  /** Probability that any one allowed item was sampled. */
  inclusion: number;
}

/** k distinct allowed items drawn uniformly with `rand` (Floyd's sampling over the allowed list). */
export function exploreSource(
  index: ItemIndex,
  k: number,
  allowed: (i: number) => boolean,
  rand: () => number,
): Explored {
  const pool: number[] = [];
  for (let i = 0; i < index.size; i++) if (allowed(i)) pool.push(i);
  const m = Math.min(k, pool.length);
  const picked = new Set<number>();
  for (let j = pool.length - m; j < pool.length; j++) {
    const t = Math.floor(rand() * (j + 1));
    picked.add(picked.has(pool[t]) ? pool[j] : pool[t]);
  }
  const scores: Scored = new Map();
  for (const i of picked) scores.set(i, 1);
  return { scores, inclusion: pool.length ? m / pool.length : 0 };
}
