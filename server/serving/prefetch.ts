/**
 * The feed page's prefetch plan (issue 18): the user's prefetch policy (config PREFETCH_POLICY,
 * or their feed.prefetch experiment variant) applied by the engine's policy to the page's content
 * cards, with each card's detail payload size estimated from what is served, and P(detail | feed)
 * from the transition model train learns from the clients' `route` entries (the perf rollups),
 * kept per instance for a few minutes.
 */
import type { FeedCard, PrefetchPlan, PrefetchPolicy } from '../../typings';
import { routeMoves } from '../engine/perf/rollup';
import { fitTransitions, movesFrom, transitionProbability } from '../engine/prefetch/transitions';
import type { Stores } from '../ports';
import { perStores } from '../runtime/per-stores';
import {
  DEFAULT_PREFETCH_BUDGET,
  fallbackTap,
  planPrefetch,
  type PrefetchBudget,
} from '../engine/prefetch/policy';

/**
 * A detail payload is the item.get answer (the item as served, and whether the user likes it)
 * and the first page of 20 comments: the item's JSON plus this allowance for the comments (20 of
 * at most 500 characters would be more; most threads are short).
 */
export const COMMENT_PAGE_BYTES = 8 * 1024;

/** What the client needs to know to fetch ahead, or undefined when the policy is off or nothing qualifies. */
export function prefetchPlanOf(
  cards: readonly FeedCard[],
  policy: PrefetchPolicy,
  /** P(next page = detail | feed) from the transition model, when one is known. */
  pDetailFromFeed: number | null = null,
  budget: PrefetchBudget = DEFAULT_PREFETCH_BUDGET,
): PrefetchPlan | undefined {
  if (policy === 'off') return undefined;
  const content = cards.flatMap((c) => (c.kind === 'content' ? [c] : []));
  const candidates = content.map((c) => ({
    itemId: c.item.id,
    position: c.position,
    pctr: c.pctr ?? null,
    bytes: Buffer.byteLength(JSON.stringify(c.item)) + COMMENT_PAGE_BYTES,
  }));
  // No card scored (no trained model yet) and no transition model: learning has nothing to go on, so positions stand in.
  const unscored = candidates.every((c) => c.pctr === null) && pDetailFromFeed === null;
  const chosen = planPrefetch(
    unscored ? 'position' : policy,
    candidates,
    budget,
    pDetailFromFeed === null ? 0 : fallbackTap(pDetailFromFeed, candidates.length),
  );
  if (!chosen.length) return undefined;
  return { policy, itemIds: chosen.map((c) => c.itemId), bytes: chosen.map((c) => c.bytes) };
}

export const FEED_PAGE = 'pages/feed/index';
export const DETAIL_PAGE = 'pages/detail/index';
/** How long an instance keeps the learned P(detail | feed) before reading the rollups again. */
export const TRANSITION_TTL_MS = 5 * 60_000;
/** Below this many measured moves from the feed the model says nothing (positions stand in). */
export const MIN_FEED_MOVES = 20;

const learned = perStores(() => ({
  at: -Infinity,
  p: null as number | null,
  loading: null as Promise<void> | null,
}));

/**
 * P(next page = detail | feed) from the measured `route` moves in train's perf rollups, or null
 * when too few were measured; read at most once per TRANSITION_TTL_MS per instance (a failed read
 * keeps the last value).
 */
export async function pDetailFromFeed(stores: Stores, now: number): Promise<number | null> {
  const held = learned(stores);
  if (now - held.at >= TRANSITION_TTL_MS) {
    held.loading ??= (async () => {
      try {
        const model = fitTransitions(routeMoves(await stores.rollups.perfCells()));
        held.p =
          movesFrom(model, FEED_PAGE) >= MIN_FEED_MOVES
            ? transitionProbability(model, FEED_PAGE, DETAIL_PAGE)
            : null;
      } catch {
        // The plan falls back to what it knew (or to positions): prefetching is never worth failing a feed.
      } finally {
        held.at = now;
        held.loading = null;
      }
    })();
    await held.loading;
  }
  return held.p;
}
