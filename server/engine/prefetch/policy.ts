/**
 * Which detail payloads to fetch when a feed page renders (issue 18): a greedy choice under a
 * per-screen budget of calls and bytes. `learned` ranks content cards by the probability that
 * the card's detail is opened (a tap on a content card opens its detail): the click model's pCTR
 * where it scored the card, else the transition model's share of feed → detail moves per card
 * shown — and skips cards too unlikely to be opened to be worth their bytes; `position`
 * takes the top content positions (the baseline); `off` takes nothing. Selective prefetching
 * under a budget after Padmanabhan & Mogul (1996).
 */
import type { PrefetchPolicy } from '../../../typings';

export interface PrefetchCandidate {
  itemId: string;
  position: number;
  /** The click model's tap probability, null when no model scored the card. */
  pctr: number | null;
  /** Estimated bytes of its detail payload. */
  bytes: number;
}

export interface PrefetchBudget {
  /** Function calls per screen (each detail payload costs `callsPerItem`). */
  calls: number;
  /** Bytes per screen. */
  bytes: number;
  /** Calls one detail payload takes (the item and its first page of comments). */
  callsPerItem: number;
  /** Learned policy: a card less likely than this to be opened is not fetched. */
  minProbability: number;
}

/**
 * Two detail payloads per screen of 10 cards: the simulated feed sees about 1.8 opens per page
 * at its learned CTR, so a third would mostly be wasted; 96 KB covers two payloads of long
 * comment threads. minProbability 0.05: on the validation run (`npm run bench:prefetch -- --seed 7
 * --sweep`, not the measured seed) 0 and 0.05 gave the same hit rate and 0.05 fewer calls; 0.1
 * and above lost hits (docs/benchmarks.md).
 */
export const DEFAULT_PREFETCH_BUDGET: PrefetchBudget = {
  calls: 4,
  bytes: 96 * 1024,
  callsPerItem: 2,
  minProbability: 0.05,
};

export interface PrefetchChoice {
  itemId: string;
  /** The policy's estimate that this card is opened (position: the card's rank on the page, as 1/(1+k)). */
  p: number;
  bytes: number;
}

/**
 * The cards to prefetch, likeliest first. `fallbackTap`: the tap probability of a card the click
 * model did not score (fallbackTap(), from the transition model); 0 when absent.
 */
export function planPrefetch(
  policy: PrefetchPolicy,
  cards: readonly PrefetchCandidate[],
  budget: PrefetchBudget = DEFAULT_PREFETCH_BUDGET,
  fallback = 0,
): PrefetchChoice[] {
  if (policy === 'off') return [];
  const byPosition = [...cards].sort((a, b) => a.position - b.position);
  const scored =
    policy === 'position'
      ? byPosition.map((c, k) => ({ c, p: 1 / (1 + k) }))
      : byPosition
          .map((c) => ({
            c,
            p: c.pctr ?? fallback,
          }))
          .filter((x) => x.p >= budget.minProbability)
          // Stable: equal probabilities keep their page order.
          .sort((a, b) => b.p - a.p);
  const out: PrefetchChoice[] = [];
  let calls = 0;
  let bytes = 0;
  for (const { c, p } of scored) {
    if (calls + budget.callsPerItem > budget.calls) break;
    if (bytes + c.bytes > budget.bytes) continue; // a smaller payload further down may still fit
    calls += budget.callsPerItem;
    bytes += c.bytes;
    out.push({ itemId: c.itemId, p, bytes: c.bytes });
  }
  return out;
}

/**
 * The tap probability of a card the click model did not score: P(next page = detail | feed)
 * from the transition model, spread evenly over the page's `cards` content cards.
 */
export const fallbackTap = (pDetailFromFeed: number, cards: number): number =>
  cards > 0 ? Math.min(1, Math.max(0, pDetailFromFeed) / cards) : 0;
