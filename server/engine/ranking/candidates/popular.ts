/**
 * Popular candidates: engagement per item from the daily counters, time-decayed so that what
 * is popular now outranks what was popular last month. A hide counts against an item.
 */
import type { CounterValues } from '../../records';
import type { ItemIndex, Scored } from '../item-index';

/** What each counter field says about an item's appeal (an impression alone says little). */
export const ENGAGEMENT_WEIGHTS: Readonly<Record<string, number>> = {
  impressions: 0.02,
  clicks: 1,
  likes: 2,
  comments: 3,
  shares: 3,
  orders: 4,
  pays: 5,
  unlikes: -2,
  hides: -3,
};

export interface DailyCounts {
  /** Whole days before today (0 = today). */
  ageDays: number;
  /** Counters by item id for that day. */
  counters: Readonly<Record<string, CounterValues>>;
}

/** Decayed engagement per item index (≥ 0), half-life in days. */
export function popularityFromDaily(
  index: ItemIndex,
  days: readonly DailyCounts[],
  halfLifeDays: number,
): Float64Array {
  const pop = new Float64Array(index.size);
  for (const d of days) {
    const f = Math.pow(2, -d.ageDays / halfLifeDays);
    for (const [id, values] of Object.entries(d.counters)) {
      const i = index.pos.get(id);
      if (i === undefined) continue;
      let e = 0;
      for (const [field, v] of Object.entries(values)) e += (ENGAGEMENT_WEIGHTS[field] ?? 0) * v;
      pop[i] += f * e;
    }
  }
  for (let i = 0; i < pop.length; i++) if (pop[i] < 0) pop[i] = 0;
  return pop;
}

/**
 * Item indices with positive popularity, most popular first (ties by index). It depends on the
 * popularity only, so a warm instance computes it once per popularity refresh and a request
 * only walks it.
 */
export function popularOrder(pop: Float64Array): Int32Array {
  const order: number[] = [];
  for (let i = 0; i < pop.length; i++) if (pop[i] > 0) order.push(i);
  order.sort((a, b) => pop[b] - pop[a] || a - b);
  return Int32Array.from(order);
}

/** The k most popular allowed items; score = popularity ÷ the best allowed one's (in [0, 1]). `order`: popularOrder(pop), when precomputed. */
export function popularSource(
  pop: Float64Array,
  k: number,
  allowed: (i: number) => boolean,
  order: Int32Array = popularOrder(pop),
): Scored {
  const out: Scored = new Map();
  let top = 0;
  for (let j = 0; j < order.length && out.size < k; j++) {
    const i = order[j];
    if (!allowed(i)) continue;
    if (out.size === 0) top = pop[i];
    out.set(i, pop[i] / top);
  }
  return out;
}
