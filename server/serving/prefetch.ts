/**
 * The feed page's prefetch plan (issue 18): the user's prefetch policy (config PREFETCH_POLICY,
 * or their feed.prefetch experiment variant) applied by the engine's policy to the page's content
 * cards, with each card's detail payload size estimated from what is served.
 */
import type { FeedCard, PrefetchPlan, PrefetchPolicy } from '../../typings';
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
