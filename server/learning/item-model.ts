/**
 * `train`'s item-model refresh: the neighbour lists the neighbours candidate source reads. Two
 * documented choices share the neighbours port: "cosine" (the incremental co-engagement
 * builder in the profile aggregator) and "ease" (the engine's EASE closed form, learned again
 * each run over a bounded window of recent engagements kept in the trainer's state). EASE is
 * the default: it won on the simulated CTR lift (see docs). Its dense inverse is cubic in the
 * items modelled, so the number of items is cut to what fits the run's remaining time.
 */
import { decayFactor, DAY_MS } from '../engine/profiles/decay';
import type { NeighbourList } from '../engine/profiles/neighbours';
import { ENGAGING, type ProfileSignal } from '../engine/profiles/profile';
import { learnItemModel, type Interaction } from '../engine/ranking/item-model';
import type { StoredEvent } from '../ports';

/** One engagement kept for the item model: who, which item, when. */
export type EngagementRow = [openid: string, itemId: string, at: number];

export interface ItemModelOptions {
  kind: 'ease' | 'cosine';
  /** Newest engagements kept in the window (memory and state-blob size). */
  maxEngagements: number;
  /** Engagements older than this leave the window. */
  windowMs: number;
  /** A user–item pair's weight halves every halfLifeMs since its latest engagement. */
  halfLifeMs: number;
  /** EASE's L2 regularisation. */
  lambda: number;
  /** Neighbours written per item. */
  topK: number;
  /** Most engaged items modelled at most (before the time cut). */
  maxItems: number;
  /** Measured cost of the inverse: ms per n³/10⁹ (n items), for the time cut. */
  msPerCubicGiga: number;
}

export const DEFAULT_ITEM_MODEL: ItemModelOptions = {
  kind: 'ease',
  maxEngagements: 50_000,
  windowMs: 30 * DAY_MS,
  halfLifeMs: 14 * DAY_MS,
  lambda: 20,
  topK: 100,
  maxItems: 2000,
  msPerCubicGiga: 2500,
};

/** An event the item model learns from: a user engaging with an item. */
export const isEngagement = (e: StoredEvent): boolean =>
  Boolean(
    e.itemId && e.openid && Number.isFinite(e.serverTime) && ENGAGING.has(e.type as ProfileSignal),
  );

/** The window with a page's engagements appended, trimmed to its size and age (oldest go first). */
export function appendEngagements(
  window: EngagementRow[],
  events: readonly StoredEvent[],
  now: number,
  options: ItemModelOptions,
): EngagementRow[] {
  for (const e of events) if (isEngagement(e)) window.push([e.openid, e.itemId!, e.serverTime]);
  let drop = Math.max(0, window.length - options.maxEngagements);
  while (drop < window.length && now - window[drop][2] > options.windowMs) drop++;
  return drop > 0 ? window.slice(drop) : window;
}

/** Items that fit the time left: the inverse costs about msPerCubicGiga · (n/1000)³ ms. */
export function itemsWithin(budgetMs: number, options: ItemModelOptions): number {
  if (!(budgetMs > 0)) return 0;
  return Math.min(
    options.maxItems,
    Math.floor(1000 * Math.cbrt(budgetMs / options.msPerCubicGiga)),
  );
}

/**
 * EASE over the window, as neighbour lists (score: the EASE weight; co: 0, as no co-count is
 * kept; mass: the item's decayed engagement). The lists are the whole model: train replaces the
 * stored set with them, so items cut from the model, gone from the window or `excluded`
 * (unpublished: they neither get a list nor appear in one) keep no stale list.
 */
export function learnNeighbourLists(
  window: readonly EngagementRow[],
  now: number,
  budgetMs: number,
  options: ItemModelOptions,
  excluded: ReadonlySet<string> = new Set(),
): NeighbourList[] {
  const users = new Map<string, number>();
  const items = new Map<string, number>();
  const ids: string[] = [];
  // One weight per user–item pair: repeated engagement says the pair is real, not that it is stronger.
  const pair = new Map<string, Interaction>();
  const mass = new Map<string, number>();
  for (const [openid, itemId, at] of window) {
    if (excluded.has(itemId)) continue;
    let u = users.get(openid);
    if (u === undefined) users.set(openid, (u = users.size));
    let i = items.get(itemId);
    if (i === undefined) {
      items.set(itemId, (i = ids.length));
      ids.push(itemId);
    }
    const w = decayFactor(at, now, options.halfLifeMs);
    mass.set(itemId, (mass.get(itemId) ?? 0) + w);
    const key = `${u}:${i}`;
    const x = pair.get(key);
    if (!x) pair.set(key, { user: u, item: i, weight: w });
    else x.weight = Math.max(x.weight, w);
  }
  const maxItems = itemsWithin(budgetMs, options);
  if (maxItems < 2 || ids.length < 2) return [];
  const lists = learnItemModel([...pair.values()], ids, {
    lambda: options.lambda,
    topK: options.topK,
    maxItems,
  });
  return lists.map((l) => ({
    itemId: l.itemId,
    updatedAt: now,
    mass: mass.get(l.itemId) ?? 0,
    neighbours: l.neighbours.map((n) => ({ itemId: n.itemId, co: 0, score: n.score })),
  }));
}
